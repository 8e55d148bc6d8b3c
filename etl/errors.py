"""Named exceptions for inputs that cannot be read. Each carries the path and a specific reason."""
from __future__ import annotations


class InputError(Exception):
    """Base class: an input (file or URL) that could not be read as a whole."""

    kind = "input_error"

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnreadableInput(InputError):
    kind = "unreadable_input"


class UnknownFormat(InputError):
    kind = "unknown_format"


class EmptyInput(InputError):
    kind = "empty_input"


class MalformedInput(InputError):
    kind = "malformed_input"


class TooLarge(InputError):
    kind = "too_large"


class NotAnArticle(InputError):
    """A readable text file that holds no article (source code, a list of links)."""

    kind = "not_an_article"
