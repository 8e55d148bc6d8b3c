"""What runs in the worker processes: read inputs, enrich their articles, pack them.

Every task returns a `results.TaskResult` (or, for retag, Arrow tables by table name); one bad
article or input is an `ItemError` in it, never an exception, so a task fails only when its
worker is killed (time or memory limit) or crashes. The extractors are built once per worker
by `init_worker`, before any task.
"""
from __future__ import annotations

import atexit
import errno
import gc
import hashlib
import io
import multiprocessing
import os
import stat
from itertools import islice
from pathlib import Path
from typing import Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from etl import store
from etl.errors import InputError, RefusedInput
from etl.ingest.packing import child_columns, pack
from etl.ingest.results import FileResult, Packed, TaskResult
from etl.model import Doc, ItemError, RawArticle
from etl.readers.detect import read_input, read_url
from etl.readers.inputs import refused_kind_reason
from etl.readers.table.jsonl import read_jsonl

READ_WHOLE_BYTES = 4_000_000   # files up to this size are read into memory once
ENRICH_BATCH = 500           # articles enriched stage by stage at once (Enricher.enrich_many)
GC_THRESHOLDS = (7000, 10, 10)  # the collector's generation thresholds while ingesting (default 700)

_ENRICHER = None    # this worker's etl.enrich.Enricher (init_worker)
_TAGGER = None      # this worker's etl.extract.topics.Tagger (init_tagger)


def init_worker(sidecar: dict[str, str] | None, taxonomy: Path) -> None:
    """Build this worker's extractors (gazetteer, automata, taxonomy) once."""
    global _ENRICHER
    # imported here, in the forked worker: the extractors' modules are slow to import
    # (docs/figures.md), which the workers then do side by side instead of the parent before
    # it forks them
    from etl.enrich import Enricher
    _ENRICHER = Enricher(taxonomy_path=taxonomy, sidecar=sidecar)
    if multiprocessing.parent_process() is not None:     # a worker process, not the caller's
        _reserve_arrow_pool()
        calm_gc()


def init_tagger(taxonomy: Path) -> None:
    """Build this worker's topic tagger (retag)."""
    global _TAGGER
    from etl.extract.taxonomy import load_taxonomy   # in the worker, as in init_worker
    from etl.extract.topics import Tagger
    _TAGGER = Tagger(load_taxonomy(taxonomy))
    if multiprocessing.parent_process() is not None:
        calm_gc()


def _reserve_arrow_pool() -> None:
    """Allocate from Arrow's memory pool and start its thread pools once, now: its allocator
    reserves a 1 GiB arena of address space (not memory) on first use, and each pool thread
    its stack and malloc arena, which must count in the worker's size at
    start-up, before its address-space limit (etl.workers.limit_memory) is set on top of it.
    Otherwise the first batch packed fails with a MemoryError under a limit of 1 GB or less."""
    buffer = io.BytesIO()
    pq.write_table(pa.table({"x": pa.array(range(1024), pa.int64())}), buffer)
    pq.read_table(io.BytesIO(buffer.getvalue())).to_pylist()


def calm_gc() -> None:
    """Keep the cyclic garbage collector off the hot path: everything built so far (gazetteer,
    automata, taxonomy) is moved out of its reach, and it runs ten times less often. Articles
    are freed by reference counting (they hold no cycles); collections of the long-lived
    extractor tables are otherwise a measurable share of each article's time."""
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)    # so that interpreter shutdown still frees them
    gc.set_threshold(*GC_THRESHOLDS)


def describe(exc: BaseException) -> str:
    """An unexpected exception as a reason: its type and message, cut short (a RecursionError's
    or a parser's message can be long)."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."


# -- enrichment --------------------------------------------------------------------------------

def enrich_records(raws: Iterable[RawArticle | ItemError]) -> tuple[list[dict], list[ItemError]]:
    """Enrich what a reader yielded; its ItemErrors, empty items and articles an extractor
    failed on become errors (one bad article never stops the run). Articles are enriched
    ENRICH_BATCH at a time, stage by stage (Enricher.enrich_many); records and errors come
    in the reader's order, as one by one."""
    records: list[dict] = []
    errors: list[ItemError] = []
    it = iter(raws)
    while batch := list(islice(it, ENRICH_BATCH)):
        # decided before enrichment, which cuts oversized fields in place
        empty = [not isinstance(raw, ItemError) and not _has_text(raw) for raw in batch]
        todo = [raw for raw, no_text in zip(batch, empty) if not no_text and not isinstance(raw, ItemError)]
        done = iter(_ENRICHER.enrich_many(todo, simhash=False) if todo else ())
        for raw, no_text in zip(batch, empty):
            if isinstance(raw, ItemError):
                errors.append(raw)
                continue
            if no_text:
                errors.append(ItemError(raw.input_path, raw.item, "empty_item", "no title and no text"))
                continue
            record = next(done)
            if isinstance(record, Exception):   # one bad article never stops the run
                errors.append(ItemError(raw.input_path, raw.item, "enrichment_failed",
                                        f"{type(record).__name__}: {record}"))
                continue
            records.append(record)
            # dates the input gave that could not be used, fields cut to the size limits
            errors.extend(ItemError(raw.input_path, raw.item, kind, reason) for kind, reason in record.pop("problems"))
    return records, errors


def _has_text(raw: RawArticle) -> bool:
    return bool((raw.body or "").strip() or (raw.title or "").strip())


def enrich_all(raws: Iterable[RawArticle | ItemError]) -> TaskResult:
    """Enrich and pack the rows of a big table read by the parent (or a URL's items)."""
    records, errors = enrich_records(raws)
    return TaskResult(pack(records), errors)


# -- whole files -------------------------------------------------------------------------------

def hash_and_hold(path: str, size: int) -> tuple[str, bytes | None]:
    """sha256 of the file, and its bytes when it holds at most READ_WHOLE_BYTES (a small file
    is read once: hashed, then handed to its reader). Reads ask for the size the file was
    listed with, plus one byte to notice growth: asking for READ_WHOLE_BYTES at once costs an
    allocation of that size per file (a noticeable share of a small page's time)."""
    hasher = hashlib.sha256()
    parts: list[bytes] | None = [] if size <= READ_WHOLE_BYTES else None
    held = 0
    want = size + 1 if parts is not None else 1 << 20
    # opened without blocking and checked: a FIFO or device that took the place of a listed
    # file since the walk is refused, never read (reading /dev/zero or a pipe never ends)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):      # a folder in the listed file's place: unreadable, as before
            raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
        raise RefusedInput(path, refused_kind_reason(mode))
    with open(fd, "rb", buffering=0) as fh:
        while block := fh.read(want):
            hasher.update(block)
            if parts is not None:
                parts.append(block)
                held += len(block)
                if held > READ_WHOLE_BYTES:     # grew since it was listed: hashed, not held
                    parts = None
            want = 1 << 16 if parts is not None else 1 << 20
    return hasher.hexdigest(), (b"".join(parts) if parts is not None else None)


def _read_file(path: str, data: bytes | None, fmt: str | None,
               column_map: dict | None) -> tuple[list[dict], list[ItemError]]:
    """One file's records and errors; whatever stops its reader is this file's error."""
    try:
        return enrich_records(read_input(path, fmt, column_map, data=data))
    except InputError as exc:
        return [], [ItemError(path, "", exc.kind, exc.reason)]
    except MemoryError:
        return [], [ItemError(path, "", "memory", "reading it needed more than the worker's memory limit")]
    except Exception as exc:  # noqa: BLE001 - an unexpected reader failure is still one input's error
        return [], [ItemError(path, "", "unreadable_input", describe(exc))]


def task_files(paths: list[tuple[str, int, int]], fmt: str | None, column_map: dict | None) -> TaskResult:
    """Read and enrich whole files (path, size, mtime_ns), packed together; a FileResult each."""
    result = TaskResult()
    records: list[dict] = []
    for path, size, mtime in paths:
        try:
            sha, data = hash_and_hold(path, size)
        except RefusedInput as exc:
            result.errors.append(ItemError(path, "", exc.kind, exc.reason))
            result.files.append(FileResult(path, size, mtime, failed=True))
            continue
        except OSError as exc:
            result.errors.append(ItemError(path, "", "unreadable_input", str(exc)))
            result.files.append(FileResult(path, size, mtime, failed=True))
            continue
        recs, errs = _read_file(path, data, fmt, column_map)
        used_fmt = recs[0]["article"]["input_format"] if recs else fmt
        failed = not recs and any(e.item == "" for e in errs)
        result.files.append(FileResult(path, size, mtime, sha, None if failed else used_fmt, len(recs), failed))
        records += recs
        result.errors += errs
    result.packed = pack(records)
    return result


def split_files(args: tuple) -> list[tuple[tuple, int]]:
    """A task_files task's args cut into one task per file, for the retry of a failed task."""
    paths, fmt, column_map = args
    return [(([p], fmt, column_map), p[1]) for p in paths]


# -- parts of one input ------------------------------------------------------------------------

def task_url(url: str) -> TaskResult:
    """Fetch and read one feed or page URL (needs network; nothing else does)."""
    try:
        return enrich_all(read_url(url))
    except InputError as exc:
        return TaskResult(Packed(), [ItemError(url, "", exc.kind, exc.reason)])


def task_jsonl_chunk(path: str, head: bytes, first_line: int, lines: list[bytes],
                     column_map: dict | None) -> TaskResult:
    """Parse and enrich a chunk of lines of a big JSON Lines file."""
    try:
        return enrich_all(read_jsonl(path, io.BytesIO(b"".join(lines)), head, column_map, first_line))
    except InputError as exc:
        return TaskResult(Packed(), [ItemError(path, f"line {first_line}", exc.kind, exc.reason)])


def noop() -> None:
    """The task of a Tag that needs no work (a big table's end): it keeps its place in order."""
    return None


# -- retag -------------------------------------------------------------------------------------

def task_retag(batch: list[tuple], people: dict[str, list[tuple]],
               places: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, pa.Table]:
    """Topics, casualties and defections of stored articles, as Arrow tables by table name.
    `places` are the stored places of each article ((kind, country_code), as
    `Snapshot.place_kinds_of` reads them): with its stored primary country they tell the tagger
    where the story happens, as at ingest."""
    from etl.enrich import stored_figure_rows, topic_rows     # in the worker, as in init_worker
    from etl.extract.home_forces import story_countries
    rows = []
    figures: dict[str, list[dict]] = {t: [] for t in store.FIGURE_TABLES}
    places = places or {}
    for aid, title, caption, body, published_at, _source, primary_country, *_ in batch:
        home = story_countries(primary_country, places.get(aid, ()))
        rows.extend(dict(r, article_id=aid)
                    for r in topic_rows(_TAGGER.tag(Doc(title=title, caption=caption, body=body), home)))
        for table, part in stored_figure_rows(aid, title, caption, body, published_at, people.get(aid, [])).items():
            figures[table].extend(part)
    return {"article_topics": child_columns(rows, store.TOPIC_SCHEMA),
            **{t: child_columns(r, store.CHILD_TABLES[t]) for t, r in figures.items()}}
