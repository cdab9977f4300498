"""Values from data reach the screen as text and nothing else.

A scraped ad or a signal may hold anything: rich markup (`[/b]`,
`[link=...]`), terminal control sequences (ESC `[2J` clears the screen,
OSC 8 makes a hyperlink, OSC 52 writes the clipboard), C1 controls (U+009B
is a CSI on its own) or bidi overrides that show text in another order.
Everything printed goes through one of these helpers:

- `visible(text)`: control characters made visible (C0 and DEL as Unicode
  control pictures such as `␛`, C1 and bidi controls as `<U+009B>`); tab and
  line feed are kept.
- `echo(message)`: click.echo of `visible(message)`; for every line mhtool
  prints itself (show commands, summaries, warnings and errors).
- `text(value)`: a rich `Text`, never parsed as markup, for table cells and
  chart labels; `markup_free(text)` where rich insists on markup (a progress
  bar's description).
- `json_text(value)`: JSON whose strings keep every character (lossless)
  but carry the ones a terminal would act on as `\\u` escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

# C0 except tab and line feed, DEL, C1, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# What json.dumps(ensure_ascii=False) leaves raw but a terminal may act on.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def picture(char: str) -> str:
    """The visible stand-in for one unsafe character."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(value: Any) -> str:
    """`value` as text with every control character made visible."""
    return _UNSAFE.sub(lambda m: picture(m.group()), "" if value is None else str(value))


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    click.echo(visible(message), err=err, nl=nl)


def text(value: Any, style: str = ""):
    """A rich Text of `value`: shown literally, never as markup."""
    from rich.text import Text

    return Text(visible(value), style=style)


def markup_free(value: Any) -> str:
    """`value` for a place where rich reads markup: escaped, controls visible."""
    from rich.markup import escape

    return escape(visible(value))


def json_text(value: Any, **options) -> str:
    """json.dumps (UTF-8 kept) with DEL, C1, bidi and line separators escaped."""
    dumped = json.dumps(value, ensure_ascii=False, **options)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
