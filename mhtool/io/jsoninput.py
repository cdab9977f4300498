"""JSON input: a list of objects, read whole (so bounded in size); the
row number is the position of the object in the list, starting at 1."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mhtool.io.encodings import AUTO_ENCODING, MixedEncoding, detect_encoding
from mhtool.io.inputfile import InputFile, ReadError, check_cell_sizes
from mhtool.io.limits import MAX_CELLS_PER_ROW, MAX_JSON_BYTES, count


class _NotANumber(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotANumber(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise _NotANumber("a number too large to hold")
    return value


def _read_json_bytes(name: str, path: Path) -> bytes:
    """At most MAX_JSON_BYTES (a JSON file is parsed whole, and its objects
    take several times its size); /dev/zero or a huge file fails at once."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise ReadError(
            f"{name}: JSON larger than {MAX_JSON_BYTES // 2**20} MB; export it as CSV, which is read as it streams"
        )
    return data


def open_json(name: str, path: Path, encoding: str | None) -> InputFile:
    data = _read_json_bytes(name, path)
    try:
        text = data.decode(encoding or detect_encoding(data, True).replace(AUTO_ENCODING, "utf-8"))
        items = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f":{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ReadError(f"{name}{where}: not valid JSON") from None
    except RecursionError:
        raise ReadError(f"{name}: not valid JSON (nested too deeply)") from None
    except MixedEncoding as exc:
        raise ReadError(f"{name}:{exc.line}: both UTF-8 and Windows-1252 characters (mixed encodings)") from None
    except _NotANumber as exc:
        raise ReadError(f"{name}: not valid JSON ({exc})") from None
    except ValueError:  # an integer of thousands of digits
        raise ReadError(f"{name}: not valid JSON (a number too long to read)") from None
    if not isinstance(items, list):
        raise ReadError(f"{name}: JSON must be a list of objects, not a {type(items).__name__}")
    headers: list[str] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ReadError(f"{name}:{number}: JSON item is not an object")
        for key in item:
            if key not in seen:
                seen.add(key)
                headers.append(key)
    if len(headers) > MAX_CELLS_PER_ROW:
        raise ReadError(f"{name}: the objects have more than {count(MAX_CELLS_PER_ROW)} different keys")

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, item in enumerate(items, start=1):
            values = [_json_cell(item.get(key)) for key in headers]
            if all(value in (None, "") for value in values):
                continue
            check_cell_sizes(name, number, values)
            yield number, values

    return InputFile(name, headers, rows(), _sha256=hashlib.sha256(data).hexdigest())


def _json_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value
