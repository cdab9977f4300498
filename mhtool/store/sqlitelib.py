"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas when they are installed (numpy is,
for the ads commands) only to map their scalar types in inserts. mhtool
inserts none, and importing numpy took a third of every command's start
(0.1 to 0.2 s). So mhtool imports sqlite-utils only from here, with the
two hidden; they import normally afterwards."""

import sys


def _without(names: tuple[str, ...]):
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import numpy" raises ImportError
    return hidden


_hidden = _without(("numpy", "pandas")) if "sqlite_utils" not in sys.modules else []
try:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations
finally:
    for _name in _hidden:
        if sys.modules.get(_name, False) is None:
            del sys.modules[_name]

__all__ = ["Migrations", "sqlite_utils"]
