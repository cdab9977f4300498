"""Examples blocks in command help."""

from __future__ import annotations

from collections.abc import Callable


def examples(text: str) -> Callable:
    """Append an Examples block to a command's help, kept verbatim by click."""

    def decorate(func: Callable) -> Callable:
        import inspect

        lines = "\n".join("  " + line if line else "" for line in text.strip("\n").splitlines())
        # cleandoc first: the docstring's own indentation must not leak into the help.
        func.__doc__ = inspect.cleandoc(func.__doc__ or "") + "\n\n\b\nExamples:\n" + lines + "\n"
        return func

    return decorate
