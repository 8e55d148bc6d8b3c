"""The ingest's public entry points: `ingest` (inputs -> a new snapshot) and `retag`.

The flow of one run: the parent walks the inputs (schedule.py) and hands tasks to worker
processes, which read, extract and enrich the articles and pack them as Arrow tables
(tasks.py); back in the parent, each batch is deduplicated against everything stored and
written to a private snapshot (writer.py, etl/dedup/), handed to the full-text indexer
(etl/search/), and when every input is in, the derived tables are rebuilt and the snapshot
swapped in (etl/store/).
"""
from __future__ import annotations

import gc
import hashlib
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from etl import key_dates as key_dates_file
from etl import paths
from etl import store
from etl import workers
from etl.errors import WorkerFailure
from etl.extract.taxonomy import load_taxonomy, taxonomy_rows
from etl.ingest import tasks
from etl.ingest.results import FILES, ROWS, TABLE_DONE, Tag, TaskResult
from etl.ingest.schedule import Executor, find_sidecars, schedule
from etl.ingest.writer import Writer
from etl.model import ItemError
from etl.workers import Limits


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
    errors: list[ItemError] = field(default_factory=list)
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


@contextmanager
def _rarer_gc():
    """tasks.GC_THRESHOLDS for the duration (the writer's batches hold no cycles either), then
    the caller's own thresholds again."""
    saved = gc.get_threshold()
    gc.set_threshold(*tasks.GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def _progress(desc: str):
    # tqdm is imported only when a bar is shown (the tests and the bench run without one)
    from tqdm import tqdm
    return tqdm(unit=" articles", desc=desc, disable=None, file=sys.stderr, mininterval=0.5)


def load_key_dates(snap, path: Path | None) -> list[ItemError]:
    """Copy the key-dates file (etl/key_dates.py) into the snapshot; returns the rows skipped."""
    rows, errors = key_dates_file.read(path)
    key_dates_file.replace(snap.con, rows)
    return [ItemError(*e) for e in errors]


def ingest(specs: list[str], db: Path, fmt: str | None = None, column_map: dict | None = None,
           sidecar: dict[str, str] | None = None, workers: int | None = None,
           progress: bool = True, indexer=None, taxonomy: Path | None = None,
           limits: Limits | None = None, follow_symlinks_anywhere: bool = False,
           key_dates: Path | None = None, cluster: str | None = None) -> RunSummary:
    """Ingest inputs into the database at `db` (a new snapshot, swapped in atomically).

    `indexer` (etl.search.indexing.IngestIndexer) is opened on the snapshot, handed every batch
    of articles written, and closed before the swap: the full-text index is built alongside.
    `limits` bound each input's time and each worker's memory (workers > 0 only).
    Symbolic links that lead out of the named folders and files are refused unless
    `follow_symlinks_anywhere`. With `cluster` (a Dask scheduler's address) reading and
    enrichment run on that cluster's workers instead of local worker processes (etl/cluster.py).
    """
    with _rarer_gc():
        return _ingest(specs, db, fmt, column_map, sidecar, workers, progress, indexer, taxonomy,
                       limits or Limits(), follow_symlinks_anywhere, key_dates, cluster)


def _ingest(specs, db, fmt, column_map, sidecar, n_workers, progress, indexer, taxonomy, limits,
            anywhere, key_dates, cluster=None) -> RunSummary:
    started = time.perf_counter()
    summary = RunSummary()
    if n_workers is None:
        n_workers = min(2, os.cpu_count() or 1)
    found, sidecar_errors = find_sidecars(list(specs), anywhere)
    sidecar = {**found, **(sidecar or {})}
    summary.errors.extend(sidecar_errors)
    with store.Snapshot.writing(db) as snap:
        try:
            taxonomy = Path(taxonomy or paths.TAXONOMY)
            snap.replace_topics(taxonomy_rows(load_taxonomy(taxonomy)))
            summary.run_id = snap.begin_run("ingest", list(specs))
            summary.errors.extend(load_key_dates(snap, key_dates))
            _read_everything(snap, summary, specs, fmt, column_map, (sidecar, taxonomy), n_workers, progress,
                             indexer, limits, anywhere, cluster)
            _finish(snap, summary, indexer, started)
        except BaseException:
            if indexer is not None:
                indexer.abort()
            raise
    return summary


def _read_everything(snap, summary, specs, fmt, column_map, initargs, n_workers, progress, indexer,
                     limits, anywhere, cluster=None) -> None:
    """Every task scheduled, its result absorbed, the last batch written. The tasks run on the
    local worker pool, or on the workers of a Dask cluster (etl/cluster.py) when `cluster` names
    its scheduler."""
    bar = _progress("ingest") if progress else None
    if cluster:
        from etl.cluster import ClusterExecutor
        # workers that built the extractors for this taxonomy text keep them for the next run
        executor = ClusterExecutor(cluster, tasks.init_worker, initargs,
                                   state_key=hashlib.sha256(Path(initargs[1]).read_bytes()).hexdigest())
    else:
        executor = Executor(n_workers, tasks.init_worker, initargs, limits)
    writer = Writer(snap, summary.run_id, summary, bar)
    if indexer is not None:
        indexer.open(snap)     # after the workers are forked: tantivy starts threads
        writer.on_write = indexer.add
    try:
        for tag, result in schedule(executor, specs, fmt, column_map, snap, summary, anywhere):
            _absorb(tag, result, writer, summary)
        for tag, result in executor.drain():
            _absorb(tag, result, writer, summary)
        writer.flush()
    finally:
        executor.close()
        if bar is not None:
            bar.close()


def _finish(snap, summary: RunSummary, indexer, started: float) -> None:
    """Errors and counts recorded, derived tables and index finished, the snapshot swapped in."""
    snap.record_errors(summary.run_id, summary.errors)
    summary.n_failed = len(summary.errors)
    summary.status = "ok" if not summary.errors else ("failed" if summary.n_read == 0 else "partial")
    if indexer is not None:
        indexer.start_closing()     # tantivy's commit runs alongside the facet rebuild
    snap.rebuild_facets()
    if indexer is not None:
        indexer.close(snap)
    summary.seconds = time.perf_counter() - started
    snap.finish_run(summary.run_id, summary.status, summary.counts(), summary.seconds)
    summary.snapshot_id = snap.commit()


def _absorb(tag: Tag, result: TaskResult | workers.TaskFailed | None, writer: Writer, summary: RunSummary) -> None:
    if isinstance(result, workers.TaskFailed):
        _absorb_failure(tag, result, summary)
    elif tag.kind in (FILES, ROWS):
        summary.errors.extend(result.errors)
        writer.add(result.packed)
        for f in result.files:
            if not f.failed:
                writer.input_done(f)
    elif tag.kind == TABLE_DONE:
        if tag.path not in summary.unfinished:
            writer.input_done(tag.done)


def _absorb_failure(tag: Tag, failed: workers.TaskFailed, summary: RunSummary) -> None:
    """A task its worker could not finish, twice (a timeout, the memory limit, a crash):
    recorded against its input. The input is not remembered as read, so the next run tries it
    again (what stopped it may have been the machine rather than the file)."""
    if failed.fn is tasks.task_files:
        for path, _size, _mtime in failed.args[0]:
            summary.errors.append(ItemError(path, "", failed.kind, failed.reason))
        return
    if failed.fn is tasks.task_jsonl_chunk:
        first = failed.args[2]
        item = f"lines {first}-{first + len(failed.args[3]) - 1}"
    elif failed.fn is tasks.enrich_all and failed.args[0]:
        rows = failed.args[0]
        item = f"{rows[0].item} to {rows[-1].item}" if len(rows) > 1 else rows[0].item
    else:
        item = ""
    summary.errors.append(ItemError(tag.path, item, failed.kind, failed.reason))
    summary.unfinished.add(tag.path)


def retag(db: Path, progress: bool = True, workers: int | None = None,
          taxonomy: Path | None = None, key_dates: Path | None = None) -> tuple[int, float]:
    """Recompute every article's topics (after a taxonomy edit), casualties and defections from
    stored text (no input is re-read). Tagging runs in worker processes; the parent streams
    text out and rows in. Places are not recomputed: topics that depend on the story's place (a
    nation's forces at home) read the stored places, so after an upgrade of the places stage
    only a new ingest of the inputs places the articles anew."""
    started = time.perf_counter()
    taxonomy_path = Path(taxonomy or paths.TAXONOMY)
    parsed = load_taxonomy(taxonomy_path)   # parse here first so a broken file fails before any work
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    with store.Snapshot.writing(db) as snap:
        executor = Executor(workers, tasks.init_tagger, (taxonomy_path,))
        try:
            with snap.run("retag", [str(taxonomy_path)]) as run:
                snap.replace_topics(taxonomy_rows(parsed))
                snap.record_errors(run.run_id, load_key_dates(snap, key_dates))
                for table in ("article_topics", *store.FIGURE_TABLES):
                    snap.replace_child_rows(table, [])
                n = _retag_all(snap, executor, progress)
                snap.rebuild_facets()
                run.counts["n_read"] = n
        finally:
            executor.close()
    return n, time.perf_counter() - started


def _retag_all(snap, executor: Executor, progress: bool) -> int:
    """Stream every stored article's text to the workers and their rows into the snapshot."""
    n = 0
    bar = _progress("retag") if progress else None

    def absorb(done) -> None:
        nonlocal n
        for size, tables in done:
            if isinstance(tables, workers.TaskFailed):   # stored text: nothing to skip
                raise WorkerFailure(f"retagging stopped: a worker failed twice on the same "
                                    f"articles ({tables.kind}: {tables.reason}).",
                                    "Nothing was changed; run `python -m etl retag` again.")
            for table, rows in tables.items():
                snap.insert(table, rows)
            n += size
            if bar is not None:
                bar.update(size)

    for batch in snap.iter_texts(batch_size=2000):
        ids = [r[0] for r in batch]
        absorb(executor.submit(len(batch), tasks.task_retag, batch, snap.entities_of(ids), snap.place_kinds_of(ids)))
    absorb(executor.drain())
    if bar is not None:
        bar.close()
    return n
