"""What crosses the process boundary: a task's typed result, and the tag the parent keeps with it.

A worker returns a `TaskResult` (pickled by etl.workers.Pool): the enriched articles as a
`Packed` batch, the `etl.model.ItemError`s of items it could not use, and, for a task of whole
files, a `FileResult` per file. The parent keeps a `Tag` beside each submitted task, so that it
knows what to do with the result (or with a `workers.TaskFailed` in its place).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from etl.model import ItemError


@dataclass
class Packed:
    """A worker's enriched articles in the shape the writer stores: Arrow tables (cheap to send
    between processes) plus the few per-article values deduplication looks at. Article ids are
    provisional (content_hash[:16]); the writer settles them. Child tables carry `_rec`, the
    index of their article in this batch."""
    keys: list[tuple[str, str]] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    simhashes: list[int] = field(default_factory=list)
    minhashes: object = None     # numpy (n × 32) uint16
    days: object = None          # numpy int32: publication day, dedup NO_DAY when undated
    articles: object = None      # pyarrow.Table with store.ARTICLE_SCHEMA
    children: dict = field(default_factory=dict)    # child table name -> pyarrow.Table

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(slots=True)
class FileResult:
    """One whole input file a task read: what the parent records in `input_files` once its
    articles are written (unless `failed`: the whole file was unusable, so the next run tries
    it again)."""
    path: str
    size: int
    mtime_ns: int
    sha256: str = ""
    input_format: str | None = None
    n_articles: int = 0
    failed: bool = False


@dataclass
class TaskResult:
    """A task's outcome: its articles, the items it could not use, and the files it read."""
    packed: Packed = field(default_factory=Packed)
    errors: list[ItemError] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)


@dataclass(frozen=True)
class Tag:
    """What a submitted task is, kept by the parent beside it:
    FILES — whole small files (the files are named in its result);
    ROWS — part of one input `path` (a URL, a chunk of a big table);
    TABLE_DONE — no work: the end of big table `done`, which is recorded as read once every
    chunk before it came back."""
    kind: str
    path: str = ""
    done: FileResult | None = None


FILES, ROWS, TABLE_DONE = "files", "rows", "table_done"
