"""read → normalise → deduplicate → enrich → store, batch by batch.

Reading and enrichment run in worker processes (HTML extraction and text matching are CPU
bound); the parent process owns the only database connection and writes batches through
`store`. Work is handed out through a bounded window, so memory stays flat however large the
input: a big table file is split into chunks of rows, small files are grouped.
"""
from __future__ import annotations

import atexit
import errno
import gc
import hashlib
import multiprocessing
import os
import stat
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from etl import dedup
from etl import store as store_mod
from etl import workers as workers_mod
from etl.workers import Limits
from etl.errors import InputError, RefusedInput, WorkerFailure
from etl.model import ItemError, RawArticle
from etl.readers.detect import expand_inputs, read_input, refused_kind_reason

_EPOCH = date(1970, 1, 1)
BATCH_ARTICLES = 2000          # articles written per store batch
FILES_PER_TASK = 256           # small files handed to a worker at once (per-task costs: 64 gave
                               # ~10 % fewer text pages a second)
FIRST_FILES_PER_TASK = 32      # the first tasks are smaller, so a few hundred files still use
                               # every worker; each task doubles up to FILES_PER_TASK. The last
                               # files of a run go out in tasks of this size again (_schedule)
WALK_CHUNK = 512               # paths walked, looked up and stat'ed at a time
TAIL_WINDOW = 64               # tasks queued at once in the tail (its ≤ 2 chunks in small tasks)
READ_WHOLE_BYTES = 4_000_000   # files up to this size are read into memory once
PATHS_REMEMBERED = 4096        # input paths whose "had articles before this run" is kept
ROWS_PER_TASK = 500            # rows of a big table handed to a worker at once
BIG_TABLE_BYTES = 16_000_000   # tables larger than this are split by the parent
GC_THRESHOLDS = (7000, 10, 10)  # the collector's generation thresholds while ingesting (default 700)
NEAR_DUP_BITS = 6              # simhash distance for "same story, small edits"
TABLE_FORMATS = {"csv", "jsonl", "json", "parquet"}
SIDECAR_NAMES = ("dates.csv", "dates.json")   # also *.dates.csv / *.dates.json


def is_sidecar(path: str) -> bool:
    """A file that maps inputs to publication dates rather than holding articles."""
    name = os.path.basename(path).lower()
    return name in SIDECAR_NAMES or name.endswith((".dates.csv", ".dates.json"))


def find_sidecars(specs: list[str], follow_symlinks_anywhere: bool = False
                  ) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Date sidecars inside the given folders (or given directly); returns (mapping, errors).
    Found by the same walk as the inputs, so the same links and special files are refused."""
    from etl.extract.dates import load_sidecar

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
            errors.append((path, "", exc.kind, exc.reason))
            continue
        except OSError as exc:
            errors.append((path, "", "unreadable_input", str(exc)))
            continue
        mapping.update(entries)
    return mapping, errors

def load_key_dates(snap: store_mod.Snapshot, path: Path | None) -> list[tuple[str, str, str, str]]:
    """Copy the key-dates file (etl/key_dates.py) into the snapshot; returns the rows skipped."""
    from etl import key_dates as key_dates_mod
    rows, errors = key_dates_mod.read(path)
    key_dates_mod.replace(snap.con, rows)
    return errors


_ENRICHER = None


@dataclass
class RunSummary:
    run_id: int = 0
    n_inputs: int = 0
    n_skipped_unchanged: int = 0
    n_read: int = 0
    n_new: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_duplicates: int = 0
    n_failed: int = 0
    seconds: float = 0.0
    status: str = "ok"
    snapshot_id: int = 0
    errors: list[tuple[str, str, str, str]] = field(default_factory=list)
    unfinished: set[str] = field(default_factory=set)   # big tables a chunk of which failed

    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("n_inputs", "n_skipped_unchanged", "n_read", "n_new",
                                              "n_updated", "n_unchanged", "n_duplicates", "n_failed")}

    def line(self) -> str:
        rate = self.n_read / self.seconds if self.seconds else 0.0
        return (f"read {self.n_read} articles from {self.n_inputs} inputs "
                f"({self.n_skipped_unchanged} unchanged inputs skipped): {self.n_new} new, "
                f"{self.n_updated} updated, {self.n_unchanged} unchanged, {self.n_duplicates} duplicates, "
                f"{self.n_failed} failed; {self.seconds:.1f} s, {rate:,.0f} articles/s")


# -- worker side -------------------------------------------------------------------------------

def _init_worker(sidecar: dict[str, str] | None, taxonomy: Path) -> None:
    global _ENRICHER
    from etl.enrich import Enricher
    _ENRICHER = Enricher(taxonomy_path=taxonomy, sidecar=sidecar)
    if multiprocessing.parent_process() is not None:     # a worker process, not the caller's
        _reserve_arrow_pool()
        _calm_gc()


def _reserve_arrow_pool() -> None:
    """Allocate from Arrow's memory pool and start its thread pools once, now: its allocator
    reserves a 1 GiB arena of address space (not memory) on first use, and each pool thread
    its stack and malloc arena (~70 MB each), which must count in the worker's size at
    start-up, before its address-space limit (etl.workers.limit_memory) is set on top of it.
    Otherwise the first batch packed fails with a MemoryError under a limit of 1 GB or less."""
    import io
    import pyarrow as pa
    import pyarrow.parquet as pq
    buffer = io.BytesIO()
    pq.write_table(pa.table({"x": pa.array(range(1024), pa.int64())}), buffer)
    pq.read_table(io.BytesIO(buffer.getvalue())).to_pylist()


def _calm_gc() -> None:
    """Keep the cyclic garbage collector off the hot path: everything built so far (gazetteer,
    automata, taxonomy) is moved out of its reach, and it runs ten times less often. Articles
    are freed by reference counting (they hold no cycles); collections of the long-lived
    extractor tables cost ~40 µs an article."""
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)    # so that interpreter shutdown still frees them
    gc.set_threshold(*GC_THRESHOLDS)


@contextmanager
def _rarer_gc():
    """GC_THRESHOLDS for the duration (the writer's batches hold no cycles either), then the
    caller's own thresholds again."""
    saved = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


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
    days: object = None          # numpy int32: publication day, dedup.NO_DAY when undated
    articles: object = None
    children: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def input_format(self) -> str | None:
        return self.articles.column("input_format")[0].as_py() if len(self.keys) else None


def _columns(rows: list[dict], schema) -> "pa.Table":
    """Rows (dicts) as an Arrow table, built column by column (several times faster than
    Table.from_pylist for wide rows). A key missing from the rows gives a null column."""
    import pyarrow as pa
    return pa.table({f.name: pa.array([r.get(f.name) for r in rows], f.type) for f in schema}, schema=schema)


def _child_columns(rows: list[dict], schema) -> "pa.Table":
    """Child rows (article_topics, _places, _entities) as an Arrow table; their "evidence" is a
    list of etl.model.Evidence, laid out as the list-of-struct column directly."""
    import pyarrow as pa
    cols = {f.name: pa.array([r.get(f.name) for r in rows], f.type) for f in schema if f.name != "evidence"}
    offsets, fld, start, end, text = [0], [], [], [], []
    for r in rows:
        for e in r["evidence"]:
            fld.append(e.field)
            start.append(e.start)
            end.append(e.end)
            text.append(e.text)
        offsets.append(len(fld))
    ev_type = schema.field("evidence").type
    items = pa.StructArray.from_arrays(
        [pa.array(v, f.type) for v, f in zip((fld, start, end, text), ev_type.value_type)],
        fields=list(ev_type.value_type))
    cols["evidence"] = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items, type=ev_type)
    return pa.table(cols, schema=schema)


def _pack(records: list[dict]) -> Packed:
    import numpy as np
    import pyarrow as pa
    from etl.extract.fingerprint import fingerprints_many

    sims, sigs = fingerprints_many([r.pop("shingles") for r in records])   # shingle_words of the body
    arts, days = [], []
    for r, sim in zip(records, sims):
        a = r["article"]
        a["simhash"] = sim
        a["article_id"] = a["dup_cluster"] = a["content_hash"][:16]
        a["is_primary"] = True
        arts.append(a)
        days.append((a["published_at"].date() - _EPOCH).days if a["published_at"] else dedup.NO_DAY)
    table = _columns(arts, store_mod.ARTICLE_SCHEMA)
    table = table.set_column(table.schema.get_field_index("minhash"), "minhash", store_mod.minhash_column(sigs))
    packed = Packed(keys=[r["key"] for r in records], hashes=[a["content_hash"] for a in arts],
                    simhashes=sims, minhashes=sigs, days=np.array(days, dtype=np.int32), articles=table)
    ids = packed.articles.column("article_id")
    for table, part in (("article_topics", "topics"), ("article_places", "places"),
                        ("article_entities", "entities"), ("casualties", "casualties"),
                        ("defections", "defections")):
        rows, rec = [], []
        for i, r in enumerate(records):
            rows.extend(r[part])
            rec.extend([i] * len(r[part]))
        rec_arr = pa.array(rec, pa.int32())
        tbl = _child_columns(rows, store_mod.CHILD_TABLES[table])
        tbl = tbl.set_column(0, "article_id", ids.take(rec_arr)).append_column("_rec", rec_arr)
        packed.children[table] = tbl
    return packed


def _enrich_all(raws: Iterable[RawArticle | ItemError]) -> tuple[Packed, list[tuple]]:
    records, errors = _enrich_records(raws)
    return _pack(records), errors


def _enrich_records(raws: Iterable[RawArticle | ItemError]) -> tuple[list[dict], list[tuple]]:
    records, errors = [], []
    for raw in raws:
        if isinstance(raw, ItemError):
            errors.append((raw.input_path, raw.item, raw.kind, raw.reason))
            continue
        if not (raw.body or "").strip() and not (raw.title or "").strip():
            errors.append((raw.input_path, raw.item, "empty_item", "no title and no text"))
            continue
        try:
            record = _ENRICHER.enrich(raw, simhash=False)
        except Exception as exc:  # one bad article never stops the run
            errors.append((raw.input_path, raw.item, "enrichment_failed", f"{type(exc).__name__}: {exc}"))
            continue
        records.append(record)
        # dates the input gave that could not be used, fields cut to the size limits
        errors.extend((raw.input_path, raw.item, kind, reason) for kind, reason in record.pop("problems"))
    return records, errors


def _describe(exc: BaseException) -> str:
    """An unexpected exception as a reason: its type and message, cut short (a RecursionError's
    or a parser's message can be long)."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."


def _hash_and_hold(path: str, size: int) -> tuple[str, bytes | None]:
    """sha256 of the file, and its bytes when it holds at most READ_WHOLE_BYTES (a small file
    is read once: hashed, then handed to its reader). Reads ask for the size the file was
    listed with, plus one byte to notice growth: asking for READ_WHOLE_BYTES at once costs an
    allocation of that size per file (~12 µs of a 3 KB page)."""
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


def _task_files(paths: list[tuple[str, int, int]], fmt: str | None, column_map: dict | None):
    """Read and enrich whole files, packed together. Returns (files, packed, errors) with
    files = [(path, size, mtime, sha, fmt, n_articles, whole_file_failed)]."""
    files, records, errors = [], [], []
    for path, size, mtime in paths:
        try:
            sha, data = _hash_and_hold(path, size)
        except RefusedInput as exc:
            errors.append((path, "", exc.kind, exc.reason))
            files.append((path, size, mtime, "", None, 0, True))
            continue
        except OSError as exc:
            errors.append((path, "", "unreadable_input", str(exc)))
            files.append((path, size, mtime, "", None, 0, True))
            continue
        try:
            recs, errs = _enrich_records(read_input(path, fmt, column_map, data=data))
        except InputError as exc:
            recs, errs = [], [(path, "", exc.kind, exc.reason)]
        except MemoryError:
            recs, errs = [], [(path, "", "memory", "reading it needed more than the worker's memory limit")]
        except Exception as exc:  # an unexpected reader failure is still one input's error
            recs, errs = [], [(path, "", "unreadable_input", _describe(exc))]
        used_fmt = recs[0]["article"]["input_format"] if recs else fmt
        failed = not recs and any(e[1] == "" for e in errs)
        files.append((path, size, mtime, sha, None if failed else used_fmt, len(recs), failed))
        records += recs
        errors += errs
    return files, _pack(records), errors


def _task_url(url: str):
    """Fetch and read one feed or page URL (needs network; nothing else does)."""
    from etl.readers.detect import read_url
    try:
        records, errors = _enrich_all(read_url(url))
    except InputError as exc:
        return Packed(), [(url, "", exc.kind, exc.reason)]
    return records, errors


def _task_jsonl_chunk(path: str, head: bytes, first_line: int, lines: list[bytes], column_map: dict | None):
    """Parse and enrich a chunk of lines of a big JSON Lines file."""
    import io
    from etl.readers.table import read_jsonl
    try:
        return _enrich_all(read_jsonl(path, io.BytesIO(b"".join(lines)), head, column_map, first_line))
    except InputError as exc:
        return Packed(), [(path, f"line {first_line}", exc.kind, exc.reason)]


# -- parent side -------------------------------------------------------------------------------

class _Executor:
    """Worker processes with limits per task (etl.workers.Pool), or inline when workers=0.
    `initializer(*initargs)` builds each worker's state (the extractors) once. Results come in
    submission order; a task that failed twice comes back as a workers.TaskFailed."""

    def __init__(self, workers: int, initializer, initargs: tuple, limits: "Limits | None" = None):
        self.pool = None
        limits = limits or Limits()
        if workers > 0:
            # pyarrow imports pandas on its first conversion (~0.15 s): done here, before the
            # fork, each worker inherits it instead of importing it again for its first batch
            import pandas  # noqa: F401
            # every worker is forked here, before the caller starts threads; their initializers
            # run while the caller goes on (a failed one is raised by the first result)
            self.pool = workers_mod.Pool(workers, initializer, initargs, task_seconds=limits.input_seconds,
                                         memory_bytes=limits.worker_memory_mb * 2**20 if limits.worker_memory_mb
                                         else None, close_fds=store_mod.held_lock_fds())
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

    def submit(self, tag, fn, *args, size: int = 0, split=None) -> Iterator:
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


def _split_files(args: tuple) -> list[tuple[tuple, int]]:
    """A files task's args cut into one task per file, for the retry of a failed task."""
    paths, fmt, column_map = args
    return [(([p], fmt, column_map), p[1]) for p in paths]


class _Writer:
    """Accumulates workers' packed batches and writes them to the snapshot in batches.

    Deduplication runs against etl.dedup.Seen (the stored articles' fingerprints, loaded once
    per run and extended with every batch written), so a batch's cost does not grow with the
    database. The database is asked only for provenance of inputs it has seen before."""

    def __init__(self, snap: store_mod.Snapshot, run_id: int, summary: RunSummary, progress,
                 on_write=None):
        self.snap, self.run_id, self.s, self.progress = snap, run_id, summary, progress
        self.on_write = on_write
        self.buffer: list[Packed] = []
        self.n_buffered = 0
        self.inputs: list[tuple] = []
        self.seen = dedup.Seen()
        fp = snap.fingerprints()
        self.seen.add(fp["aid"], fp["cluster"], fp["hash"], fp["sim"], fp["sig"], fp["day"])
        self.stale_hashes: set[int] = set()       # content hashes of articles since updated
        self.path_known: dict[str, bool] = {}     # input path -> had provenance before this run
        # no article stored before this run: no key has provenance to look up (and asking which
        # paths do would scan the growing provenance table once a batch: ~17 s at 1 M files)
        self.fresh = len(self.seen) == 0

    def add(self, packed: Packed) -> None:
        if len(packed):
            self.buffer.append(packed)
            self.n_buffered += len(packed)
        if self.n_buffered >= BATCH_ARTICLES or len(self.inputs) >= BATCH_ARTICLES:
            self.flush()

    def input_done(self, path: str, size: int, mtime: int, sha: str, fmt: str | None, n: int) -> None:
        self.inputs.append((path, size, mtime, sha, fmt, n, self.run_id))

    def _by_key(self, keys: list[tuple[str, str]]) -> dict:
        """Stored provenance of these keys, asking only about inputs that had articles before.
        The answers are remembered for PATHS_REMEMBERED paths at most (a big table's rows come
        in many batches; a small file's in one), so memory stays flat however many files."""
        if self.fresh:
            return {}
        paths = {k[0] for k in keys}
        answers = {p: self.path_known[p] for p in paths if p in self.path_known}
        new_paths = [p for p in paths if p not in answers]
        if new_paths:
            known = self.snap.paths_with_provenance(new_paths)
            answers.update((p, p in known) for p in new_paths)
            if len(self.path_known) + len(new_paths) > PATHS_REMEMBERED:
                self.path_known = {}
            self.path_known.update(answers)
        ask = [k for k in keys if answers[k[0]]]
        return self.snap.lookup_batch(ask, [])[0] if ask else {}

    def flush(self) -> None:
        import numpy as np
        import pyarrow as pa

        inputs, self.inputs = self.inputs, []
        self.snap.record_inputs(inputs)
        packs, self.buffer, self.n_buffered = self.buffer, [], 0
        if not packs:
            return
        s, run_id = self.s, self.run_id
        keys = [k for p in packs for k in p.keys]
        hashes = [h for p in packs for h in p.hashes]
        n = len(keys)
        s.n_read += n
        sims = np.array([x for p in packs for x in p.simhashes], dtype=np.uint64)
        sigs = np.concatenate([p.minhashes for p in packs])
        days = np.concatenate([p.days for p in packs])
        hash64 = dedup.hex64(hashes)
        by_key = self._by_key(keys)
        stored_by_hash = self.seen.by_hash(hash64)
        stale = [i for i, h in enumerate(hash64.tolist()) if h in self.stale_hashes]
        if stale:   # an article updated since: ask the database what holds that text now
            fresh = self.snap.lookup_batch([], list({hashes[i] for i in stale}))[1]
            for i in stale:
                stored_by_hash[i] = int(fresh[hashes[i]][:16], 16) if hashes[i] in fresh else dedup.NONE
        taken = self.seen.taken(hash64)
        stored_near = self.seen.near(sims, NEAR_DUP_BITS, days)
        all_articles = pa.concat_tables([p.articles for p in packs])
        urls = all_articles.column("url").to_pylist()
        formats = all_articles.column("input_format").to_pylist()
        prov = {"input_path": [], "item": [], "article_id": [], "url": [], "input_format": []}

        def provenance(i: int, article_id: str) -> None:
            for name, value in zip(prov, (keys[i][0], keys[i][1], article_id, urls[i], formats[i])):
                prov[name].append(value)

        keep = np.zeros(n, dtype=bool)
        ids: list[str] = [""] * n                # final article id of every kept record
        clusters: list[str] = [""] * n
        primary = [True] * n
        first_runs = [run_id] * n
        touched, updated_ids = [], []
        new_idx: list[int] = []
        batch_hash: dict[str, str] = {}
        batch_ids: set[str] = set()
        for i, key in enumerate(keys):
            h = hashes[i]
            if key in by_key:
                aid, old_hash, first_run, cluster, is_primary = by_key[key]
                touched.append(key)
                if old_hash == h:
                    s.n_unchanged += 1
                    continue
                s.n_updated += 1
                updated_ids.append(aid)
                self.stale_hashes.add(int(old_hash[:16], 16))
                keep[i] = True
                ids[i], clusters[i], primary[i], first_runs[i] = aid, cluster, is_primary, first_run
                continue
            if stored_by_hash[i] != dedup.NONE or h in batch_hash:
                s.n_duplicates += 1
                target = batch_hash.get(h) or dedup.unhex64(stored_by_hash[i])
                provenance(i, target)
                continue
            s.n_new += 1
            aid = h[:16]
            if taken[i] or aid in batch_ids:
                aid = hashlib.sha1(f"{h}\0{key[0]}\0{key[1]}".encode()).hexdigest()[:16]
            batch_hash[h] = aid
            batch_ids.add(aid)
            keep[i] = True
            ids[i] = clusters[i] = aid
            new_idx.append(i)
            provenance(i, aid)

        self._cluster(new_idx, sims, sigs, days, stored_near, all_articles, ids, clusters, primary)
        kept = np.flatnonzero(keep)
        articles = all_articles.take(pa.array(kept))
        col = lambda name, values, typ: articles.set_column(  # noqa: E731
            articles.schema.get_field_index(name), name, pa.array(values, typ))
        kept_l = kept.tolist()
        articles = col("article_id", [ids[i] for i in kept_l], pa.string())
        articles = col("dup_cluster", [clusters[i] for i in kept_l], pa.string())
        articles = col("is_primary", [primary[i] for i in kept_l], pa.bool_())
        articles = col("first_run_id", [first_runs[i] for i in kept_l], pa.int32())
        articles = col("last_run_id", [run_id] * len(kept_l), pa.int32())

        self.snap.delete_articles(updated_ids)
        self.snap.insert("articles", articles)
        n_prov = len(prov["item"])
        self.snap.insert("provenance", pa.table({**prov, "first_run_id": pa.array([run_id] * n_prov, pa.int32()),
                                                 "last_run_id": pa.array([run_id] * n_prov, pa.int32())},
                                                schema=store_mod.PROVENANCE_SCHEMA))
        offsets = np.cumsum([0] + [len(p) for p in packs])
        ids_arr = np.array(ids, dtype=object)
        for table in store_mod.CHILD_TABLES:
            parts = [p.children[table] for p in packs]
            rec = np.concatenate([t.column("_rec").to_numpy() + off for t, off in zip(parts, offsets)])
            tbl = pa.concat_tables(parts).drop_columns(["_rec"])
            mask = keep[rec]
            tbl = tbl.filter(pa.array(mask)).set_column(0, "article_id", pa.array(ids_arr[rec[mask]], pa.string()))
            self.snap.insert(table, tbl)
        self.snap.touch_provenance(touched, run_id)
        self.seen.add(dedup.hex64([ids[i] for i in kept_l]), dedup.hex64([clusters[i] for i in kept_l]),
                      hash64[kept], sims[kept], sigs[kept], days[kept])
        if self.on_write is not None:
            self.on_write(articles)
        if self.progress is not None:
            self.progress.update(n)

    def _cluster(self, new_idx: list[int], sims, sigs, days, stored_near, articles, ids: list[str],
                 clusters: list[str], primary: list[bool]) -> None:
        """Give near-copies of earlier articles (stored, or earlier in this batch) the earlier
        article's cluster: by simhash, else by word 4-gram overlap (etl/dedup.py)."""
        if not new_idx:
            return
        import numpy as np
        from etl.extract.fingerprint import same_story_text

        new = np.array(new_idx)
        found = {i: dedup.unhex64(stored_near[i]) for i in new_idx if stored_near[i] != dedup.NONE}
        bodies = articles.column("body")
        text = lambda i: bodies[i].as_py() or ""  # noqa: E731
        sets: dict[str, set] = {}     # shingle sets of the texts compared in this batch
        # stored candidates of the articles simhash did not place: compare the texts
        open_new = new[[i not in found for i in new_idx]]
        if len(open_new):
            p, aid, cluster = self.seen.minhash_candidates(sigs[open_new], days[open_new])
            if len(p):
                stored_text = self.snap.texts(sorted({dedup.unhex64(a) for a in aid.tolist()}))
                best: dict[int, str] = {}
                for x, a, c in zip(p.tolist(), aid.tolist(), cluster.tolist()):
                    i, c = int(open_new[x]), dedup.unhex64(c)
                    if (c < best.get(i, "\uffff")
                            and same_story_text(text(i), stored_text.get(dedup.unhex64(a), ""), sets)):
                        best[i] = c
                found.update(best)
        # earlier articles of this batch
        earlier = dedup.near_in_batch(sims[new], NEAR_DUP_BITS, days[new])
        by_text: dict[int, int] = {}
        for x, y in dedup.minhash_candidates_in_batch(sigs[new], days[new]):
            if y not in by_text and earlier[y] < 0 and same_story_text(text(new_idx[x]), text(new_idx[y]), sets):
                by_text[y] = x
        for x, i in enumerate(new_idx):
            if i in found:
                cluster = found[i]
            elif earlier[x] >= 0 or x in by_text:
                first = min(e for e in (earlier[x], by_text.get(x, -1)) if e >= 0)
                cluster = clusters[new_idx[first]]
            else:
                continue
            if cluster != ids[i]:
                clusters[i] = cluster
                primary[i] = False


def _progress(total_hint: str):
    from tqdm import tqdm
    return tqdm(unit=" articles", desc=total_hint, disable=None, file=sys.stderr, mininterval=0.5)


def ingest(specs: list[str], db: Path, fmt: str | None = None, column_map: dict | None = None,
           sidecar: dict[str, str] | None = None, workers: int | None = None,
           progress: bool = True, indexer=None, taxonomy: Path | None = None,
           limits: Limits | None = None, follow_symlinks_anywhere: bool = False,
           key_dates: Path | None = None, cluster: str | None = None) -> RunSummary:
    """Ingest inputs into the database at `db` (a new snapshot, swapped in atomically).

    `indexer` (etl.indexing.IngestIndexer) is opened on the snapshot, handed every batch
    of articles written, and closed before the swap: the full-text index is built alongside.
    `limits` bound each input's time and each worker's memory (workers > 0 only).
    Symbolic links that lead out of the named folders and files are refused unless
    `follow_symlinks_anywhere`. With `cluster` (a Dask scheduler's address) reading and
    enrichment run on that cluster's workers instead of local worker processes (etl/cluster.py).
    """
    with _rarer_gc():
        return _ingest(specs, db, fmt, column_map, sidecar, workers, progress, indexer, taxonomy,
                       limits or Limits(), follow_symlinks_anywhere, key_dates, cluster)


def _ingest(specs, db, fmt, column_map, sidecar, workers, progress, indexer, taxonomy, limits,
            anywhere, key_dates=None, cluster=None) -> RunSummary:
    started = time.perf_counter()
    summary = RunSummary()
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    found, sidecar_errors = find_sidecars(list(specs), anywhere)
    sidecar = {**found, **(sidecar or {})}
    summary.errors.extend(sidecar_errors)
    snap = store_mod.Snapshot.open(db)
    try:
        from etl.extract.topics import load_taxonomy, taxonomy_rows
        from etl.enrich import TAXONOMY_PATH
        taxonomy = Path(taxonomy or TAXONOMY_PATH)
        snap.replace_topics(taxonomy_rows(load_taxonomy(taxonomy)))
        run_id = snap.begin_run("ingest", list(specs))
        summary.run_id = run_id
        summary.errors.extend(load_key_dates(snap, key_dates))
        bar = _progress("ingest") if progress else None
        if cluster:
            from etl.cluster import ClusterExecutor
            # workers that built the extractors for this taxonomy text keep them for the next run
            executor = ClusterExecutor(cluster, _init_worker, (sidecar, taxonomy),
                                       state_key=hashlib.sha256(taxonomy.read_bytes()).hexdigest())
        else:
            executor = _Executor(workers, _init_worker, (sidecar, taxonomy), limits)
        writer = _Writer(snap, run_id, summary, bar)
        if indexer is not None:
            indexer.open(snap)     # after the workers are forked: tantivy starts threads
            writer.on_write = indexer.add
        try:
            for tag, result in _schedule(executor, specs, fmt, column_map, snap, summary, anywhere):
                _absorb(tag, result, writer, snap, run_id, summary)
            for tag, result in executor.drain():
                _absorb(tag, result, writer, snap, run_id, summary)
            writer.flush()
        finally:
            executor.close()
            if bar is not None:
                bar.close()
        snap.record_errors(run_id, summary.errors)
        summary.n_failed = len(summary.errors)
        summary.status = "ok" if not summary.errors else ("failed" if summary.n_read == 0 else "partial")
        if indexer is not None:
            indexer.start_closing()     # tantivy's commit runs alongside the facet rebuild
        snap.rebuild_facets()
        if indexer is not None:
            indexer.close(snap)
        summary.seconds = time.perf_counter() - started
        snap.finish_run(run_id, summary.status, summary.counts(), summary.seconds)
        summary.snapshot_id = snap.commit()
    except BaseException:
        if indexer is not None:
            indexer.abort()
        snap.abort()
        raise
    return summary


def _schedule(executor: _Executor, specs, fmt, column_map, snap, summary, anywhere: bool = False) -> Iterator:
    """Walk the inputs, skip unchanged files, and submit tasks; yields finished results.

    Tasks start small (FIRST_FILES_PER_TASK) so that a few hundred files still use every
    worker, and double up to FILES_PER_TASK. The walk looks one chunk of WALK_CHUNK paths ahead,
    and the files of the last two chunks go out in tasks of FIRST_FILES_PER_TASK again: whichever
    worker frees first takes the next small task, so the workers finish together instead of one
    running a last big task alone (at 2 ms a page, 256 HTML pages kept one core idle ~0.3 s).
    The tail's tasks are queued all at once (TAIL_WINDOW): with the usual window of six, the
    workers ran out of small tasks while the parent was writing a batch (100 k text pages lost
    0.5 s)."""
    small: list[tuple[str, int, int]] = []
    task_size = FIRST_FILES_PER_TASK
    tail = False

    def flush_small():
        nonlocal small, task_size
        if small:
            batch, small = small, []
            _prefetch(batch)
            pieces = -(-len(batch) // task_size)        # the tail's carried files, split evenly
            size = -(-len(batch) // pieces)
            if not tail:
                task_size = min(FILES_PER_TASK, task_size * 2)
            for lo in range(0, len(batch), size):
                part = batch[lo:lo + size]
                yield from executor.submit(("files",), _task_files, part, fmt, column_map,
                                           size=sum(f[1] for f in part), split=_split_files)

    def visit(paths: list[str]):
        known = snap.known_inputs(paths)
        for path in paths:
            if is_sidecar(path):
                continue
            summary.n_inputs += 1
            try:
                st = os.stat(path)
            except OSError as exc:
                summary.errors.append((path, "", "unreadable_input", str(exc)))
                continue
            if not stat.S_ISREG(st.st_mode):    # a FIFO, device or socket named on the command line
                summary.errors.append((path, "", RefusedInput.kind, refused_kind_reason(st.st_mode)))
                continue
            prev = known.get(path)
            if prev and prev[0] == st.st_size and prev[1] == st.st_mtime_ns:
                summary.n_skipped_unchanged += 1
                continue
            if st.st_size > BIG_TABLE_BYTES and (fmt in TABLE_FORMATS or _looks_like_table(path)):
                yield from flush_small()
                yield from _submit_big_table(executor, path, st, fmt, column_map, summary)
                continue
            small.append((path, st.st_size, st.st_mtime_ns))
            if len(small) >= task_size:
                yield from flush_small()

    urls = list(dict.fromkeys(s for s in specs if s.startswith(("http://", "https://"))))   # each once
    specs = [s for s in specs if s not in urls]
    for url in urls:
        summary.n_inputs += 1
        yield from executor.submit(("rows", url), _task_url, url)
    held: list[str] = []        # the chunk looked ahead at
    chunk: list[str] = []

    def refused(exc: InputError) -> None:
        summary.n_inputs += 1
        summary.errors.append((exc.path, "", exc.kind, exc.reason))

    try:
        for path in expand_inputs(specs, refused, follow_symlinks_anywhere=anywhere):
            chunk.append(path)
            if len(chunk) >= WALK_CHUNK:
                yield from visit(held)
                held, chunk = chunk, []
    except InputError as exc:
        summary.errors.append((exc.path, "", exc.kind, exc.reason))
    tail, task_size = True, FIRST_FILES_PER_TASK
    executor.window = max(executor.window, TAIL_WINDOW)
    yield from flush_small()        # files carried over, split evenly
    yield from visit(held)
    yield from visit(chunk)
    yield from flush_small()


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


def _prefetch(files: list[tuple[str, int, int]]) -> None:
    """Ask the kernel to start reading a task's files now, while the workers are still busy
    with the tasks before them in the window. Read from disk rather than the page cache, a
    3.7 KB page otherwise keeps its worker waiting ~40 µs and 100 k text pages took 44 s
    instead of 32 s. Costs ~3 µs a file."""
    if hasattr(os, "POSIX_FADV_WILLNEED"):
        advise_page_cache((path for path, _size, _mtime in files), os.POSIX_FADV_WILLNEED)


def _looks_like_table(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return name.endswith((".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet"))


def _submit_big_table(executor: _Executor, path: str, st, fmt, column_map, summary: RunSummary) -> Iterator:
    """Split a large table among the workers: JSON Lines as chunks of raw lines (workers parse
    them), other tables as chunks of rows read here. Whatever stops the reading here (a named
    input error, or any other exception of a reader: an OverflowError on a timestamp, a
    RecursionError on deep nesting, the memory running out) is this input's error, as it would
    be in a worker; the rows read before it still load."""
    hasher = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                hasher.update(block)
    except OSError as exc:
        summary.errors.append((path, "", "unreadable_input", str(exc)))
        return
    n = 0
    where = ""
    tasks = _big_table_tasks(path, fmt, column_map)
    failure = None
    while True:
        try:
            fn, args, count, where = next(tasks)
        except StopIteration:
            break
        except InputError as exc:
            failure = (exc.kind, exc.reason)
        except MemoryError:
            failure = ("memory", "reading it needed more memory than the ingest could have")
        except Exception as exc:  # noqa: BLE001 - any reader failure is this input's error
            failure = ("unreadable_input", _describe(exc))
        if failure is not None:
            tasks.close()
            item = f"after {where}" if where else ""
            summary.errors.append((path, item, *failure))
            if n == 0:
                summary.unfinished.add(path)    # nothing read: the next run tries again
            break
        n += count
        yield from executor.submit(("rows", path), fn, *args)
    yield from executor.submit(("table_done", path, st.st_size, st.st_mtime_ns, hasher.hexdigest(), n), _noop)


def _big_table_tasks(path: str, fmt, column_map) -> Iterator[tuple]:
    """The tasks a big table is cut into: (fn, args, rows, last item) each."""
    from etl.readers.detect import HEAD_BYTES, detect_format, open_input

    with open_input(path) as stream:
        head = stream.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(stream, "peek") else b""
        kind = fmt or (detect_format(path, head) if head else None)
    if kind == "jsonl":
        first, lines, line_no = 1, [], 0
        try:
            with open_input(path) as stream:
                for line_no, line in enumerate(stream, start=1):
                    if not lines:
                        first = line_no
                    lines.append(line)
                    if len(lines) >= ROWS_PER_TASK:
                        yield _task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
                        lines = []
        except GeneratorExit:
            raise
        except BaseException:   # the lines read before an error still go out, then the error
            if lines:
                yield _task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
            raise
        if lines:
            yield _task_jsonl_chunk, (path, head, first, lines, column_map), len(lines), f"line {line_no}"
        return
    rows: list = []
    try:
        for raw in read_input(path, fmt, column_map):
            rows.append(raw)
            if len(rows) >= ROWS_PER_TASK:
                yield _enrich_all, (rows,), len(rows), rows[-1].item
                rows = []
    except GeneratorExit:
        raise
    except BaseException:
        if rows:
            yield _enrich_all, (rows,), len(rows), rows[-1].item
        raise
    if rows:
        yield _enrich_all, (rows,), len(rows), rows[-1].item


def _noop():
    return None


def _absorb(tag, result, writer: _Writer, snap, run_id: int, summary: RunSummary) -> None:
    kind = tag[0]
    if isinstance(result, workers_mod.TaskFailed):
        _absorb_failure(tag, result, summary)
    elif kind == "files":
        files, packed, errors = result
        summary.errors.extend(errors)
        writer.add(packed)
        for path, size, mtime, sha, used_fmt, n, whole_file_failed in files:
            if not whole_file_failed:
                writer.input_done(path, size, mtime, sha, used_fmt, n)
    elif kind == "rows":
        records, errors = result
        summary.errors.extend(errors)
        writer.add(records)
    elif kind == "table_done":
        _, path, size, mtime, sha, n = tag
        if path not in summary.unfinished:
            writer.input_done(path, size, mtime, sha, None, n)


def _absorb_failure(tag, failed: workers_mod.TaskFailed, summary: RunSummary) -> None:
    """A task its worker could not finish, twice (a timeout, the memory limit, a crash):
    recorded against its input. The input is not remembered as read, so the next run tries it
    again (what stopped it may have been the machine rather than the file)."""
    if failed.fn is _task_files:
        for path, _size, _mtime in failed.args[0]:
            summary.errors.append((path, "", failed.kind, failed.reason))
        return
    path = tag[1]
    if failed.fn is _task_jsonl_chunk:
        first = failed.args[2]
        item = f"lines {first}-{first + len(failed.args[3]) - 1}"
    elif failed.fn is _enrich_all and failed.args[0]:
        rows = failed.args[0]
        item = f"{rows[0].item} to {rows[-1].item}" if len(rows) > 1 else rows[0].item
    else:
        item = ""
    summary.errors.append((path, item, failed.kind, failed.reason))
    summary.unfinished.add(path)


_TAGGER = None


def _init_tagger(taxonomy: Path) -> None:
    global _TAGGER
    from etl.extract.topics import Tagger, load_taxonomy
    _TAGGER = Tagger(load_taxonomy(taxonomy))
    if multiprocessing.parent_process() is not None:
        _calm_gc()


def _task_retag(batch: list[tuple], people: dict[str, list[tuple]]):
    """Topics, casualties and defections of stored articles, as Arrow tables by table name."""
    from etl.enrich import stored_figure_rows, topic_rows
    from etl.model import Doc
    rows = []
    figures: dict[str, list[dict]] = {t: [] for t in store_mod.FIGURE_TABLES}
    for aid, title, caption, body, published_at, *_ in batch:
        rows.extend(dict(r, article_id=aid)
                    for r in topic_rows(_TAGGER.tag(Doc(title=title, caption=caption, body=body))))
        for table, part in stored_figure_rows(aid, title, caption, body, published_at, people.get(aid, [])).items():
            figures[table].extend(part)
    return {"article_topics": _child_columns(rows, store_mod.TOPIC_SCHEMA),
            **{t: _child_columns(r, store_mod.CHILD_TABLES[t]) for t, r in figures.items()}}


def retag(db: Path, progress: bool = True, workers: int | None = None,
          taxonomy: Path | None = None, key_dates: Path | None = None) -> tuple[int, float]:
    """Recompute every article's topics (after a taxonomy edit), casualties and defections from stored text (no input is
    re-read). Tagging runs in worker processes; the parent streams text out and rows in."""
    from etl.enrich import TAXONOMY_PATH
    from etl.extract.topics import load_taxonomy, taxonomy_rows

    started = time.perf_counter()
    taxonomy_path = Path(taxonomy or TAXONOMY_PATH)
    taxonomy = load_taxonomy(taxonomy_path)   # parse here first so a broken file fails before any work
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    snap = store_mod.Snapshot.open(db)
    executor = _Executor(workers, _init_tagger, (taxonomy_path,))
    try:
        run_id = snap.begin_run("retag", [str(taxonomy_path)])
        snap.replace_topics(taxonomy_rows(taxonomy))
        snap.record_errors(run_id, load_key_dates(snap, key_dates))
        for table in ("article_topics", *store_mod.FIGURE_TABLES):
            snap.replace_child_rows(table, [])
        n = 0
        bar = _progress("retag") if progress else None

        def absorb(done) -> None:
            nonlocal n
            for size, tables in done:
                if isinstance(tables, workers_mod.TaskFailed):   # stored text: nothing to skip
                    raise WorkerFailure(f"retagging stopped: a worker failed twice on the same "
                                        f"articles ({tables.kind}: {tables.reason}).",
                                        "Nothing was changed; run `python -m etl retag` again.")
                for table, rows in tables.items():
                    snap.insert(table, rows)
                n += size
                if bar is not None:
                    bar.update(size)

        for batch in snap.iter_texts(batch_size=2000):
            absorb(executor.submit(len(batch), _task_retag, batch, snap.entities_of([r[0] for r in batch])))
        absorb(executor.drain())
        if bar is not None:
            bar.close()
        snap.rebuild_facets()
        seconds = time.perf_counter() - started
        snap.finish_run(run_id, "ok", {"n_read": n}, seconds)
        snap.commit()
    except BaseException:
        snap.abort()
        raise
    finally:
        executor.close()
    return n, seconds
