"""Keeps the full-text index in step with database snapshots.

Each snapshot names its index directory in `meta.index_dir` (relative to the database's
folder). An ingest builds the next directory from the previous one plus the articles the run
added or changed, then the snapshot that names it is swapped in; readers therefore always
search the index that matches the rows they see.
"""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from etl import store as store_mod
from etl.paths import index_parent
from etl.search import index as search_index
from etl.errors import CorruptIndex, DiskFull

ROW_FIELDS = ("article_id", "title", "caption", "body", "published_at", "source", "primary_country", "is_primary")


def _rows(batches):
    for batch in batches:
        for row in batch:
            yield dict(zip(ROW_FIELDS, row))


def _next_dir(snap: store_mod.Snapshot) -> tuple[Path, str]:
    next_id = int(snap.meta("snapshot_id") or 0) + 1
    parent = index_parent(snap.live)
    rel = f"{parent.name}/{search_index.dir_name(next_id)}"
    target = parent / search_index.dir_name(next_id)
    if target.exists() and rel != snap.meta("index_dir"):
        # left by a run that was killed before its swap, or by a database since deleted
        shutil.rmtree(target)
    return target, rel


class IngestIndexer:
    """Keeps the index in step with an ingest run while it writes: `open` starts the next
    index directory (from the previous one, or empty), `add` hands it each written batch of
    articles (an Arrow table with the `articles` columns) so tantivy indexes on its own threads
    while the run goes on, and `close` publishes it and names it in the snapshot's meta."""

    def __init__(self, db: Path, sample: bool = False):
        self.db, self.sample = Path(db), sample
        self.writer: search_index.Writer | None = None
        self.keep: set[str] = set()
        self._closing: threading.Thread | None = None   # start_closing's commit
        self._failed: BaseException | None = None

    def open(self, snap: store_mod.Snapshot) -> None:
        prev_rel = snap.meta("index_dir")
        prev = (snap.live.parent / prev_rel) if prev_rel else None
        if prev is not None and not prev.exists():
            prev = None     # a database whose index was deleted: build it whole
        new_dir, self.rel = _next_dir(snap)
        self.keep = {new_dir.name} | ({prev.name} if prev else set())
        if prev is not None:
            try:
                self.writer = search_index.Writer(new_dir, prev)
            except Exception as exc:  # noqa: BLE001 - tantivy's errors have no common type
                shutil.rmtree(new_dir.parent / f".{new_dir.name}.partial", ignore_errors=True)
                fault = store_mod.as_fault(exc, snap.live)
                if isinstance(fault, DiskFull):
                    raise fault from exc
                raise CorruptIndex(
                    f"The full-text index {prev} cannot be opened ({_first_line(exc)}).",
                    f"Rebuild it with `python -m etl reindex --db {snap.live}`, then run the command "
                    f"again; the database is unchanged.") from exc
        else:
            self.writer = search_index.Writer(new_dir)
            for row in _rows(snap.iter_texts()):    # articles stored before there was an index
                self.writer.add(row)
            self.writer.incremental = self.writer.count > 0   # a changed one replaces its copy

    def add(self, articles) -> None:
        cols = {name: articles.column(name).to_pylist() for name in ROW_FIELDS}
        for values in zip(*cols.values()):
            self.writer.add(dict(zip(ROW_FIELDS, values)))

    def start_closing(self) -> None:
        """Commit and publish the index on a thread of its own, so that tantivy's last commit
        and merges run while the database finishes the run (tantivy releases the GIL; the time
        saved is in docs/figures.md). `close` or `abort` waits for it."""
        def finish():
            try:
                self.writer.close()
            except BaseException as exc:   # re-raised by close()
                self._failed = exc

        self._failed = None
        self._closing = threading.Thread(target=finish, name="index-commit")
        self._closing.start()

    def _join(self) -> None:
        closing, self._closing = self._closing, None
        if closing is not None:
            closing.join()

    def close(self, snap: store_mod.Snapshot) -> None:
        if self.sample:
            snap.set_meta("sample", "true")
        if self._closing is None:
            self.start_closing()
        self._join()
        if self._failed is not None:
            raise self._failed
        self.writer = None
        snap.set_meta("index_dir", self.rel)
        search_index.gc(index_parent(snap.live), keep=self.keep)

    def abort(self) -> None:
        self._join()
        if self.writer is not None:
            self.writer.discard()
            self.writer = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def reindex(db: Path) -> tuple[int, float]:
    """Rebuild the index of the current snapshot from the database, as a new snapshot."""
    started = time.perf_counter()
    with store_mod.Snapshot.writing(Path(db)) as snap, snap.run("reindex", [str(db)]) as run:
        new_dir, rel = _next_dir(snap)
        n = search_index.build(new_dir, _rows(snap.iter_texts()))
        snap.set_meta("index_dir", rel)
        run.counts["n_read"] = n
    search_index.gc(index_parent(Path(db)), keep={new_dir.name})
    return n, time.perf_counter() - started
