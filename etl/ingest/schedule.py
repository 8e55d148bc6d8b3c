"""The parent's side of the work: walk the inputs, skip unchanged files, cut the rest into
tasks, and hand them to the workers through a bounded window (etl.workers.Pool).

Memory stays flat however large the input: small files are grouped into tasks, a big table is
split into chunks of rows, and at most a window of tasks is in flight. Results come back in
submission order as (Tag, result) pairs.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Callable, Iterable, Iterator

from etl import store
from etl import workers
from etl.errors import InputError, RefusedInput
from etl.extract.sidecar import load_sidecar
from etl.ingest import tasks
from etl.ingest.results import FILES, ROWS, TABLE_DONE, FileResult, Tag
from etl.model import ItemError
from etl.readers.detect import HEAD_BYTES, TABLE_FORMATS, detect_format, read_input
from etl.readers.inputs import expand_inputs, open_input, refused_kind_reason
from etl.workers import Limits

FILES_PER_TASK = 256           # small files handed to a worker at once (per-task costs: see docs/figures.md)
FIRST_FILES_PER_TASK = 32      # the first tasks are smaller, so a few hundred files still use
                               # every worker; each task doubles up to FILES_PER_TASK. The last
                               # files of a run go out in tasks of this size again (schedule)
WALK_CHUNK = 512               # paths walked, looked up and stat'ed at a time
TAIL_WINDOW = 64               # tasks queued at once in the tail (its ≤ 2 chunks in small tasks)
ROWS_PER_TASK = 500            # rows of a big table handed to a worker at once
BIG_TABLE_BYTES = 16_000_000   # tables larger than this are split by the parent
SIDECAR_NAMES = ("dates.csv", "dates.json")   # also *.dates.csv / *.dates.json


def is_sidecar(path: str) -> bool:
    """A file that maps inputs to publication dates rather than holding articles."""
    name = os.path.basename(path).lower()
    return name in SIDECAR_NAMES or name.endswith((".dates.csv", ".dates.json"))


def find_sidecars(specs: list[str], follow_symlinks_anywhere: bool = False
                  ) -> tuple[dict[str, str], list[ItemError]]:
    """Date sidecars inside the given folders (or given directly); returns (mapping, errors).
    Found by the same walk as the inputs, so the same links and special files are refused."""
    mapping: dict[str, str] = {}
    errors = []
    for path in expand_inputs(specs, follow_symlinks_anywhere=follow_symlinks_anywhere):
        if not is_sidecar(path):
            continue
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                continue        # the ingest's walk records it
            entries = load_sidecar(Path(path).read_text(encoding="utf-8", errors="replace"), path)
        except InputError as exc:
            errors.append(ItemError(path, "", exc.kind, exc.reason))
            continue
        except OSError as exc:
            errors.append(ItemError(path, "", "unreadable_input", str(exc)))
            continue
        mapping.update(entries)
    return mapping, errors


class Executor:
    """Worker processes with limits per task (etl.workers.Pool), or inline when workers=0.
    `initializer(*initargs)` builds each worker's state (the extractors) once. Results come in
    submission order; a task that failed twice comes back as a workers.TaskFailed."""

    def __init__(self, n_workers: int, initializer: Callable, initargs: tuple, limits: Limits | None = None):
        self.pool = None
        limits = limits or Limits()
        if n_workers > 0:
            # pyarrow imports pandas on its first conversion (see docs/figures.md): done here,
            # before the fork, each worker inherits it instead of importing it for its first batch
            import pandas  # noqa: F401
            # every worker is forked here, before the caller starts threads; their initializers
            # run while the caller goes on (a failed one is raised by the first result)
            self.pool = workers.Pool(n_workers, initializer, initargs, task_seconds=limits.input_seconds,
                                     memory_bytes=limits.worker_memory_mb * 2**20 if limits.worker_memory_mb
                                     else None, close_fds=store.held_lock_fds())
            self.window = self.pool.window
        else:
            initializer(*initargs)
            self.window = 2

    @property
    def window(self) -> int:
        return self.pool.window if self.pool is not None else self._window

    @window.setter
    def window(self, value: int) -> None:
        if self.pool is not None:
            self.pool.window = value
        else:
            self._window = value

    def submit(self, tag, fn: Callable, *args, size: int = 0, split=None) -> Iterator:
        """Queue a task; yields results of the oldest tasks while the window is full."""
        if self.pool is None:
            yield tag, fn(*args)
            return
        yield from self.pool.submit(tag, fn, *args, size=size, split=split)

    def drain(self) -> Iterator:
        if self.pool is not None:
            yield from self.pool.drain()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()


class _Walk:
    """One run's walk over its inputs (see `schedule`): the small files carried towards the
    next task, the task size, and whether the walk has reached its tail."""

    def __init__(self, executor: Executor, fmt, column_map, snap, summary):
        self.executor, self.fmt, self.column_map = executor, fmt, column_map
        self.snap, self.summary = snap, summary
        self.small: list[tuple[str, int, int]] = []
        self.task_size = FIRST_FILES_PER_TASK
        self.tail = False

    def flush_small(self) -> Iterator:
        """The carried files as tasks: of the current task size, or (tail) split evenly."""
        if not self.small:
            return
        batch, self.small = self.small, []
        prefetch(batch)
        pieces = -(-len(batch) // self.task_size)        # the tail's carried files, split evenly
        size = -(-len(batch) // pieces)
        if not self.tail:
            self.task_size = min(FILES_PER_TASK, self.task_size * 2)
        for lo in range(0, len(batch), size):
            part = batch[lo:lo + size]
            yield from self.executor.submit(Tag(FILES), tasks.task_files, part, self.fmt, self.column_map,
                                            size=sum(f[1] for f in part), split=tasks.split_files)

    def visit(self, paths: list[str]) -> Iterator:
        """Stat a chunk of walked paths: skip unchanged and special files, split big tables,
        carry the rest towards the next task."""
        summary = self.summary
        known = self.snap.known_inputs(paths)
        for path in paths:
            if is_sidecar(path):
                continue
            summary.n_inputs += 1
            st = self._regular_stat(path)
            if st is None:
                continue
            prev = known.get(path)
            if prev and prev[0] == st.st_size and prev[1] == st.st_mtime_ns:
                summary.n_skipped_unchanged += 1
                continue
            if st.st_size > BIG_TABLE_BYTES and (self.fmt in TABLE_FORMATS or _looks_like_table(path)):
                yield from self.flush_small()
                yield from submit_big_table(self.executor, path, st, self.fmt, self.column_map, summary)
                continue
            self.small.append((path, st.st_size, st.st_mtime_ns))
            if len(self.small) >= self.task_size:
                yield from self.flush_small()

    def _regular_stat(self, path: str) -> os.stat_result | None:
        """The path's stat, or None (recorded) when it cannot be read or is no regular file."""
        try:
            st = os.stat(path)
        except OSError as exc:
            self.summary.errors.append(ItemError(path, "", "unreadable_input", str(exc)))
            return None
        if not stat.S_ISREG(st.st_mode):    # a FIFO, device or socket named on the command line
            self.summary.errors.append(ItemError(path, "", RefusedInput.kind, refused_kind_reason(st.st_mode)))
            return None
        return st


def schedule(executor: Executor, specs, fmt, column_map, snap, summary, anywhere: bool = False) -> Iterator:
    """Walk the inputs, skip unchanged files, and submit tasks; yields finished results.

    Tasks start small (FIRST_FILES_PER_TASK) so that a few hundred files still use every
    worker, and double up to FILES_PER_TASK. The walk looks one chunk of WALK_CHUNK paths ahead,
    and the files of the last two chunks go out in tasks of FIRST_FILES_PER_TASK again: whichever
    worker frees first takes the next small task, so the workers finish together instead of one
    running a last big task alone. The tail's tasks are queued all at once (TAIL_WINDOW): with
    the usual window, the workers ran out of small tasks while the parent was writing a batch
    (docs/figures.md has what each of these cost)."""
    walk = _Walk(executor, fmt, column_map, snap, summary)
    urls = list(dict.fromkeys(s for s in specs if s.startswith(("http://", "https://"))))   # each once
    specs = [s for s in specs if s not in urls]
    for url in urls:
        summary.n_inputs += 1
        yield from executor.submit(Tag(ROWS, url), tasks.task_url, url)
    held: list[str] = []        # the chunk looked ahead at
    chunk: list[str] = []

    def refused(exc: InputError) -> None:
        summary.n_inputs += 1
        summary.errors.append(ItemError(exc.path, "", exc.kind, exc.reason))

    try:
        for path in expand_inputs(specs, refused, follow_symlinks_anywhere=anywhere):
            chunk.append(path)
            if len(chunk) >= WALK_CHUNK:
                yield from walk.visit(held)
                held, chunk = chunk, []
    except InputError as exc:
        summary.errors.append(ItemError(exc.path, "", exc.kind, exc.reason))
    walk.tail, walk.task_size = True, FIRST_FILES_PER_TASK
    executor.window = max(executor.window, TAIL_WINDOW)
    yield from walk.flush_small()        # files carried over, split evenly
    yield from walk.visit(held)
    yield from walk.visit(chunk)
    yield from walk.flush_small()


def advise_page_cache(paths: Iterable[str], advice: int) -> int:
    """Give the kernel `advice` (os.POSIX_FADV_WILLNEED: start reading now; DONTNEED: drop
    from the page cache) about each file; returns how many took it. Files are opened
    non-blocking, so a named pipe among them cannot hold the caller; one that cannot be
    opened is skipped (its reader reports it). Returns 0 where the call does not exist."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    n = 0
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, advice)
            n += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return n


def prefetch(files: list[tuple[str, int, int]]) -> None:
    """Ask the kernel to start reading a task's files now, while the workers are still busy
    with the tasks before them in the window: read from disk rather than the page cache, a
    small page otherwise keeps its worker waiting (docs/figures.md)."""
    if hasattr(os, "POSIX_FADV_WILLNEED"):
        advise_page_cache((path for path, _size, _mtime in files), os.POSIX_FADV_WILLNEED)


def _looks_like_table(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return name.endswith((".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"))


def _sha256_of(path: str) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def submit_big_table(executor: Executor, path: str, st, fmt, column_map, summary) -> Iterator:
    """Split a large table among the workers: JSON Lines as chunks of raw lines (workers parse
    them), other tables as chunks of rows read here. Whatever stops the reading here (a named
    input error, or any other exception of a reader: an OverflowError on a timestamp, a
    RecursionError on deep nesting, the memory running out) is this input's error, as it would
    be in a worker; the rows read before it still load."""
    try:
        sha = _sha256_of(path)
    except OSError as exc:
        summary.errors.append(ItemError(path, "", "unreadable_input", str(exc)))
        return
    n = 0
    where = ""
    chunks = big_table_tasks(path, fmt, column_map)
    failure = None
    while True:
        try:
            fn, args, count, where = next(chunks)
        except StopIteration:
            break
        except InputError as exc:
            failure = (exc.kind, exc.reason)
        except MemoryError:
            failure = ("memory", "reading it needed more memory than the ingest could have")
        except Exception as exc:  # noqa: BLE001 - any reader failure is this input's error
            failure = ("unreadable_input", tasks.describe(exc))
        if failure is not None:
            chunks.close()
            summary.errors.append(ItemError(path, f"after {where}" if where else "", *failure))
            if n == 0:
                summary.unfinished.add(path)    # nothing read: the next run tries again
            break
        n += count
        yield from executor.submit(Tag(ROWS, path), fn, *args)
    done = FileResult(path, st.st_size, st.st_mtime_ns, sha, None, n)
    yield from executor.submit(Tag(TABLE_DONE, path, done), tasks.noop)


def big_table_tasks(path: str, fmt, column_map) -> Iterator[tuple]:
    """The tasks a big table is cut into: (fn, args, rows, last item) each."""
    with open_input(path) as stream:
        head = stream.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(stream, "peek") else b""
        kind = fmt or (detect_format(path, head) if head else None)
    if kind == "jsonl":
        yield from _jsonl_chunks(path, head, column_map)
        return
    rows: list = []
    try:
        for raw in read_input(path, fmt, column_map):
            rows.append(raw)
            if len(rows) >= ROWS_PER_TASK:
                yield tasks.enrich_all, (rows,), len(rows), rows[-1].item
                rows = []
    except GeneratorExit:
        raise
    except BaseException:   # the rows read before an error still go out, then the error
        if rows:
            yield tasks.enrich_all, (rows,), len(rows), rows[-1].item
        raise
    if rows:
        yield tasks.enrich_all, (rows,), len(rows), rows[-1].item


def _jsonl_chunks(path: str, head: bytes, column_map) -> Iterator[tuple]:
    """A big JSON Lines file as chunks of ROWS_PER_TASK raw lines, parsed by the workers."""
    first, lines, line_no = 1, [], 0
    try:
        with open_input(path) as stream:
            for line_no, line in enumerate(stream, start=1):
                if not lines:
                    first = line_no
                lines.append(line)
                if len(lines) >= ROWS_PER_TASK:
                    yield tasks.task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
                    lines = []
    except GeneratorExit:
        raise
    except BaseException:   # the lines read before an error still go out, then the error
        if lines:
            yield tasks.task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
        raise
    if lines:
        yield tasks.task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
