"""Reading a user's settings file (import profile, ad rules, keyword lists,
region table) with a size bound, and checking its values, so that a hostile
or mistyped file is refused with one line naming the file, the key and the
reason, never read without end (/dev/zero) and never half used (a weight of
nan silently makes nothing risky).
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from mhtool.errors import MhtoolError
from mhtool.io.limits import MAX_SETTINGS_BYTES


class SettingsError(MhtoolError):
    """A settings file that cannot be used as it is."""


def bad(path: str, key: str, reason: str) -> SettingsError:
    return SettingsError(f"{path}: {key}: {reason}")


def read_settings(path: str, what: str) -> bytes:
    """The bytes of a settings file, at most MAX_SETTINGS_BYTES of them."""
    try:
        if Path(path).is_dir():
            raise SettingsError(f"{path}: is a folder, not a {what} file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        raise SettingsError(f"{path}: {what} file not found") from None
    except PermissionError:
        raise SettingsError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise SettingsError(f"{path}: larger than {MAX_SETTINGS_BYTES // 2**20} MB; not a {what} file")
    return data


def parse_toml(data: bytes, name: str, what: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SettingsError(f"{name}: not a {what} file (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{name}: not valid TOML ({exc})") from None


def load_toml(path: str, what: str) -> dict[str, Any]:
    return parse_toml(read_settings(path, what), path, what)


def number(value: Any, path: str, key: str, *, minimum: float | None = None) -> float:
    """A finite number (TOML's nan and inf are numbers too), at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad(path, key, "must be a number")
    if not math.isfinite(value):
        raise bad(path, key, f"must be a finite number, not {value}")
    if minimum is not None and value < minimum:
        raise bad(path, key, f"must be at least {minimum:g}")
    return float(value)


def text(value: Any, path: str, key: str) -> str:
    if not isinstance(value, str):
        raise bad(path, key, f"must be text, not {_kind(value)}")
    return value


def texts(value: Any, path: str, key: str, *, one_allowed: bool = False) -> list[str]:
    """A list of texts (or, with `one_allowed`, one text as a list of one)."""
    if one_allowed and isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(path, key, f"must be a list of texts, not {_kind(value)}")
    return value


def table(value: Any, path: str, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad(path, key, f"must be a table ([{key}]), not {_kind(value)}")
    return value


def known_keys(data: dict, allowed, path: str, prefix: str = "") -> None:
    for key in data:
        if key not in allowed:
            raise bad(path, prefix + key, f"unknown key (known: {', '.join(allowed)})")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        odd = [v for v in value if not isinstance(v, str)]
        return f"a list holding {_kind(odd[0])}" if odd else "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
