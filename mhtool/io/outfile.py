"""Output files: never the database, and written whole or not at all.

`clash(output, database)` tells whether writing `output` would touch the
database or one of the files SQLite keeps next to it (-wal, -shm, -journal),
however either path is spelled (relative, `./`, `..`, a symlink, a hard
link, other letter case); mhtool/cli/outpaths.py makes that a usage error
for every option that names an output file, before anything is opened.

Writers then write through `replacing(path)`: a temporary file in the same
folder, created owner-only (0600), renamed over the target only once the
write has succeeded. A full disk, a read-only folder or a crash halfway
leaves the target as it was and no partial file next to it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from mhtool.errors import MhtoolError

SQLITE_FILES = ("", "-wal", "-shm", "-journal")


def _identity(path: str) -> tuple:
    """What names one file: (folder, name) with the folder as a device and
    inode when it exists, the name case-folded (a case-insensitive file
    system, e.g. on Windows or macOS, gives `X.DB` and `x.db` one file)."""
    real = os.path.realpath(path)
    folder, name = os.path.split(real)
    try:
        info = os.stat(folder)
        where: tuple = (info.st_dev, info.st_ino)
    except OSError:
        where = (os.path.normcase(folder),)
    return where, name.casefold()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)  # hard links, symlinks, case-insensitive names
    except OSError:
        return _identity(a) == _identity(b)  # one of them does not exist (yet)


def database_files(db_path: str | os.PathLike) -> list[str]:
    """The database and the files SQLite keeps next to it, under the path as
    given and under the path its symlinks lead to."""
    given = os.fspath(db_path)
    names = {given, os.path.realpath(given)}
    return [name + suffix for name in sorted(names) for suffix in SQLITE_FILES]


def clash(output: str, db_path: str | os.PathLike, side_files=("",)) -> str | None:
    """The database file that writing `output` (and its `side_files`) would
    touch, or None."""
    for suffix in side_files:
        for protected in database_files(db_path):
            if _same_file(output + suffix, protected):
                return protected
    return None


def _cannot_write(path: str, exc: OSError) -> Exception:
    """The same failure, told about `path`, not the temporary name. A full
    disk or a read-only folder stays an OSError, which the command line
    words plainly (`no space left on device`); anything else is one line."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM):
        return OSError(exc.errno, exc.strerror, path)
    return MhtoolError(f"{path}: cannot write ({exc.strerror or exc})")


def _target(path: str) -> Path:
    """The file to replace: a symlink's target (the link stays), after the
    checks that need no writing."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise MhtoolError(f"{path}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise MhtoolError(f"{path}: folder does not exist")
    if target.exists() and not os.access(target, os.W_OK):
        raise MhtoolError(f"{path}: cannot write (the file is read-only)")
    return target


@contextlib.contextmanager
def replacing(path: str, side_files: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a private temporary path next to `path`; on success it replaces
    `path`, on any failure it is removed (with `side_files`, the names a
    writer such as SQLite adds to it). A device or pipe (`/dev/stdout`) is
    written directly: it cannot be replaced."""
    existing = Path(path)
    if existing.exists() and not stat.S_ISREG(existing.stat().st_mode) and not existing.is_dir():
        yield existing
        return
    target = _target(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp, side_files)
        raise _cannot_write(path, exc) from None
    except BaseException:
        _remove(temp, side_files)
        raise


def _remove(temp: Path, side_files: tuple[str, ...]) -> None:
    for suffix in ("", *side_files):
        with contextlib.suppress(OSError):
            os.unlink(f"{temp}{suffix}")


@contextlib.contextmanager
def written(path: str, *, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """A text file that appears at `path` complete, or not at all."""
    with replacing(path) as temp, open(temp, "w", encoding=encoding, newline=newline) as handle:
        yield handle
