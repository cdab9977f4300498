"""The one migration set every schema module registers into, in order."""

from mhtool.store.sqlitelib import Migrations

migrations = Migrations("mhtool")
