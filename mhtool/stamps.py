"""Who and when: the stamps on imports, reviews, decisions and the audit."""

from __future__ import annotations

import datetime
import getpass
import os


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers; not worth failing for
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def now_iso() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")
