"""Links (with or without a scheme), e-mail addresses and account names in free text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mhtool.export.identifiers.views import _DEFANGED_DOT, Found, _found, _View, url_key

_TLDS = (
    "nl|be|de|eu|com|net|org|info|biz|io|co|me|tv|cc|to|ly|uk|fr|es|it|pl|ro|bg|hu|cz|sk|ru|ua|tr|ch|at|dk"
    "|se|no|fi|pt|gr|lt|lv|ee|online|site|club|top|xyz|live|app|shop|store|link|click|sex|xxx|porn|adult"
    "|dating|onion|example"
)
_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))"
_URL = re.compile(
    r"\b(?:https?|hxxps?)://[^\s<>\"']+"
    rf"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?{_DOT})+(?P<tld>{_TLDS})(?![a-z0-9-])"
    r"(?::[0-9]{1,5})?(?P<path>/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# TLDs that are also words: "bang.De man" (a missing space) is no link.
_WORD_TLDS = frozenset("de it es no to at be me co".split())
_URL_END = ".,;:!?)]}'\""
_EMAIL = re.compile(r"[\w.+-]+(?:@|\[at\]|\(at\))[\w-]+(?:(?:\.|\[dot\]|\[\.\]|\(dot\))[\w-]+)+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.@])@([a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?)", re.IGNORECASE)
# Words that look like a user name: "cash_king", "kimmy1998" (not "tel0612345678").
_ACCOUNT = re.compile(r"(?<![\w@.])(?:[a-z0-9]+_[a-z0-9_]+|[a-z]{3,}[0-9]{2,6})(?![\w@])", re.IGNORECASE)


def _urls(view: _View) -> Iterator[Found]:
    for match in _URL.finditer(view.text):
        text = match[0].rstrip(_URL_END)
        tld = match["tld"]
        if tld and tld.casefold() in _WORD_TLDS and tld != tld.lower() and not match["path"]:
            continue
        yield _found(view, match.start(), match.start() + len(text), "U", url_key(text))


def _emails(view: _View) -> Iterator[Found]:
    for match in _EMAIL.finditer(view.text):
        key = _DEFANGED_DOT.sub(".", match[0].casefold()).replace("[at]", "@").replace("(at)", "@")
        yield _found(view, match.start(), match.end(), "E", key)


def _handles(view: _View) -> Iterator[Found]:
    for match in _HANDLE.finditer(view.text):
        handle = match[1].rstrip(".")
        if len(handle) >= 2:
            yield _found(view, match.start(), match.start(1) + len(handle), "H", handle.casefold())
    for match in _ACCOUNT.finditer(view.text):
        yield _found(view, match.start(), match.end(), "H", match[0].casefold())


# Account names in links to these sites: instagram.com/NAME, t.me/NAME, tiktok.com/@NAME.
_SOCIAL = re.compile(
    r"^(?:instagram\.com|t\.me|tiktok\.com|snapchat\.com/add|onlyfans\.com|twitter\.com|x\.com"
    r"|facebook\.com|telegram\.me|wa\.me)/@?([^/?#]+)"
)


def _social_handles(urls: Iterable[str]) -> set[str]:
    return {m[1] for url in urls if (m := _SOCIAL.match(url)) and not m[1].isdigit()}
