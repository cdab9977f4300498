"""Is a folder on a network drive? SQLite's WAL mode needs shared memory
and locks that network filesystems (SMB/CIFS, NFS, ...) do not give
reliably; a database there can corrupt under concurrent use.

Linux: the filesystem type of the mount holding the folder, from
/proc/self/mountinfo. Windows: the drive type (a mapped network drive) or
a UNC path (\\\\server\\share). Elsewhere nothing is detected.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "coda",
        "9p",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "davfs",
        "fuse.davfs2",
        "glusterfs",
        "ceph",
        "lustre",
        "gpfs",
    }
)


def _unescape(field: str) -> str:
    """Mount points in mountinfo write space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_type(folder: str, mountinfo: str) -> str | None:
    """The filesystem type of the mount that holds `folder` (an absolute,
    resolved path), read from the text of /proc/self/mountinfo."""
    best, best_type = "", None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        point = _unescape(fields[4])
        inside = folder == point or folder.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, right.split()[0]
    return best_type


def network_filesystem(path: Path) -> str | None:
    """The kind of network drive `path`'s folder is on, or None."""
    folder = os.path.realpath(path.parent if str(path.parent) else ".")
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
                kind = mount_type(folder, handle.read())
        except OSError:
            return None
        return kind if kind in NETWORK_TYPES else None
    if sys.platform == "win32":
        return _windows_network_drive(folder)
    return None


def _windows_network_drive(folder: str) -> str | None:
    if folder.startswith("\\\\"):
        return "network share (UNC path)"
    import ctypes

    drive_remote = 4
    root = os.path.splitdrive(folder)[0] + "\\"
    if ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == drive_remote:  # type: ignore[attr-defined]
        return "network drive"
    return None
