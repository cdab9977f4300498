"""Match a file's headers to our field names.

Headers are compared case-insensitively, ignoring accents, surrounding
spaces, punctuation and the difference between spaces, `-` and `_`. When
several columns could fill one field, the one whose header comes first in the
field's alias list wins; the others are kept as extra columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from mhtool.errors import MhtoolError, UsageError
from mhtool.text import fold_words


def normalise_header(header: str) -> str:
    return fold_words(str(header))


@dataclass(frozen=True)
class Field:
    name: str
    aliases: tuple[str, ...]
    required: bool = False


class MissingColumn(MhtoolError):
    pass


@dataclass
class HeaderMap:
    """Which column index fills which field, and which columns are extra."""

    fields: dict[str, int]
    extra: dict[str, int]
    headers: list[str]
    short_rows_ok: bool = False  # see InputFile.short_rows_ok

    def record(self, cells: list) -> tuple[dict, dict]:
        """Split one row into (field values, extra columns by header); cells
        beyond the header are extra columns too ("column 7"), so that the
        raw record keeps every cell."""
        size = len(cells)
        values = {name: cells[i] if i < size else None for name, i in self.fields.items()}
        extra = {header: cells[i] for header, i in self.extra.items() if i < size and cells[i] not in (None, "")}
        for i in range(len(self.headers), size):
            if not _empty(cells[i]):
                extra[f"column {i + 1}"] = cells[i]
        return values, extra

    def width_problem(self, cells: list) -> str | None:
        """Why a row's cells cannot be matched to the header by position:
        in CSV an unquoted delimiter inside a cell adds one and shifts every
        later cell; a missing one shifts them the other way. Extra cells
        that are all empty are harmless (a trailing delimiter)."""
        size, width = len(cells), len(self.headers)
        if size == width or (size < width and self.short_rows_ok):
            return None
        named = width  # header cells up to the last one with a name
        while named and not str(self.headers[named - 1]).strip():
            named -= 1
        while size > width and _empty(cells[size - 1]):
            size -= 1
        if named <= size <= width:
            return None
        return f"row has {size} cells, the header has {named}"


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def parse_map_options(options: tuple[str, ...] | list[str], known_fields) -> dict[str, str]:
    """`--map HEADER=field` options as {normalised header: field}."""
    mapping = {}
    known = set(known_fields)
    for option in options or ():
        header, sep, field_name = option.rpartition("=")
        field_name = field_name.strip()
        if not sep or not header.strip():
            raise UsageError(f"--map {option!r}: expected HEADER=field")
        if field_name not in known:
            raise UsageError(f"--map {option!r}: unknown field {field_name!r} (fields: {', '.join(sorted(known))})")
        mapping[normalise_header(header)] = field_name
    return mapping


def match_headers(
    file_name: str,
    headers: list[str],
    fields: list[Field],
    user_map: dict[str, str] | None = None,
    *,
    short_rows_ok: bool = False,
) -> HeaderMap:
    normalised = [normalise_header(h) for h in headers]
    known = {normalise_header(alias): alias for spec in fields for alias in spec.aliases}
    known.update({key: field_name for key, field_name in (user_map or {}).items()})
    seen: dict[str, int] = {}
    for index, key in enumerate(normalised):
        if not key:
            continue
        if key in seen:
            # Named only if it is a header we know: in a file without a header
            # row, the first row is data (a name, a phone number).
            what = f"header {known[key]!r}" if key in known else "header (is the first row a header row?)"
            raise MhtoolError(f"{file_name}:1: columns {seen[key] + 1} and {index + 1} have the same {what}")
        seen[key] = index

    chosen: dict[str, int] = {}
    for key, field_name in (user_map or {}).items():
        if key in seen:
            chosen[field_name] = seen[key]
    for spec in fields:
        if spec.name in chosen:
            continue
        for alias in spec.aliases:
            found = seen.get(normalise_header(alias))
            if found is not None and found not in chosen.values():
                chosen[spec.name] = found
                break

    missing = [spec for spec in fields if spec.required and spec.name not in chosen]
    if missing:
        spec = missing[0]
        raise MissingColumn(
            f"{file_name}:1: required column {spec.name!r} is missing "
            f"(accepted headers: {', '.join(spec.aliases)}; or use --map HEADER={spec.name})"
        )
    used = set(chosen.values())
    extra = {headers[i] or f"column {i + 1}": i for i in range(len(headers)) if i not in used}
    return HeaderMap(chosen, extra, headers, short_rows_ok)
