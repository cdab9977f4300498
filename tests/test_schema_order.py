"""The schema lives in several modules; its migrations must still apply in
their numbered order, and a fresh database gets every one of them."""

import sqlite3

from mhtool.store.db import open_db
from mhtool.store.schema import latest_schema_version, migrations


def test_migrations_are_registered_in_their_numbered_order():
    names = [m.name for m in migrations._migrations]
    assert names == sorted(names)
    numbers = [int(name[1:4]) for name in names]
    assert numbers == list(range(1, len(names) + 1))


def test_a_fresh_database_gets_every_migration_in_order(tmp_path):
    path = tmp_path / "fresh.db"
    open_db(path).close()
    with sqlite3.connect(path) as conn:
        applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied == [m.name for m in migrations._migrations]
    assert len(applied) == latest_schema_version()
