"""Exception types that carry a message meant for the user.

Anything raised as an ``MhtoolError`` is printed as one line on stderr and
ends the command with exit code 1; anything else is a bug.
"""


class MhtoolError(Exception):
    """A problem the user can fix: bad input, a missing file, a bad option."""


class ParseError(MhtoolError, ValueError):
    """A single value that cannot be read (a date, a phone number, ...).

    The message says what is wrong in plain words. It must not repeat
    personal data from the value (phone numbers, names, free text).
    """


class UsageError(MhtoolError):
    """Options that do not fit together; reported with exit code 2."""

    exit_code = 2
