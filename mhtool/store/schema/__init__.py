"""The database schema: one migration per change, applied in order on first use.

The migrations are registered in the order these modules are imported, which
is the order they are applied in; never edit an applied one."""

from __future__ import annotations

from mhtool.store.schema import initial, later  # noqa: F401  (register, in this order)
from mhtool.store.schema.registry import migrations
from mhtool.store.sqlitelib import sqlite_utils

__all__ = ["latest_schema_version", "migrations", "schema_version"]


def schema_version(db: sqlite_utils.Database) -> int:
    return len(migrations.applied(db))


def latest_schema_version() -> int:
    return len(migrations._migrations)
