"""Identifiers in free text: where each one stands and its canonical value.

For pseudonymized exports (see `mhtool.export.pseudonymize`): `find(text, record)`
returns the stretches of `text` to replace, each with what it holds (a phone
number, a name, ...) as the canonical value its token is made from, so that
every spelling of one value gives one token.

Two searches run over a text: one for the identifiers `record` holds in its
own columns, in any spelling (record.py), one for anything shaped like an
identifier (record._FINDERS). Both read normalised views of the text
(views.py: Unicode dashes and spaces unified, digits of any script as 0-9,
case and accents folded) whose positions are traced back to the original.
Names are parsed as dedupe parses them (`mhtool.signals.matchkeys`), phone
numbers as the import reads them (`mhtool.parse.phones`).
"""

from mhtool.export.identifiers.record import Record, find
from mhtool.export.identifiers.views import address_key, compact, fold, name_key, phone_key, url_key

__all__ = ["Record", "address_key", "compact", "find", "fold", "name_key", "phone_key", "url_key"]
