"""The limits every reader enforces while it reads, so that a hostile or
broken file fails within seconds, with one line, in bounded memory.

Each limit is far above what a real export holds; the xlsx ones are
Excel's own (a sheet cannot hold more rows or columns).
"""

MAX_CELL_CHARS = 1_000_000  # one cell
MAX_ROW_CHARS = 4 * MAX_CELL_CHARS  # one row, all its cells together
MAX_CELLS_PER_ROW = 16_384  # Excel's column limit (XFD)
MAX_SHEET_ROWS = 1_048_576  # Excel's row limit
MAX_JSON_BYTES = 32 * 1024 * 1024  # a JSON input is parsed whole
MAX_STREAM_BYTES = 8 * 1024**3  # stdin or a pipe, spooled to a private file before the import
MAX_SETTINGS_BYTES = 4 * 1024 * 1024  # a profile, rules, keywords or region file
MAX_ROW_ERRORS = 1000  # bad rows reported before an import stops
MAX_ROW_ERRORS_SKIP_BAD = 10_000  # ... with --skip-bad (their cells are kept for --rejects)


def count(n: int) -> str:
    """1000000 as '1,000,000' (how every limit is shown)."""
    return f"{n:,}"
