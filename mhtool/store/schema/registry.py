"""The one migration set every schema module registers into, in order."""

from sqlite_utils.migrations import Migrations

migrations = Migrations("mhtool")
