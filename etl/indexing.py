"""Keeps the full-text index in step with database snapshots.

Each snapshot names its index directory in `meta.index_dir` (relative to the database's
folder). An ingest builds the next directory from the previous one plus the articles the run
added or changed, then the snapshot that names it is swapped in; readers therefore always
search the index that matches the rows they see.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from etl import search_index
from etl import store as store_mod

ROW_FIELDS = ("article_id", "title", "caption", "body", "published_at", "source", "primary_country", "is_primary")


def index_parent(db: Path) -> Path:
    db = Path(db).resolve()
    return db.with_name(db.name + ".index")


def _rows(batches):
    for batch in batches:
        for row in batch:
            yield dict(zip(ROW_FIELDS, row))


def _next_dir(snap: store_mod.Snapshot) -> tuple[Path, str]:
    next_id = int(snap.meta("snapshot_id") or 0) + 1
    parent = index_parent(snap.live)
    rel = f"{parent.name}/{next_id:08d}"
    target = parent / f"{next_id:08d}"
    if target.exists() and rel != snap.meta("index_dir"):
        # left by a run that was killed before its swap, or by a database since deleted
        shutil.rmtree(target)
    return target, rel


def after_write_hook(db: Path, sample: bool = False):
    """The pipeline's after_write callback: update the index for the run, mark sample data."""

    def hook(snap: store_mod.Snapshot, run_id: int) -> None:
        if sample:
            snap.set_meta("sample", "true")
        prev_rel = snap.meta("index_dir")
        prev = (snap.live.parent / prev_rel) if prev_rel else None
        if prev is not None and not prev.exists():
            prev = None
        new_dir, rel = _next_dir(snap)
        if prev is None:
            search_index.build(new_dir, _rows(snap.iter_texts()))
        else:
            search_index.update(prev, new_dir, _rows(snap.iter_texts(run_id=run_id)), [])
        snap.set_meta("index_dir", rel)
        search_index.gc(index_parent(snap.live), keep={new_dir.name} | ({prev.name} if prev else set()))

    return hook


def reindex(db: Path) -> tuple[int, float]:
    """Rebuild the index of the current snapshot from the database, as a new snapshot."""
    started = time.perf_counter()
    snap = store_mod.Snapshot.open(Path(db))
    try:
        run_id = snap.begin_run("reindex", [str(db)])
        new_dir, rel = _next_dir(snap)
        n = search_index.build(new_dir, _rows(snap.iter_texts()))
        snap.set_meta("index_dir", rel)
        seconds = time.perf_counter() - started
        snap.finish_run(run_id, "ok", {"n_read": n}, seconds)
        snap.commit()
    except BaseException:
        snap.abort()
        raise
    search_index.gc(index_parent(Path(db)), keep={new_dir.name})
    return n, seconds
