"""The SQLite database: connection and transactions, schema, write lock, audit, maintenance."""
