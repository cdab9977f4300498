"""Signal export files the tests write: a Meld Misdaad Anoniem layout,
plain signals, and pairs of reports about one situation."""

from __future__ import annotations

import csv
import os
from pathlib import Path

MMA_HEADER = [
    "Meldingnummer",
    "Datum melding",
    "Categorie",
    "Plaats",
    "Omschrijving",
    "Telefoonnummer",
    "Betrokkenen",
    "Adres",
]
PLACES = ["Hilversum", "Bussum", "Huizen", "Naarden", "Laren", "Weesp"]
PAIRS = 40


def write_signals(path: Path, prefix: str, rows: int, date: str = "01-07-2026") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"{prefix}-{i}",
                    date,
                    "Arbeidsuitbuiting",
                    "Huizen",
                    f"{prefix} melding {i}: slapen op de werkplek",
                    f"06-{20_000_000 + i}",
                    "",
                    "",
                ]
            )
    return path


def write_pairs(path: Path, pairs: int = PAIRS, start: int = 0) -> Path:
    """Pairs of reports about one situation: the same phone in another
    format, a misspelt name, the same address, other wording."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(MMA_HEADER)
        for i in range(start, start + pairs):
            phone, place = f"06-{30_000_000 + i}", PLACES[i % len(PLACES)]
            writer.writerow(
                [
                    f"DUP-{i}-A",
                    "01-07-2026",
                    "Seksuele uitbuiting",
                    place,
                    f"Woning {i} met veel bezoek 's nachts",
                    phone,
                    f"Jan Jansen {i}",
                    f"Laan {i}",
                ]
            )
            writer.writerow(
                [
                    f"DUP-{i}-B",
                    "04-07-2026",
                    "",
                    place,
                    f"Veel mannen bij huis {i} in de nacht",
                    "+31 6 " + phone[3:],
                    f"Jan Janssen {i}",
                    f"Laan {i}",
                ]
            )
    os.chmod(path, 0o600)
    return path
