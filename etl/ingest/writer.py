"""The parent's writer: workers' packed batches -> deduplicated rows in the snapshot.

Batches are gathered until BATCH_ARTICLES articles (or as many finished inputs) wait, then
written in one go: etl.dedup decides what each record is (new, updated, unchanged, a copy)
and which cluster it joins; this module turns that decision into the rows of `articles`,
`provenance` and the child tables, and records the finished inputs. The database is asked only
for provenance of inputs it has seen before (deduplication has its own index: etl/dedup/seen.py,
whose large parts live in files in the snapshot's scratch folder).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from etl import store
from etl.dedup.decide import Batch, Decision, Deduplicator
from etl.ingest.results import FileResult, Packed

BATCH_ARTICLES = 2000          # articles written per store batch
PATHS_REMEMBERED = 4096        # input paths whose "had articles before this run" is kept


class Writer:
    """Accumulates workers' packed batches and writes them to the snapshot in batches."""

    def __init__(self, snap: store.Snapshot, run_id: int, summary, progress, on_write=None):
        self.snap, self.run_id, self.s, self.progress = snap, run_id, summary, progress
        self.on_write = on_write        # called with each batch's articles table (the index)
        self.buffer: list[Packed] = []
        self.n_buffered = 0
        self.inputs: list[tuple] = []
        self.dedup = Deduplicator(snap.fingerprint_batches(), snap.scratch())
        self.path_known: dict[str, bool] = {}     # input path -> had provenance before this run
        # no article stored before this run: no key has provenance to look up (and asking which
        # paths do would scan the growing provenance table once a batch; see docs/figures.md)
        self.fresh = len(self.dedup) == 0

    def add(self, packed: Packed) -> None:
        if len(packed):
            self.buffer.append(packed)
            self.n_buffered += len(packed)
        if self.n_buffered >= BATCH_ARTICLES or len(self.inputs) >= BATCH_ARTICLES:
            self.flush()

    def input_done(self, f: FileResult) -> None:
        """Remember an input as read, with the next batch written."""
        self.inputs.append((f.path, f.size, f.mtime_ns, f.sha256, f.input_format, f.n_articles, self.run_id))

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
        """Write what is buffered: the finished inputs, then the batch's rows."""
        inputs, self.inputs = self.inputs, []
        self.snap.record_inputs(inputs)
        packs, self.buffer, self.n_buffered = self.buffer, [], 0
        if packs:
            self._write(packs)

    def _write(self, packs: list[Packed]) -> None:
        articles = pa.concat_tables([p.articles for p in packs])
        bodies = articles.column("body")
        batch = Batch(keys=[k for p in packs for k in p.keys], hashes=[h for p in packs for h in p.hashes],
                      sims=np.array([x for p in packs for x in p.simhashes], dtype=np.uint64),
                      sigs=np.concatenate([p.minhashes for p in packs]),
                      days=np.concatenate([p.days for p in packs]),
                      text=lambda i: bodies[i].as_py() or "")
        self.s.n_read += len(batch)
        d = self.dedup.decide(batch, self._by_key(batch.keys), self.run_id,
                              lambda hashes: self.snap.lookup_batch([], hashes)[1])
        self.dedup.cluster(batch, d, self.snap.texts)
        for name in ("n_new", "n_updated", "n_unchanged", "n_duplicates"):
            setattr(self.s, name, getattr(self.s, name) + getattr(d, name))
        kept_articles = self._articles(articles, d)
        self.snap.delete_articles(d.updated_ids)
        self.snap.insert("articles", kept_articles)
        self.snap.insert("provenance", self._provenance(batch, articles, d))
        for table, rows in self._children(packs, d):
            self.snap.insert(table, rows)
        self.snap.touch_provenance(d.touched, self.run_id)
        self.dedup.remember(batch, d)
        if self.on_write is not None:
            self.on_write(kept_articles)
        if self.progress is not None:
            self.progress.update(len(batch))

    def _articles(self, articles: pa.Table, d: Decision) -> pa.Table:
        """The kept records' article rows, with their settled ids, clusters and runs."""
        kept = d.kept
        articles = articles.take(pa.array(kept))
        kept_l = kept.tolist()
        for name, values, typ in (("article_id", [d.ids[i] for i in kept_l], pa.string()),
                                  ("dup_cluster", [d.clusters[i] for i in kept_l], pa.string()),
                                  ("is_primary", [d.primary[i] for i in kept_l], pa.bool_()),
                                  ("first_run_id", [d.first_runs[i] for i in kept_l], pa.int32()),
                                  ("last_run_id", [self.run_id] * len(kept_l), pa.int32())):
            articles = articles.set_column(articles.schema.get_field_index(name), name, pa.array(values, typ))
        return articles

    def _provenance(self, batch: Batch, articles: pa.Table, d: Decision) -> pa.Table:
        """A provenance row for every new key (new articles and duplicates)."""
        urls = articles.column("url").to_pylist()
        formats = articles.column("input_format").to_pylist()
        idx = [i for i, _ in d.provenance]
        n = len(idx)
        return pa.table({"input_path": [batch.keys[i][0] for i in idx], "item": [batch.keys[i][1] for i in idx],
                         "article_id": [aid for _, aid in d.provenance], "url": [urls[i] for i in idx],
                         "input_format": [formats[i] for i in idx],
                         "first_run_id": pa.array([self.run_id] * n, pa.int32()),
                         "last_run_id": pa.array([self.run_id] * n, pa.int32())},
                        schema=store.PROVENANCE_SCHEMA)

    @staticmethod
    def _children(packs: list[Packed], d: Decision):
        """(table, rows) of each child table: the kept records' rows, with their final ids."""
        offsets = np.cumsum([0] + [len(p) for p in packs])
        ids_arr = np.array(d.ids, dtype=object)
        for table in store.CHILD_TABLES:
            parts = [p.children[table] for p in packs]
            rec = np.concatenate([t.column("_rec").to_numpy() + off for t, off in zip(parts, offsets)])
            tbl = pa.concat_tables(parts).drop_columns(["_rec"])
            mask = d.keep[rec]
            yield table, tbl.filter(pa.array(mask)).set_column(0, "article_id",
                                                               pa.array(ids_arr[rec[mask]], pa.string()))
