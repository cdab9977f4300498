"""Spreadsheet cells as values: text, and the raw record kept with every row."""

from __future__ import annotations

import datetime
import json
from typing import Any


def text_value(value: Any) -> str | None:
    """A cell as stripped text; whole floats from spreadsheets lose their `.0`."""
    if value.__class__ is str:  # nearly every cell: the quick way first
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def date_cell(value: Any, excel_dates: bool) -> Any:
    """A number is an Excel date only in a spreadsheet; elsewhere (JSON) it is
    just a number, which the date parser then refuses instead of guessing."""
    if not excel_dates and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _json_safe(value: Any) -> Any:
    if value.__class__ is str:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def raw_record(values: dict[str, Any], extra: dict[str, Any], columns: dict[str, str]) -> str:
    """The whole input row as JSON, keyed by the file's own headers; unknown
    columns included."""
    raw = {columns.get(k, k): _json_safe(v) for k, v in values.items() if v not in (None, "")}
    raw.update({k: _json_safe(v) for k, v in extra.items()})
    return _RAW_JSON.encode(raw)


# One encoder for every row: json.dumps with options builds a new one per call.
_RAW_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
