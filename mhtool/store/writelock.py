"""Who holds the database's write lock.

SQLite does not say which process holds its write lock, so a writer that
must give up could only guess. Every mhtool command that takes the lock
leaves a short note next to the database (`mhtool.db-writer`: process id,
command name, since when; never arguments or data) and removes it when it
lets go. A command killed while writing leaves a stale note, which the next
reader recognises because that process no longer exists.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path

NOTE_SUFFIX = "-writer"

# Set by the CLI: the command that is running, e.g. 'signals import'.
current_command = "mhtool"


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    since: str


def note_path(db_path: Path) -> Path:
    return Path(str(db_path) + NOTE_SUFFIX)


def claim(db_path: Path) -> None:
    """Leave the note; best effort (a read-only folder must not stop a write)."""
    note = note_path(db_path)
    partial = Path(f"{note}.{os.getpid()}")
    data = {
        "pid": os.getpid(),
        "command": current_command,
        "since": datetime.datetime.now().isoformat(timespec="seconds"),
    }
    try:
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(partial, note)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()


def release(db_path: Path) -> None:
    note = note_path(db_path)
    found = _read(note)
    if found is not None and found.pid == os.getpid():
        with contextlib.suppress(OSError):
            note.unlink()


def holder(db_path: Path) -> Holder | None:
    """The mhtool command that holds the write lock, if a live one does."""
    found = _read(note_path(db_path))
    if found is None or found.pid == os.getpid() or not _alive(found.pid):
        return None
    return found


def _read(note: Path) -> Holder | None:
    try:
        data = json.loads(note.read_text("utf-8"))
        return Holder(int(data["pid"]), str(data["command"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # no cheap check; the note is removed when the lock is let go
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def busy_message(db_path: Path, waited_seconds: int) -> str:
    found = holder(db_path)
    if found is not None:
        return (
            f"the database is busy: another mhtool command ({found.command}, process {found.pid}) "
            f"has held its write lock since {found.since.replace('T', ' ')}; "
            "try again when it has finished"
        )
    return (
        f"the database is busy: another program has held its write lock for over {waited_seconds} s; "
        "try again when it has finished"
    )
