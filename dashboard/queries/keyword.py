"""Keyword search: the statements; the caches and the Arrow registration are keyword_state's.

The box's query is read by `search.parse` and answered by the snapshot's full-text index
(`meta.index_dir`). Once per snapshot, `row_keys` maps every index document to its `row_key`
(one Arrow join of the index's ids with VIEW_TABLE); a query's hits then become row keys by a
numpy take, kept as an Arrow table per (snapshot, query), registered on the cursor that runs the
statement and semi-joined on the integer key (`a.row_key IN (SELECT row_key FROM kw_…)`, about
half the cost of the same on the text id). A snapshot without a usable index falls back to
substring matching (ILIKE) and says so (`keyword_info`).
"""
from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import NamedTuple, TypedDict

import numpy as np
import pyarrow as pa

from dashboard import keyword_state, search
from dashboard.queries.tables import VIEW_TABLE, Con
from dashboard.state import Filters


class KeywordInfo(TypedDict):
    """What the keyword box does for this snapshot (`keyword_info`)."""
    mode: str                 # "none" | "index" | "substring"
    reading: str              # the query as understood
    notices: list[str]        # sentences for the user
    q: str                    # the query as typed, stripped


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def keyword_terms(q: str) -> list[str]:
    """Split a keyword query into terms; "double quoted phrases" stay one term."""
    terms: list[str] = []
    buf: list[str] = []
    quoted = False
    for ch in q:
        if ch == '"':
            if buf:
                terms.append("".join(buf))
                buf = []
            quoted = not quoted
        elif ch.isspace() and not quoted:
            if buf:
                terms.append("".join(buf))
                buf = []
        else:
            buf.append(ch)
    if buf:
        terms.append("".join(buf))
    return [t.strip() for t in terms if t.strip()]


class _Facts(NamedTuple):
    """What a cursor's snapshot is, for the keyword's caches (`_facts`)."""
    db_file: Path | None      # the database file it reads
    index_dir: str | None     # meta.index_dir: its search index (None: none recorded)
    snapshot_id: str
    created_at: str


# per cursor: its snapshot's facts. A cursor reads one snapshot, opened read-only, all its life
# (`connect`), so they are read once; a keyword view asked for them ~20 times a run (every
# statement's WHERE clause), each a statement of its own. Weak keys: a closed cursor's go with it.
_FACTS: weakref.WeakKeyDictionary[Con, _Facts] = weakref.WeakKeyDictionary()
_FACTS_LOCK = threading.Lock()


def _facts(con: Con) -> _Facts:
    with _FACTS_LOCK:
        found = _FACTS.get(con)
    if found is not None:
        return found
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    db_file = Path(row[0][0]) if row and row[0][0] else None
    facts = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('index_dir', 'snapshot_id', "
                             "'created_at')").fetchall())
    found = _Facts(db_file, facts.get("index_dir"), facts.get("snapshot_id", ""), facts.get("created_at", ""))
    with _FACTS_LOCK:
        _FACTS[con] = found
    return found


def snapshot_identity(con: Con) -> tuple[str, str, str]:
    """(file, snapshot id, creation time) of the snapshot `con` reads: a new snapshot changes
    the last two, so caches of per-snapshot results key on it."""
    facts = _facts(con)
    return str(facts.db_file), facts.snapshot_id, facts.created_at


def snapshot_file(con: Con) -> Path | None:
    """The database file `con` reads (the ATTACHed snapshot, or a plain connection's file)."""
    return _facts(con).db_file


def search_index(con: Con) -> search.SearchIndex | None:
    """The full-text index named by this snapshot's `meta.index_dir`, or None when the
    snapshot has none (an older database) or it cannot be opened."""
    facts = _facts(con)
    if facts.db_file is None or facts.index_dir is None:
        return None
    return keyword_state.index_at(str(facts.db_file), facts.index_dir)


def _snapshot_key(con: Con, index: search.SearchIndex) -> str:
    """Names one snapshot's row keys: the file, its snapshot id and creation time (a new
    snapshot changes both), and the index directory."""
    facts = _facts(con)
    return "\0".join((str(facts.db_file), facts.snapshot_id, facts.created_at, str(index.path)))


def _doc_row_keys(con: Con, index: search.SearchIndex) -> np.ndarray:
    """Index document position -> VIEW_TABLE.row_key (-1: not in the table), by one Arrow join."""
    _, ids = index.ids_by_address()
    docs = pa.table({"slot": pa.array(np.arange(len(ids), dtype=np.int32)), "article_id": ids})
    keyword_state.register(con, "_doc_ids", docs)
    try:
        found = con.execute(f"SELECT d.slot, f.row_key FROM _doc_ids d "
                            f"JOIN {VIEW_TABLE} f USING (article_id)").fetchnumpy()
    finally:
        con.unregister("_doc_ids")
    keys: np.ndarray = np.full(len(ids), -1, np.int32)
    keys[np.asarray(found["slot"], np.int64)] = np.asarray(found["row_key"], np.int32)
    return keys


def row_keys(con: Con, index: search.SearchIndex) -> np.ndarray:
    """This snapshot's map from index document position (`SearchIndex.matching_slots`) to
    VIEW_TABLE.row_key, built on first use (`connect` does it) and cached per snapshot."""
    return keyword_state.row_keys(_snapshot_key(con, index), lambda: _doc_row_keys(con, index))


def keyword_keys(con: Con, index: search.SearchIndex,
                 parsed: search.ParsedQuery) -> pa.Table:
    """Every VIEW_TABLE row the index matches for `parsed`, best first (columns row_key, rank),
    cached per (snapshot, reading)."""
    return keyword_state.matching_keys(_snapshot_key(con, index), index, parsed, lambda: row_keys(con, index))


def register_ids(con: Con, index: search.SearchIndex, parsed: search.ParsedQuery) -> str:
    """Register the matching row keys on `con` and return the view's name (see keyword_state)."""
    table = keyword_keys(con, index, parsed)
    name = keyword_state.view_name(_snapshot_key(con, index), parsed.reading)
    keyword_state.register(con, name, table)
    return name


def keyword_info(con: Con, q: str) -> KeywordInfo:
    """What the keyword box does for this snapshot, for the page to show.

    mode: "none" (nothing to search: no filter), "index" (full-text index) or "substring"
    (no usable index: every word must appear as typed); reading: the query as understood;
    notices: sentences for the user (bad syntax, fallback).
    """
    q = (q or "").strip()
    if not q:
        return {"mode": "none", "reading": "", "notices": [], "q": q}
    index = search_index(con)
    if index is None:
        return {"mode": "substring", "reading": " ".join(keyword_terms(q)), "q": q, "notices": [
            "Keyword search is not available for this snapshot (it has no usable search index), "
            "so words are matched as plain text: every word must appear as typed, without word "
            "forms or operators. Rebuild the index with `python -m etl reindex`."]}
    parsed = keyword_state.parse(q)
    return {"mode": "none" if parsed.is_empty else "index", "reading": parsed.reading,
            "notices": list(parsed.notices), "q": q}


def keyword_clause(filters: Filters, con: Con | None = None) -> tuple[str, list]:
    """The ONE place keyword filtering is decided: `(sql, params)` over alias `a`, VIEW_TABLE
    (columns `row_key` and `article_id`).

    With `con` and a snapshot that has a search index: `a.row_key IN (SELECT row_key FROM
    kw_…)`, the index's matches registered on `con`. A query with nothing searchable in it
    filters nothing. Without either (an old snapshot, or no connection to ask): every term must
    match the title, caption or body as a case-insensitive substring.
    """
    if not filters.q:
        return "", []
    index = search_index(con) if con is not None else None
    if con is not None and index is not None:
        parsed = keyword_state.parse(filters.q)
        if parsed.is_empty:
            return "", []
        return f"a.row_key IN (SELECT row_key FROM {register_ids(con, index, parsed)})", []
    return _substring_clause(filters.q)


def _substring_clause(q: str) -> tuple[str, list]:
    terms = keyword_terms(q)
    if not terms:
        return "", []
    parts, params = [], []
    for term in terms:
        pattern = f"%{_escape_like(term)}%"
        parts.append("(k.title ILIKE ? ESCAPE '\\' OR k.caption ILIKE ? ESCAPE '\\' "
                     "OR k.body ILIKE ? ESCAPE '\\')")
        params += [pattern, pattern, pattern]
    return f"a.article_id IN (SELECT k.article_id FROM articles k WHERE {' AND '.join(parts)})", params


def indexed_keyword(con: Con, filters: Filters) -> tuple[search.SearchIndex, search.ParsedQuery] | None:
    """(index, parsed query) when the keyword is answered by the index, else None."""
    if not filters.q:
        return None
    index = search_index(con)
    parsed = keyword_state.parse(filters.q)
    return None if index is None or parsed.is_empty else (index, parsed)
