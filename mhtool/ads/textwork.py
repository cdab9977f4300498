"""The work on each ad's text alone, done in a second process.

Cutting every text into shingles (for `shared_text`), finding the phrase
indicators' phrases (regular-expression scans) and a phone number written
to dodge scrapers (`obscured_phone`) depend on the text alone and are
about 45% of a week's score. For a large set of ads they run
in a second process while this one reads the evidence from the database,
so `ads score` uses two cores; the shingles come first, as the comparison
of texts needs them before the indicators need the phrases. The result is
the same either way (tests/test_ads_textwork.py). The second process is
forked, so Python's string hashes (shingle_hashes) agree with this one's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from mhtool.ads.indicators import folded_text
from mhtool.ads.obscured import obscured_phone
from mhtool.ads.rules import Rules
from mhtool.ads.textshare import shingle_hashes
from mhtool.pausepoints import pause_point

#: Fewer ads than this: done in this process (a second one costs more than it saves).
MIN_ROWS = 2000

# ad -> indicator code -> what it found (a phrase, how a phone was hidden);
# an indicator (or an ad) that found nothing is left out
Finds = dict[int, dict[str, str]]
Shingles = dict[int, frozenset[int]]  # ad -> shingle_hashes of its text
_Texts = list[tuple[int, str | None, str | None]]  # (ad, title, text)


def find_in_texts(texts: _Texts, rules: Rules) -> Finds:
    """What the indicators that look at the wording alone find in each text."""
    worded = [(code, ind) for code, ind in rules.indicators.items() if ind.has_phrases]
    hidden = "obscured_phone" in rules.indicators
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
    """What `text_work` yields: each returns its part, waiting for it if need be."""

    shingles: Callable[[], Shingles]
    text_finds: Callable[[], Finds]


def _second_process(send, texts: _Texts, rules: Rules, shingles: bool, parent: int) -> None:
    import signal

    from mhtool.imports.workers import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the first process's to handle: it ends this one
    die_with_parent(parent)
    pause_point("ads-score-second-process")
    send.send(("shingles", cut_shingles(texts) if shingles else {}))
    send.send(("text_finds", find_in_texts(texts, rules)))
    send.close()


def _workers() -> int:
    configured = os.environ.get("MHTOOL_SCORE_WORKERS", "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return int(configured)
    return min(os.cpu_count() or 1, 2)


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

    if len(rows) < MIN_ROWS or _workers() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield TextWork(shingles_here, finds_here)
        return
    here: dict[str, Callable[[], Any]] = {"shingles": shingles_here, "text_finds": finds_here}
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_second_process, args=(send, texts, rules, shingles, os.getpid()), daemon=True)
    child.start()
    send.close()
    done: dict[str, Any] = {}

    def part(name: str) -> Callable[[], Any]:
        def get() -> Any:
            while name not in done:
                try:
                    key, value = receive.recv()
                except EOFError:  # the second process died: do it here
                    done.setdefault(name, here[name]())
                else:
                    done[key] = value
            return done[name]

        return get

    try:
        yield TextWork(cast(Callable[[], Shingles], part("shingles")), cast(Callable[[], Finds], part("text_finds")))
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
