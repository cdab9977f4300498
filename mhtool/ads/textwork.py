"""The work on each ad's text alone, done mostly in a second process.

Cutting every text into shingles (for `shared_text`), finding the phrase
indicators' phrases (regular-expression scans) and a phone number written
to dodge scrapers (`obscured_phone`) depend on the text alone and are
about 45% of a week's score. For a large set of ads the shingles and the
phrases are done in a second process while this one reads the evidence
from the database, and this one looks for hidden phones while it waits for
the phrases: `ads score` uses two cores. The shingles come first, in parts
(the second process holds one part at a time), as the comparison of texts
needs them before the indicators need the phrases. The result is the same
either way (tests/test_ads_textwork.py). The second process is forked, so
Python's string hashes (shingle_hashes) agree with this one's.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mhtool.ads.indicators import folded_text
from mhtool.ads.obscured import obscured_phone
from mhtool.ads.rules import Rules
from mhtool.ads.textshare import shingle_hashes
from mhtool.pausepoints import pause_point

#: Fewer ads than this: done in this process (a second one costs more than it saves).
MIN_ROWS = 2000
_PART = 1000  # texts whose shingles the second process sends at a time

# ad -> indicator code -> what it found (a phrase, how a phone was hidden);
# an indicator (or an ad) that found nothing is left out
Finds = dict[int, dict[str, str]]
Shingles = dict[int, Any]  # ad -> shingle_hashes of its text (a numpy array)
_Texts = list[tuple[int, str | None, str | None]]  # (ad, title, text)


def find_in_texts(texts: _Texts, rules: Rules, *, phrases: bool = True, hidden: bool = True) -> Finds:
    """What the indicators that look at the wording alone find in each text:
    the phrases (if `phrases`) and a phone number hidden (if `hidden`)."""
    worded = [(code, ind) for code, ind in rules.indicators.items() if ind.has_phrases and phrases]
    hidden = hidden and "obscured_phone" in rules.indicators
    found: Finds = {}
    for ad, title, text in texts:
        full = " ".join(filter(None, [title, text]))
        folded = folded_text(full)
        finds = {code: phrase for code, ind in worded if (phrase := ind.find_phrase(full, folded))}
        if hidden and (trick := obscured_phone(full)):
            finds["obscured_phone"] = trick
        if finds:
            found[ad] = finds
    return found


def cut_shingles(texts: _Texts) -> Shingles:
    return {ad: shingle_hashes(text) for ad, _, text in texts}


@dataclass
class TextWork:
    """What `text_work` yields: each returns its part (once), waiting for it if need be."""

    shingles: Callable[[], Shingles]
    text_finds: Callable[[], Finds]


def _second_process(send, texts: _Texts, rules: Rules, shingles: bool, parent: int) -> None:
    import signal

    from mhtool.imports.workers import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the first process's to handle: it ends this one
    die_with_parent(parent)
    pause_point("ads-score-second-process")
    for start in range(0, len(texts) if shingles else 0, _PART):  # in parts: this process holds one at a time
        send.send(("shingles", cut_shingles(texts[start : start + _PART])))
    send.send(("shingles", None))
    send.send(("text_finds", find_in_texts(texts, rules, hidden=False)))
    send.close()


@contextlib.contextmanager
def text_work(rows: list[dict[str, Any]], rules: Rules, *, shingles: bool = True) -> Iterator[TextWork]:
    """Start the text work on `rows` (the shingles only if `shingles`). In a
    second process when there are at least `MIN_ROWS` rows, two cores and
    `fork` (`MHTOOL_SCORE_WORKERS=1`: never); else here, when asked for. A
    second process that dies leaves the work to this one."""
    import multiprocessing

    texts = [(row["ad"], row.get("title"), row.get("text")) for row in rows]

    def shingles_here() -> Shingles:
        return cut_shingles(texts) if shingles else {}

    def finds_here() -> Finds:
        return find_in_texts(texts, rules)

    from mhtool.imports.workers import worker_count

    if (
        len(rows) < MIN_ROWS
        or worker_count("MHTOOL_SCORE_WORKERS", 2) < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield TextWork(shingles_here, finds_here)
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_second_process, args=(send, texts, rules, shingles, os.getpid()), daemon=True)
    child.start()
    send.close()
    phrases_here = functools.partial(find_in_texts, texts, rules, hidden=False)
    received = _Received(receive, {"shingles": shingles_here, "text_finds": phrases_here})
    theirs = received.getter("text_finds")

    def finds() -> Finds:
        # this process's share, done while the second one finds the phrases
        found = find_in_texts(texts, rules, phrases=False)
        for ad, more in theirs().items():
            found.setdefault(ad, {}).update(more)
        return found

    try:
        yield TextWork(received.getter("shingles"), finds)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        received.close()


class _Received:
    """What the second process sends, read as it comes by a thread (so that
    it never waits to send the next part); a part it did not send (it died)
    is done here."""

    def __init__(self, receive, here: dict[str, Callable[[], Any]]):
        import threading

        self.receive, self.here = receive, here
        self.done: dict[str, Any] = {}
        self.arrived = {name: threading.Event() for name in here}
        self.thread = threading.Thread(target=self._read, name="mhtool-textwork", daemon=True)
        self.thread.start()

    def _read(self) -> None:
        parts: Shingles = {}
        try:
            while True:
                name, value = self.receive.recv()
                if name == "shingles" and value is not None:
                    parts.update(value)
                    continue
                self.done[name] = parts if name == "shingles" else value
                self.arrived[name].set()
        except (EOFError, OSError):  # sent everything, or died
            pass
        finally:
            for event in self.arrived.values():
                event.set()

    def getter(self, name: str) -> Callable[[], Any]:
        def get() -> Any:
            # Handed over once and not kept here: the shingles are a third of a
            # week's memory and go as soon as the texts are compared.
            self.arrived[name].wait()
            return self.done.pop(name) if name in self.done else self.here[name]()

        return get

    def close(self) -> None:
        self.thread.join()
        self.receive.close()
