"""Benchmark `mhtool.ads.similar.similar_text_groups` (the shared_text indicator).

Generates N synthetic sex-ad texts from word and phrase pools -- shared
openers and closers (boilerplate), a body of stock phrases and random words,
a name, an age, a price and a phone number -- and plants near-copies of 1% of
them: same text with another name, age, phone and price and one or two words
replaced or dropped. Times `similar_text_groups` and prints seconds, pairs
found, recall of the planted pairs and peak memory.

    python benchmarks/similar_texts.py                 # 100,000 ads
    python benchmarks/similar_texts.py --ads 20000 --ring 300

`--ring K` additionally plants one copy ring: a template posted K times with
another name, city, age, phone and price and one or two words changed (tests
the `max_block` bucket cap and the boilerplate filter).

Recall is measured against the planted pairs whose normalised texts really
score >= threshold (checked directly with rapidfuzz); planted pairs that the
random edits pushed below the threshold are reported but not expected.
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from mhtool.ads.similar import normalise_text, similar_text_groups  # noqa: E402

NAMES = [
    "Anna",
    "Bella",
    "Chantal",
    "Daisy",
    "Eva",
    "Fleur",
    "Gina",
    "Hanna",
    "Iris",
    "Jade",
    "Kim",
    "Lisa",
    "Mia",
    "Nina",
    "Olga",
    "Paula",
    "Queen",
    "Rosa",
    "Sofia",
    "Tanya",
    "Ulla",
    "Vera",
    "Wendy",
    "Xenia",
    "Yara",
    "Zoë",
    "Lola",
    "Mila",
    "Nikki",
    "Roxy",
    "Lucía",
    "Andreea",
    "Bianca",
    "Daria",
    "Elena",
    "Ioana",
    "Kasia",
    "Marta",
    "Natália",
    "Svetlana",
]
CITIES = [
    "Hilversum",
    "Amersfoort",
    "Utrecht",
    "Almere",
    "Bussum",
    "Huizen",
    "Weesp",
    "Baarn",
    "Soest",
    "Zeist",
    "Amsterdam",
    "Naarden",
]
OPENERS = [
    "Hi gentlemen, I am {name}, {age} years old and new in {city}.",
    "Hello darling! My name is {name} ({age}), visiting {city} only this week.",
    "NEW NEW NEW in {city}!! {name}, {age} jaar, sweet and naughty.",
    "Hoi lieverd, ik ben {name}, {age} jaar, net nieuw in {city}.",
    "Sexy {name} {age}yo just arrived in {city} for you.",
    "Hey guys, {name} here, {age}, your new girlfriend in {city}.",
    "Welcome gentlemen, I'm {name}, a {age} year old beauty in {city}.",
    "Sweet {name} ({age}) waiting for you in {city}, private apartment.",
]
CLOSERS = [
    "Call or WhatsApp {phone}, no private numbers. {price} euro per hour.",
    "Bel mij op {phone}! {price} euro half uur, geen SMS.",
    "100% discreet, clean and safe. Only {price}€. Tel {phone}",
    "Contact me: {phone} (WhatsApp only). Prices from {price} euro.",
    "Incall and outcall, {price} eur/hour, call {phone} now.",
    "Kisses, {name}. {phone}. Available 24/7, {price} euro.",
]
PHRASES = [
    "I love to kiss and cuddle",
    "real photos no fake",
    "very discreet and clean apartment",
    "my body is natural and soft",
    "come and relax with me",
    "I offer a sensual massage",
    "girlfriend experience with lots of passion",
    "long legs and a beautiful smile",
    "nice private place with parking",
    "you will not regret it",
    "open minded and playful",
    "I speak English and a little Dutch",
    "shower available before and after",
    "make an appointment in time",
    "I am waiting for you in lingerie",
    "no rush, no stress",
    "for gentlemen with good manners",
    "every day from morning till late",
    "hot and sweet like you like it",
    "a real pleasure for the eyes",
    "ik ontvang je graag thuis",
    "lekker genieten zonder haast",
    "discreet parkeren voor de deur",
    "ook voor koppels",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "su",
    "vi",
    "de",
    "ba",
    "ri",
    "po",
    "la",
    "ze",
    "an",
    "el",
    "or",
    "us",
    "in",
    "et",
    "ma",
    "no",
    "sa",
    "te",
    "ko",
    "li",
    "fu",
    "gi",
]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _phone(rng: random.Random) -> str:
    number = f"{rng.randint(10000000, 99999999)}"
    style = rng.randrange(4)
    if style == 0:
        return f"06-{number}"
    if style == 1:
        return f"06 {number[:2]} {number[2:4]} {number[4:6]} {number[6:]}"
    if style == 2:
        return f"+31 6 {number[:4]} {number[4:]}"
    return f"06{number}"


def _fields(rng: random.Random) -> dict[str, object]:
    return {
        "name": rng.choice(NAMES),
        "age": rng.randint(19, 39),
        "city": rng.choice(CITIES),
        "phone": _phone(rng),
        "price": rng.choice([80, 100, 120, 150, 160, 200, 250]),
    }


def _ad(rng: random.Random, vocab: list[str]) -> tuple[str, str, str, list[str]]:
    opener = rng.choice(OPENERS)
    closer = rng.choice(CLOSERS)
    body: list[str] = []
    for _ in range(rng.randint(3, 5)):
        body.append(rng.choice(PHRASES))
        body.append(" ".join(rng.choice(vocab) for _ in range(rng.randint(4, 9))))
    return opener, closer, ". ".join(body) + ".", body


def _render(opener: str, closer: str, body: str, fields: dict[str, object]) -> str:
    return f"{opener.format(**fields)} {body} {closer.format(**fields)}"


def _edit_words(rng: random.Random, body: str, vocab: list[str]) -> str:
    words = body.split(" ")
    for _ in range(rng.randint(1, 2)):
        pos = rng.randrange(len(words))
        if rng.random() < 0.5:
            words[pos] = rng.choice(vocab)
        else:
            del words[pos]
    return " ".join(words)


def generate(
    n: int, *, planted_share: float = 0.01, ring: int = 0, seed: int = 1
) -> tuple[list[tuple[int, str]], list[tuple[int, int]], list[int]]:
    """N ads as (key, text); planted (original, copy) key pairs; ring keys."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    n_planted = int(n * planted_share)
    n_ring = ring
    n_base = n - n_planted - n_ring
    ads: list[tuple[int, str]] = []
    parts = []
    for key in range(n_base):
        opener, closer, body, _ = _ad(rng, vocab)
        parts.append((opener, closer, body))
        ads.append((key, _render(opener, closer, body, _fields(rng))))
    planted: list[tuple[int, int]] = []
    for original in rng.sample(range(n_base), n_planted):
        opener, closer, body = parts[original]
        key = len(ads)
        ads.append((key, _render(opener, closer, _edit_words(rng, body, vocab), _fields(rng))))
        planted.append((original, key))
    ring_keys: list[int] = []
    if n_ring:
        opener, closer, body, _ = _ad(rng, vocab)
        for _ in range(n_ring):
            ring_keys.append(len(ads))
            ads.append((len(ads), _render(opener, closer, _edit_words(rng, body, vocab), _fields(rng))))
    rng.shuffle(ads)
    return ads, planted, ring_keys


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ads", type=int, default=100_000, help="number of ads (default 100,000)")
    parser.add_argument("--ring", type=int, default=0, help="also plant one copy ring of this size")
    parser.add_argument("--threshold", type=float, default=90.0)
    parser.add_argument("--max-block", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    logging.basicConfig(level=logging.DEBUG, format="  %(message)s")
    start = time.perf_counter()
    ads, planted, ring_keys = generate(args.ads, ring=args.ring, seed=args.seed)
    text = dict(ads)
    print(
        f"generated {len(ads):,} ads ({len(planted):,} planted copies"
        f"{f', ring of {len(ring_keys)}' if ring_keys else ''}) in {time.perf_counter() - start:.1f} s; "
        f"mean length {sum(map(len, text.values())) / len(text):.0f} chars"
    )

    def close(a: int, b: int) -> bool:
        return fuzz.ratio(normalise_text(text[a]), normalise_text(text[b])) >= args.threshold

    expected = {(a, b) for a, b in planted if close(a, b)}
    ring_expected = {(a, b) for x, a in enumerate(sorted(ring_keys)) for b in sorted(ring_keys)[x + 1 :] if close(a, b)}
    rss_before = _rss_mb()
    start = time.perf_counter()
    groups = similar_text_groups(ads, threshold=args.threshold, max_block=args.max_block)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    found = {(min(k, o), max(k, o)) for k, matches in groups.items() for o, _ in matches}
    planted_found = {(min(a, b), max(a, b)) for a, b in expected} & found
    ring_set = set(ring_keys)
    ring_pairs = {p for p in found if p[0] in ring_set and p[1] in ring_set}
    other = found - {(min(a, b), max(a, b)) for a, b in planted} - ring_pairs
    print(f"similar_text_groups: {seconds:.2f} s for {len(ads):,} ads")
    print(f"pairs found: {len(found):,}; keys with a match: {len(groups):,}")
    print(
        f"planted pairs: {len(planted):,}, of which {len(expected):,} score >= {args.threshold:g}; "
        f"recall {len(planted_found)}/{len(expected)} = {len(planted_found) / max(len(expected), 1):.2%}"
    )
    if ring_keys:
        print(
            f"ring pairs scoring >= {args.threshold:g}: {len(ring_expected):,}; "
            f"recall {len(ring_pairs & ring_expected):,}/{len(ring_expected):,} = "
            f"{len(ring_pairs & ring_expected) / max(len(ring_expected), 1):.2%}"
        )
        print(f"ring members with a match: {len(ring_set & set(groups)):,}/{len(ring_set):,}")
    print(f"other pairs found (not planted): {len(other):,}")
    print(f"peak memory: {peak_mb:.0f} MB max RSS (RSS before the call {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
