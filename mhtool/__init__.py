"""mhtool: signals, sex-ad scoring and figures for a regional chain director
for human trafficking (ketenregisseur mensenhandel)."""

__version__ = "0.1.0"

import os as _os

# openpyxl writes and reads workbooks with lxml when it is installed (python-docx
# brings it). Its pure-Python writer reports a full disk as the OSError it is,
# lxml's as a SerialisationError without the cause, and the xlsx guard of the
# readers (io/xlsxguard.py) is written against the pure-Python parser: so
# workbooks never go through lxml, whatever else is installed.
_os.environ.setdefault("OPENPYXL_LXML", "False")
