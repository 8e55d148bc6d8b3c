"""read → normalise → deduplicate → enrich → store, batch by batch.

Reading and enrichment run in worker processes (HTML extraction and text matching are CPU
bound); the parent process owns the only database connection and writes batches through
`store`. Work is handed out through a bounded window, so memory stays flat however large the
input: a big table file is split into chunks of rows, small files are grouped.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from etl import store as store_mod
from etl.errors import InputError
from etl.model import ItemError, RawArticle
from etl.readers.detect import expand_inputs, read_input

BATCH_ARTICLES = 2000          # articles written per store batch
FILES_PER_TASK = 64            # small files handed to a worker at once
ROWS_PER_TASK = 500            # rows of a big table handed to a worker at once
BIG_TABLE_BYTES = 16_000_000   # tables larger than this are split by the parent
NEAR_DUP_BITS = 6              # simhash distance for "same story, small edits"
TABLE_FORMATS = {"csv", "jsonl", "parquet"}
SIDECAR_NAMES = ("dates.csv", "dates.json")   # also *.dates.csv / *.dates.json


def is_sidecar(path: str) -> bool:
    """A file that maps inputs to publication dates rather than holding articles."""
    name = os.path.basename(path).lower()
    return name in SIDECAR_NAMES or name.endswith((".dates.csv", ".dates.json"))


def find_sidecars(specs: list[str]) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Date sidecars inside the given folders (or given directly); returns (mapping, errors)."""
    from etl.extract.dates import load_sidecar

    mapping: dict[str, str] = {}
    errors = []
    found: list[Path] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            found += sorted(q for q in p.rglob("*dates.*") if q.is_file() and is_sidecar(str(q)))
        elif p.is_file() and is_sidecar(spec):
            found.append(p)
    for path in found:
        try:
            entries = load_sidecar(path.read_text(encoding="utf-8", errors="replace"), str(path))
        except InputError as exc:
            errors.append((str(path.resolve()), "", exc.kind, exc.reason))
            continue
        except OSError as exc:
            errors.append((str(path.resolve()), "", "unreadable_input", str(exc)))
            continue
        mapping.update(entries)
    return mapping, errors

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


def _enrich_all(raws: Iterable[RawArticle | ItemError]) -> tuple[list[dict], list[tuple]]:
    from etl.enrich import metadata_date_reason
    records, errors = [], []
    for raw in raws:
        if isinstance(raw, ItemError):
            errors.append((raw.input_path, raw.item, raw.kind, raw.reason))
            continue
        if not (raw.body or "").strip() and not (raw.title or "").strip():
            errors.append((raw.input_path, raw.item, "empty_item", "no title and no text"))
            continue
        try:
            records.append(_ENRICHER.enrich(raw))
        except Exception as exc:  # one bad article never stops the run
            errors.append((raw.input_path, raw.item, "enrichment_failed", f"{type(exc).__name__}: {exc}"))
            continue
        reason = metadata_date_reason(raw.published_raw)
        if reason:
            errors.append((raw.input_path, raw.item, "impossible_date", reason))
    return records, errors


def _task_files(paths: list[tuple[str, int, int]], fmt: str | None, column_map: dict | None):
    """Read and enrich whole files. Returns [(path, size, mtime, sha, fmt, records, errors)]."""
    out = []
    for path, size, mtime in paths:
        try:
            hasher = hashlib.sha256()
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    hasher.update(block)
            sha = hasher.hexdigest()
        except OSError as exc:
            out.append((path, size, mtime, "", None, [], [(path, "", "unreadable_input", str(exc))]))
            continue
        try:
            records, errors = _enrich_all(read_input(path, fmt, column_map))
        except InputError as exc:
            out.append((path, size, mtime, sha, None, [], [(path, "", exc.kind, exc.reason)]))
            continue
        except Exception as exc:  # an unexpected reader failure is still one input's error
            out.append((path, size, mtime, sha, None, [],
                        [(path, "", "unreadable_input", f"{type(exc).__name__}: {exc}")]))
            continue
        used_fmt = records[0]["article"]["input_format"] if records else fmt
        out.append((path, size, mtime, sha, used_fmt, records, errors))
    return out


def _task_url(url: str):
    """Fetch and read one feed or page URL (needs network; nothing else does)."""
    from etl.readers.detect import read_url
    try:
        records, errors = _enrich_all(read_url(url))
    except InputError as exc:
        return [], [(url, "", exc.kind, exc.reason)]
    return records, errors


def _task_jsonl_chunk(path: str, head: bytes, first_line: int, lines: list[bytes], column_map: dict | None):
    """Parse and enrich a chunk of lines of a big JSON Lines file."""
    import io
    from etl.readers.table import read_jsonl
    try:
        return _enrich_all(read_jsonl(path, io.BytesIO(b"".join(lines)), head, column_map, first_line))
    except InputError as exc:
        return [], [(path, f"line {first_line}", exc.kind, exc.reason)]


# -- parent side -------------------------------------------------------------------------------

class _Executor:
    """A process pool with a bounded, ordered window of pending tasks (or inline when workers=0).
    `initializer(*initargs)` builds each worker's state (the extractors) once."""

    def __init__(self, workers: int, initializer, initargs: tuple):
        self.pool = None
        if workers > 0:
            self.pool = ProcessPoolExecutor(max_workers=workers, initializer=initializer, initargs=initargs)
        else:
            initializer(*initargs)
        self.window = max(2, workers * 3)
        self.pending: deque = deque()

    def submit(self, tag, fn, *args) -> Iterator:
        """Queue a task; yields results of the oldest tasks while the window is full."""
        if self.pool is None:
            yield tag, fn(*args)
            return
        self.pending.append((tag, self.pool.submit(fn, *args)))
        while len(self.pending) >= self.window:
            t, fut = self.pending.popleft()
            yield t, fut.result()

    def drain(self) -> Iterator:
        while self.pending:
            t, fut = self.pending.popleft()
            yield t, fut.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class _Writer:
    """Accumulates enriched records and writes them to the snapshot in batches."""

    def __init__(self, snap: store_mod.Snapshot, run_id: int, summary: RunSummary, progress):
        self.snap, self.run_id, self.s, self.progress = snap, run_id, summary, progress
        self.buffer: list[dict] = []
        self.inputs: list[tuple] = []

    def add(self, records: list[dict]) -> None:
        self.buffer.extend(records)
        if len(self.buffer) >= BATCH_ARTICLES or len(self.inputs) >= BATCH_ARTICLES:
            self.flush()

    def input_done(self, path: str, size: int, mtime: int, sha: str, fmt: str | None, n: int) -> None:
        self.inputs.append((path, size, mtime, sha, fmt, n, self.run_id))

    def flush(self) -> None:
        inputs, self.inputs = self.inputs, []
        self.snap.record_inputs(inputs)
        records, self.buffer = self.buffer, []
        if not records:
            return
        s, run_id = self.s, self.run_id
        s.n_read += len(records)
        keys = [r["key"] for r in records]
        hashes = list({r["article"]["content_hash"] for r in records})
        by_key, by_hash = self.snap.lookup_batch(keys, hashes)
        taken = self.snap.existing_ids([h[:16] for h in hashes])

        articles, provenance, touched, updated_ids = [], [], [], []
        new_for_dups: list[tuple[str, int]] = []
        batch_hash: dict[str, str] = {}
        children: dict[str, list[dict]] = {"article_topics": [], "article_places": [], "article_entities": []}
        for r in records:
            key, a = r["key"], r["article"]
            h = a["content_hash"]
            if key in by_key:
                aid, old_hash, first_run, cluster, primary = by_key[key]
                if old_hash == h:
                    s.n_unchanged += 1
                    touched.append(key)
                    continue
                s.n_updated += 1
                updated_ids.append(aid)
                row = dict(a, article_id=aid, dup_cluster=cluster, is_primary=primary,
                           first_run_id=first_run, last_run_id=run_id)
                touched.append(key)
            elif h in by_hash or h in batch_hash:
                s.n_duplicates += 1
                provenance.append(self._provenance(key, a, by_hash.get(h) or batch_hash[h]))
                continue
            else:
                s.n_new += 1
                aid = h[:16]
                if aid in taken:
                    aid = hashlib.sha1(f"{h}\0{key[0]}\0{key[1]}".encode()).hexdigest()[:16]
                taken.add(aid)
                batch_hash[h] = aid
                row = dict(a, article_id=aid, dup_cluster=aid, is_primary=True,
                           first_run_id=run_id, last_run_id=run_id)
                new_for_dups.append((aid, a["simhash"]))
                provenance.append(self._provenance(key, a, aid))
            articles.append(row)
            for table, part in (("article_topics", "topics"), ("article_places", "places"),
                                ("article_entities", "entities")):
                children[table].extend(dict(c, article_id=row["article_id"]) for c in r[part])

        self._cluster(articles, new_for_dups)
        self.snap.delete_articles(updated_ids)
        self.snap.insert("articles", articles)
        self.snap.insert("provenance", provenance)
        for table, rows in children.items():
            self.snap.insert(table, rows)
        self.snap.touch_provenance(touched, run_id)
        if self.progress is not None:
            self.progress.update(len(records))

    def _provenance(self, key: tuple[str, str], article: dict, article_id: str) -> dict:
        return {"input_path": key[0], "item": key[1], "article_id": article_id, "url": article["url"],
                "input_format": article["input_format"], "first_run_id": self.run_id, "last_run_id": self.run_id}

    def _cluster(self, articles: list[dict], new: list[tuple[str, int]]) -> None:
        """Give near-copies of earlier articles the earlier article's cluster."""
        if not new:
            return
        found = self.snap.near_duplicates(new, NEAR_DUP_BITS)
        bands: dict[tuple[int, int], list[tuple[int, str]]] = {}
        by_id = {a["article_id"]: a for a in articles}
        for aid, sh in new:
            cluster = found.get(aid)
            if cluster is None:
                for b in range(4):
                    for other_sh, other_cluster in bands.get((b, (sh >> (16 * b)) & 0xFFFF), ()):
                        if (sh ^ other_sh).bit_count() <= NEAR_DUP_BITS:
                            cluster = other_cluster
                            break
                    if cluster:
                        break
            if cluster is not None and cluster != aid:
                by_id[aid]["dup_cluster"] = cluster
                by_id[aid]["is_primary"] = False
            for b in range(4):
                bands.setdefault((b, (sh >> (16 * b)) & 0xFFFF), []).append((sh, by_id[aid]["dup_cluster"]))


def _progress(total_hint: str):
    from tqdm import tqdm
    return tqdm(unit=" articles", desc=total_hint, disable=None, file=sys.stderr, mininterval=0.5)


def ingest(specs: list[str], db: Path, fmt: str | None = None, column_map: dict | None = None,
           sidecar: dict[str, str] | None = None, workers: int | None = None,
           progress: bool = True, after_write=None, taxonomy: Path | None = None) -> RunSummary:
    """Ingest inputs into the database at `db` (a new snapshot, swapped in atomically).

    `after_write(snapshot, run_id)` runs after the articles are written and before the swap
    (the full-text index update hooks in here).
    """
    started = time.perf_counter()
    summary = RunSummary()
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    found, sidecar_errors = find_sidecars(list(specs))
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
        bar = _progress("ingest") if progress else None
        writer = _Writer(snap, run_id, summary, bar)
        executor = _Executor(workers, _init_worker, (sidecar, taxonomy))
        try:
            for tag, result in _schedule(executor, specs, fmt, column_map, snap, summary):
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
        snap.rebuild_facets()
        if after_write is not None:
            after_write(snap, run_id)
        summary.seconds = time.perf_counter() - started
        snap.finish_run(run_id, summary.status, summary.counts(), summary.seconds)
        summary.snapshot_id = snap.commit()
    except BaseException:
        snap.abort()
        raise
    return summary


def _schedule(executor: _Executor, specs, fmt, column_map, snap, summary) -> Iterator:
    """Walk the inputs, skip unchanged files, and submit tasks; yields finished results."""
    small: list[tuple[str, int, int]] = []
    chunk: list[str] = []

    def flush_small():
        nonlocal small
        if small:
            batch, small = small, []
            yield from executor.submit(("files",), _task_files, batch, fmt, column_map)

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
            prev = known.get(path)
            if prev and prev[0] == st.st_size and prev[1] == st.st_mtime_ns:
                summary.n_skipped_unchanged += 1
                continue
            if st.st_size > BIG_TABLE_BYTES and (fmt in TABLE_FORMATS or _looks_like_table(path)):
                yield from flush_small()
                yield from _submit_big_table(executor, path, st, fmt, column_map)
                continue
            small.append((path, st.st_size, st.st_mtime_ns))
            if len(small) >= FILES_PER_TASK:
                yield from flush_small()

    urls = [s for s in specs if s.startswith(("http://", "https://"))]
    specs = [s for s in specs if s not in urls]
    for url in urls:
        summary.n_inputs += 1
        yield from executor.submit(("rows", url), _task_url, url)
    try:
        for path in expand_inputs(specs):
            chunk.append(path)
            if len(chunk) >= 512:
                yield from visit(chunk)
                chunk = []
    except InputError as exc:
        summary.errors.append((exc.path, "", exc.kind, exc.reason))
    yield from visit(chunk)
    yield from flush_small()


def _looks_like_table(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return name.endswith((".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"))


def _submit_big_table(executor: _Executor, path: str, st, fmt, column_map) -> Iterator:
    """Split a large table among the workers: JSON Lines as chunks of raw lines (workers parse
    them), other tables as chunks of rows read here."""
    from etl.readers.detect import HEAD_BYTES, detect_format, open_input

    hasher = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            hasher.update(block)
    rows: list = []
    n = 0
    try:
        with open_input(path) as stream:
            head = stream.peek(HEAD_BYTES)[:HEAD_BYTES] if hasattr(stream, "peek") else b""
            kind = fmt or (detect_format(path, head) if head else None)
    except InputError as exc:
        yield from executor.submit(("rows", path), _enrich_all, [ItemError(path, "", exc.kind, exc.reason)])
        return
    if kind == "jsonl":
        first, lines = 1, []
        with open_input(path) as stream:
            for line_no, line in enumerate(stream, start=1):
                if not lines:
                    first = line_no
                lines.append(line)
                if len(lines) >= ROWS_PER_TASK:
                    n += len(lines)
                    yield from executor.submit(("rows", path), _task_jsonl_chunk, path, head, first, lines,
                                               column_map)
                    lines = []
        if lines:
            n += len(lines)
            yield from executor.submit(("rows", path), _task_jsonl_chunk, path, head, first, lines, column_map)
        yield from executor.submit(("table_done", path, st.st_size, st.st_mtime_ns, hasher.hexdigest(), n), _noop)
        return
    try:
        for raw in read_input(path, fmt, column_map):
            rows.append(raw)
            if len(rows) >= ROWS_PER_TASK:
                n += len(rows)
                yield from executor.submit(("rows", path), _enrich_all, rows)
                rows = []
    except InputError as exc:
        yield from executor.submit(("rows", path), _enrich_all,
                                   rows + [ItemError(path, "", exc.kind, exc.reason)])
        rows = []
    if rows:
        n += len(rows)
        yield from executor.submit(("rows", path), _enrich_all, rows)
    yield from executor.submit(("table_done", path, st.st_size, st.st_mtime_ns, hasher.hexdigest(), n),
                               _noop)


def _noop():
    return None


def _absorb(tag, result, writer: _Writer, snap, run_id: int, summary: RunSummary) -> None:
    kind = tag[0]
    if kind == "files":
        for path, size, mtime, sha, used_fmt, records, errors in result:
            summary.errors.extend(errors)
            writer.add(records)
            whole_file_failed = any(e[1] == "" for e in errors) and not records
            if not whole_file_failed:
                writer.input_done(path, size, mtime, sha, used_fmt, len(records))
    elif kind == "rows":
        records, errors = result
        summary.errors.extend(errors)
        writer.add(records)
    elif kind == "table_done":
        _, path, size, mtime, sha, n = tag
        writer.input_done(path, size, mtime, sha, None, n)


_TAGGER = None


def _init_tagger(taxonomy: Path) -> None:
    global _TAGGER
    from etl.extract.topics import Tagger, load_taxonomy
    _TAGGER = Tagger(load_taxonomy(taxonomy))


def _task_retag(batch: list[tuple]) -> list[dict]:
    from etl.enrich import topic_rows
    from etl.model import Doc
    rows = []
    for aid, title, caption, body, *_ in batch:
        rows.extend(dict(r, article_id=aid)
                    for r in topic_rows(_TAGGER.tag(Doc(title=title, caption=caption, body=body))))
    return rows


def retag(db: Path, progress: bool = True, workers: int | None = None,
          taxonomy: Path | None = None) -> tuple[int, float]:
    """Recompute every article's topics from stored text after a taxonomy edit (no input is
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
        snap.replace_child_rows("article_topics", [])
        n = 0
        bar = _progress("retag") if progress else None

        def absorb(done) -> None:
            nonlocal n
            for size, rows in done:
                snap.insert("article_topics", rows)
                n += size
                if bar is not None:
                    bar.update(size)

        for batch in snap.iter_texts(batch_size=2000):
            absorb(executor.submit(len(batch), _task_retag, batch))
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
