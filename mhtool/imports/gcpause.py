"""Pausing Python's cycle collector during bulk work."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def cycle_collector_paused():
    """Pause Python's cycle collector. An import or a dedupe run keeps
    millions of small objects alive for a while (rows in flight, profiles,
    pairs) that make no reference cycles: plain reference counting frees
    them, and the collector walked them again and again for nothing (a third
    of an import's time, a quarter of a dedupe run's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
