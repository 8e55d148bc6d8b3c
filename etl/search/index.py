"""The full-text index writer: one tantivy index directory per DuckDB snapshot.

This module owns the on-disk index format (fields, tokenizer, text normalisation) that
`dashboard/search.py` reads. The two halves share nothing but that format, so the few
constants below (FORMAT_VERSION, WORDS_TOKENIZER, ANALYZER_SPEC, NORMALISE_TABLE) are
mirrored in the dashboard module and a test checks that the copies agree.

No SQL here: the store hands rows over as dicts. See docs/search.md for the design.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Mapping

import tantivy

FORMAT_VERSION = 1
FORMAT_FILE = "search-format.json"
WORDS_TOKENIZER = "ct_words"
# (tokenizer, filters...) of the single analyzer used for every text field, at index and
# query time: split on anything that is not a letter or digit, drop tokens over 40 bytes,
# lowercase, fold Latin accents to ASCII ("Türkiye" -> "turkiye"). Stemming is done at query
# time by expanding a word to the indexed forms that share its English stem, which keeps
# one field per text instead of two (see docs/search.md for the measured cost).
ANALYZER_SPEC = ("simple", ("remove_long", 40), "lowercase", "ascii_fold")

# tantivy's indexing memory, shared by its threads, filled before each segment is written: at
# 1 M JSON Lines articles 256 MB put the ingest's peak at 1,813-1,906 MiB, 128 MB at 1,644 MiB
# for the same speed (3,522 against 3,580 articles/s, within run-to-run variation)
WRITER_HEAP_BYTES = 128_000_000
WRITER_THREADS = 2
_EPOCH = date(1970, 1, 1)
_LOCK_FILES = {".tantivy-writer.lock", ".tantivy-meta.lock"}


def _arabic_normalise_table() -> dict[int, int | None]:
    """Light Arabic normalisation (as in Larkey et al.'s light stemmers, without stemming).

    Diacritics, Quranic marks and tatweel are removed (tantivy would otherwise keep them
    inside the word, so "بَشّار" would not match "بشار"); hamza-carrying alef forms become bare
    alef, alef maqsura becomes yaa, taa marbuta becomes haa; Persian kaf/yeh become Arabic;
    Arabic-Indic digits become ASCII; invisible joiners and soft hyphens are dropped so they
    do not split words.
    """
    table: dict[int, int | None] = {}
    for lo, hi in ((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
                   (0x06DF, 0x06E4), (0x06E7, 0x06E8), (0x06EA, 0x06ED), (0x0640, 0x0640)):
        for cp in range(lo, hi + 1):
            table[cp] = None
    for cp in (0x00AD, 0x200C, 0x200D, 0x2060, 0xFEFF):
        table[cp] = None
    table[0x200B] = 0x20
    for cp in (0x0622, 0x0623, 0x0625, 0x0671):
        table[cp] = 0x0627
    table[0x0649] = 0x064A
    table[0x0629] = 0x0647
    table[0x06CC] = 0x064A
    table[0x06A9] = 0x0643
    for i in range(10):
        table[0x0660 + i] = 0x30 + i
        table[0x06F0 + i] = 0x30 + i
    return table


NORMALISE_TABLE = _arabic_normalise_table()
_NEEDS_NORMALISING = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(NORMALISE_TABLE)) + "]")


def normalise(text: str) -> str:
    """Apply NORMALISE_TABLE; text without any affected character is returned as is (fast path)."""
    if text.isascii() or not _NEEDS_NORMALISING.search(text):
        return text
    return text.translate(NORMALISE_TABLE)


def words_analyzer() -> tantivy.TextAnalyzer:
    """The analyzer registered as WORDS_TOKENIZER, built from ANALYZER_SPEC."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for step in ANALYZER_SPEC[1:]:
        name, *args = step if isinstance(step, tuple) else (step,)
        builder = builder.filter(getattr(tantivy.Filter, name)(*args))
    return builder.build()


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
    """Conventional name of a snapshot's index directory inside `<db stem>.index/`."""
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
            _check_format(Path(prev_dir))
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
    # the format file is written last and by rename, like meta.json, so the hard-linked
    # previous directory never shares a file that changes
    _write_format_file(staging)
    os.rename(staging, index_dir)


def _write_format_file(index_dir: Path) -> None:
    info = {"format": FORMAT_VERSION, "tokenizer": WORDS_TOKENIZER,
            "analyzer": [list(s) if isinstance(s, tuple) else s for s in ANALYZER_SPEC],
            "normalise": "arabic-light-1"}
    tmp = index_dir / (FORMAT_FILE + ".tmp")
    tmp.write_text(json.dumps(info, indent=1))
    os.replace(tmp, index_dir / FORMAT_FILE)


def _check_format(index_dir: Path) -> None:
    try:
        info = json.loads((index_dir / FORMAT_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise ValueError(f"not a search index directory: {index_dir} ({exc})") from exc
    if info.get("format") != FORMAT_VERSION:
        raise ValueError(f"index {index_dir} has format {info.get('format')}, "
                         f"this code writes {FORMAT_VERSION}: rebuild it (python -m etl reindex)")

