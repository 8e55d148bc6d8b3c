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


class RefusedInput(InputError):
    """Not read on purpose: a FIFO, device or socket, or a symbolic link that leads out of the
    folders and files named on the command line."""
    kind = "refused_input"


# -- faults of the run itself: nothing was written, the previous snapshot is untouched ----------

class RunFault(Exception):
    """The run stopped before its swap: the live database is as it was. `message` is one plain
    sentence; `fix` is what the user runs or does about it. The CLI prints both and exits 4."""

    def __init__(self, message: str, fix: str):
        super().__init__(f"{message} {fix}")
        self.message, self.fix = message, fix


class DiskFault(RunFault):
    """A file operation of the run failed (permissions, an I/O error)."""


class DiskFull(DiskFault):
    """A write failed for want of space (or a file-size limit)."""


class CorruptDatabase(RunFault):
    """The live database file cannot be opened or read as a DuckDB database."""


class CorruptIndex(RunFault):
    """The full-text index named by the database cannot be opened."""


class WorkerFailure(RunFault):
    """A worker process failed on work that cannot be skipped (retagging stored articles)."""
