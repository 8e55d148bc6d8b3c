"""The full-text index writer: one tantivy index directory per DuckDB snapshot.

The index's fields are built here (`schema`); how text becomes terms is the contract in
format.py / search-format.json, which every finished directory carries for its readers.

No SQL here: the store hands rows over as dicts. See docs/search.md for the design.
"""
from __future__ import annotations

import os
import shutil
import time
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Mapping

import tantivy

from etl.search import format as search_format
from etl.search.format import WORDS_TOKENIZER, normalise, words_analyzer

# tantivy's indexing memory, shared by its threads, filled before each segment is written: a
# larger heap raised the ingest's peak memory at a million articles for no speed (docs/figures.md)
WRITER_HEAP_BYTES = 128_000_000
WRITER_THREADS = 2
_EPOCH = date(1970, 1, 1)
_LOCK_FILES = {".tantivy-writer.lock", ".tantivy-meta.lock"}


def schema() -> tantivy.Schema:
    """The index schema. Text is indexed but not stored: DuckDB already holds it."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("article_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name=WORDS_TOKENIZER)
    sb.add_text_field("body", tokenizer_name=WORDS_TOKENIZER)   # caption and body, two values
    sb.add_integer_field("day", indexed=True, fast=True)        # days since 1970-01-01
    sb.add_text_field("source", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("country", tokenizer_name="raw", index_option="basic")
    sb.add_boolean_field("primary", indexed=True)
    return sb.build()


def dir_name(snapshot_id: int) -> str:
    """Conventional name of a snapshot's index directory inside `<db file>.index/`."""
    return f"{snapshot_id:08d}"


class Writer:
    """Writes the index directory `index_dir` document by document: a fresh index, or (with
    `prev_dir`) a copy of `prev_dir` whose files are hard-linked (tantivy never rewrites a
    segment file; a commit writes new files and atomically replaces meta.json), so `prev_dir`
    keeps answering for readers of the previous snapshot.

    Work goes to a hidden `.NAME.partial` sibling that `close()` renames into place; `discard()`
    (or a kill) never leaves a half index under the real name. The writer's heap is bounded
    (WRITER_HEAP_BYTES); tantivy indexes on its own threads while the caller goes on.
    """

    def __init__(self, index_dir: Path, prev_dir: Path | None = None):
        self.index_dir = Path(index_dir)
        self.staging = _staging(self.index_dir)
        self.incremental = prev_dir is not None
        if prev_dir is None:
            self.index = tantivy.Index(schema(), path=str(self.staging), reuse=False)
        else:
            search_format.check(Path(prev_dir))
            for entry in os.scandir(prev_dir):
                if entry.is_file() and entry.name not in _LOCK_FILES:
                    os.link(entry.path, self.staging / entry.name)
            self.index = tantivy.Index.open(str(self.staging))
        self.index.register_tokenizer(WORDS_TOKENIZER, words_analyzer())
        self.writer = self.index.writer(WRITER_HEAP_BYTES, WRITER_THREADS)
        self.count = 0

    def delete(self, article_id: str) -> None:
        self.writer.delete_documents_by_term("article_id", str(article_id))

    def add(self, row: Mapping) -> None:
        """Add (or, in an incremental index, replace) the document of one article."""
        if self.incremental:
            self.delete(row["article_id"])
        self.writer.add_document(_document(row))
        self.count += 1

    def close(self) -> int:
        self.writer.commit()
        self.writer.wait_merging_threads()
        del self.writer, self.index
        _publish(self.staging, self.index_dir)
        return self.count

    def discard(self) -> None:
        """Drop the work: the staging directory, or the published one when close() got that far."""
        if hasattr(self, "writer"):
            try:
                self.writer.rollback()
            except Exception:  # already failed: the directory goes anyway
                pass
        else:
            shutil.rmtree(self.index_dir, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)


def build(index_dir: Path, rows: Iterable[Mapping]) -> int:
    """Build a fresh index in `index_dir` (which must not exist yet); return the count.

    Each row needs `article_id` and `body`; `title`, `caption`, `published_at` (datetime, date
    or None), `source`, `primary_country` and `is_primary` (default True) are optional.
    """
    writer = Writer(index_dir)
    for row in rows:
        writer.add(row)
    return writer.close()


def update(prev_dir: Path | None, new_dir: Path, upserts: Iterable[Mapping],
           deletes: Iterable[str]) -> None:
    """Make `new_dir` = `prev_dir` with `deletes` removed and `upserts` added or replaced
    (with `prev_dir` None, a full build of `upserts`)."""
    writer = Writer(new_dir, prev_dir)
    for article_id in deletes:
        writer.delete(article_id)
    for row in upserts:
        writer.add(row)
    writer.close()


def gc(parent_dir: Path, keep: set[str], grace_seconds: float = 3600.0) -> list[Path]:
    """Delete index directories in `parent_dir` whose name is not in `keep`.

    `keep` holds directory names or paths (only the last part is compared). A directory
    modified less than `grace_seconds` ago is left alone, so a reader that opened the
    previous snapshot just before the swap is not pulled from under. Returns what was removed.
    """
    parent_dir = Path(parent_dir)
    if not parent_dir.is_dir():
        return []
    keep_names = {Path(k).name for k in keep}
    cutoff = time.time() - grace_seconds
    removed = []
    for entry in sorted(parent_dir.iterdir()):
        if not entry.is_dir() or entry.name in keep_names:
            continue
        if entry.stat().st_mtime > cutoff:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _document(row: Mapping) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("article_id", str(row["article_id"]))
    title = row.get("title")
    if title:
        doc.add_text("title", normalise(title))
    for key in ("caption", "body"):
        value = row.get(key)
        if value:
            doc.add_text("body", normalise(value))
    day = day_number(row.get("published_at"))
    if day is not None:
        doc.add_integer("day", day)
    if row.get("source"):
        doc.add_text("source", str(row["source"]))
    if row.get("primary_country"):
        doc.add_text("country", str(row["primary_country"]))
    is_primary = row.get("is_primary")
    doc.add_boolean("primary", True if is_primary is None else bool(is_primary))
    return doc


def day_number(value: datetime | date | None) -> int | None:
    """Days since 1970-01-01 of the calendar date (time of day and zone ignored)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    return (value - _EPOCH).days


def _staging(index_dir: Path) -> Path:
    """A fresh hidden sibling to write into; a leftover from a killed run is discarded."""
    if index_dir.exists():
        raise FileExistsError(f"index directory already exists: {index_dir} "
                              "(a snapshot's index is written once; pick the next name)")
    staging = index_dir.parent / f".{index_dir.name}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def _publish(staging: Path, index_dir: Path) -> None:
    search_format.write(staging)      # last: a directory with the file is a finished index
    os.rename(staging, index_dir)
