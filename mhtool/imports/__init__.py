"""What every import shares: one transaction, row problems, bookkeeping.

All or nothing by default: every row is validated and written inside one
transaction; if any row is bad the transaction is rolled back and every bad
row is reported. With `skip_bad` the good rows are kept and the bad ones are
returned (and may be written to a rejects file). `dry_run` always rolls back.

An area (signals, ads) declares its stored row once (a NamedTuple in column
order: `SignalRow`, `AdRow`) and supplies a `RowReader` (pure: cells in, a
`Parsed` row out, so it can run in worker processes) and a `FileImport`
subclass that writes the accepted rows. Rows cross between processes as
they are; every row takes the one path `FileImport.accept`; problems name
fields and become the file's headers when they are reported.
"""
