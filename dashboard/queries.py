"""Every SQL statement the dashboard runs, and nothing else: pages reach these functions
through the typed, cached methods of `db.Reader` (one method per query, same name).

Values are always bound parameters; the only identifiers spliced into SQL come from the
allow-lists below (and `periods.UNIT` for the grain). Each function takes a read-only DuckDB
connection (and most a `Filters`) and returns plain pandas / Python values, so results can be
cached by (snapshot, Filters). One module on purpose, although it is longer than the others:
the project keeps all of a side's SQL in one place, so that a reviewer reads one file to know
every statement and every bound value.

Counting rule: unless `filters.copies` is set, only one article per duplicate cluster is counted
(`articles.is_primary`), so a syndicated story counts once.

Speed: joining the side tables on a VARCHAR `article_id` is too slow for a page view at a
million articles. So the ETL writes `article_facets` into every snapshot
(schema.sql): one row per article with the columns filters and charts need, per-article lists
of topics, countries and places by role, and people, and an integer `row_key`. `connect(path)`
opens the snapshot read-only (ATTACHed to an in-memory database the dashboard owns) and names
that table `VIEW_TABLE` (a view), likewise `place_index`/`entity_index` as PLACE_TABLE and
ENTITY_TABLE. Every page-view query is then a single scan of it with list functions and no
join; only exports and the drilldown go back to the contract tables. A snapshot written before
schema version 2 has no such tables: `connect` raises OutdatedSnapshot, whose message names
the command that upgrades the file in place.

Keyword filter: the box's query is read by `search.parse` and answered by the snapshot's
full-text index (`meta.index_dir`). Once per snapshot, `row_keys` maps every index document to
its `row_key` (one Arrow join of the index's ids with VIEW_TABLE); a query's hits then become
row keys by a numpy take, kept as an Arrow table per (snapshot, query), registered on the
cursor that runs the statement and semi-joined on the integer key (`a.row_key IN (SELECT
row_key FROM kw_…)`, about half the cost of the same on the text id). Those caches and the
registration live in keyword_state.py; the statements stay here. A snapshot without a usable
index falls back to substring matching (ILIKE) and says so (`keyword_info`).
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypedDict

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import keyword_state, periods, search
from dashboard.state import Filters

Con = duckdb.DuckDBPyConnection

# identifier allow-lists: the only strings spliced into SQL text
SORT_SQL = {
    "newest": "a.published_at DESC NULLS LAST, a.article_id",
    "oldest": "a.published_at ASC NULLS LAST, a.article_id",
    "title": "lower(a.title) ASC NULLS LAST, a.article_id",
    "source": "a.source ASC NULLS LAST, a.published_at DESC NULLS LAST, a.article_id",
}

DEFAULT_TOPIC_LINES = 5
SPIKE_WINDOW = 8          # trailing periods that make the baseline
SPIKE_MIN_HISTORY = 4     # periods of history needed before a spike can be called
SPIKE_MIN_COUNT = 5       # a spike has at least this many articles
SPIKE_SIGMAS = 2.0
OPTION_LIMIT = 300        # most frequent people / places offered in the sidebar

SNAPSHOT = "snap"                           # the attached database file (read-only)
VIEW_TABLE = "memory.main.dash_articles"    # the snapshot's article_facets, see the module docstring
PLACE_TABLE = "memory.main.dash_places"     # its place_index: region/city place_id with coordinates
ENTITY_TABLE = "memory.main.dash_entities"  # its entity_index: entity_id -> display name and kind
# the names above -> the snapshot table each one reads (schema.sql)
FACET_TABLES = {VIEW_TABLE: "article_facets", PLACE_TABLE: "place_index", ENTITY_TABLE: "entity_index"}
ROLE_COLUMNS = {"any": "any", "dateline": "dl", "mentioned": "mn"}
RANKED = "relevance"                        # articles_page order: by the keyword's relevance


class KeywordInfo(TypedDict):
    """What the keyword box does for this snapshot (`keyword_info`)."""
    mode: str                 # "none" | "index" | "substring"
    reading: str              # the query as understood
    notices: list[str]        # sentences for the user
    q: str                    # the query as typed, stripped


class Headline(TypedDict):
    """The headline numbers of a view (`headline`); prev_* are None without a date range."""
    n: int
    prev_n: int | None
    change_pct: float | None
    sources: int
    date_from: date | None
    date_to: date | None
    prev_from: date | None
    prev_to: date | None

# -- opening a snapshot -------------------------------------------------------------------

def connect(path: str) -> Con:
    """Open the snapshot at `path` read-only and name the tables the queries use.

    The file is ATTACHed READ_ONLY (a shared lock, never a writer's) to an in-memory database,
    which holds views of the snapshot's article_facets, place_index and entity_index. A file
    written before those tables existed (schema version 1) raises OutdatedSnapshot. The snapshot's search
    index is opened too and its documents mapped to row keys (`row_keys`, one Arrow join), so
    the first keyword does not pay for it. Use `cursor(con)` for each thread.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {SNAPSHOT} (READ_ONLY)", [str(path)])
    con.execute(f"USE {SNAPSHOT}")
    con.execute("SET enable_progress_bar = false")
    if not _snapshot_has_facets(con):
        con.close()
        raise OutdatedSnapshot(path)
    for name, table in FACET_TABLES.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {SNAPSHOT}.main.{table}")
    index = search_index(con)
    if index is not None:
        row_keys(con, index)
    return con


class OutdatedSnapshot(Exception):
    """The database predates the tables the dashboard reads; any ETL command upgrades it."""

    def __init__(self, path: str):
        super().__init__(f"{path} was written by an older version of the ETL (no article_facets table); "
                         f"upgrade it in place with: python -m etl init --db {path}")


def _snapshot_has_facets(con: Con) -> bool:
    found = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
        [SNAPSHOT]).fetchall()}
    return set(FACET_TABLES.values()) <= found


def cursor(con: Con) -> Con:
    """A per-thread cursor on a `connect()`ed snapshot, reading the contract tables by name."""
    cur = con.cursor()
    cur.execute(f"USE {SNAPSHOT}")
    return cur


# -- the WHERE clause ---------------------------------------------------------------------

def _in(column: str, values: Iterable[object]) -> tuple[str, list]:
    values = list(values)
    return f"{column} IN ({', '.join('?' * len(values))})", values


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


# -- keyword search (the statements; the caches are keyword_state's) ----------------------

def snapshot_file(con: Con) -> Path | None:
    """The database file `con` reads (the ATTACHed snapshot, or a plain connection's file)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(row[0][0]) if row and row[0][0] else None


def search_index(con: Con) -> search.SearchIndex | None:
    """The full-text index named by this snapshot's `meta.index_dir`, or None when the
    snapshot has none (an older database) or it cannot be opened."""
    db_file = snapshot_file(con)
    rows = con.execute("SELECT value FROM meta WHERE key = 'index_dir'").fetchall()
    if db_file is None or not rows:
        return None
    return keyword_state.index_at(str(db_file), rows[0][0])


def _snapshot_key(con: Con, index: search.SearchIndex) -> str:
    """Names one snapshot's row keys: the file, its snapshot id and creation time (a new
    snapshot changes both), and the index directory."""
    facts = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('snapshot_id', 'created_at')").fetchall())
    return "\0".join((str(snapshot_file(con)), facts.get("snapshot_id", ""), facts.get("created_at", ""),
                       str(index.path)))


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


def _register_ids(con: Con, index: search.SearchIndex, parsed: search.ParsedQuery) -> str:
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
        return f"a.row_key IN (SELECT row_key FROM {_register_ids(con, index, parsed)})", []
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


def _any_of(column: str, values: Iterable[str]) -> tuple[str, list]:
    """`column` (a list) holds at least one of `values`. One list_contains per value, OR-ed:
    several times faster than list_has_any(column, [...]) at a million articles (the figures
    are in docs/figures.md, "Dashboard filters")."""
    values = list(values)
    return "(" + " OR ".join([f"list_contains({column}, ?)"] * len(values)) + ")", values


def where_clause(filters: Filters, *, topics: bool = True, dates: bool = True, con: Con | None = None) -> tuple[str, list]:
    """`(sql, params)` selecting the rows of VIEW_TABLE (alias `a`) this view covers.

    `topics=False` drops the topic restriction (the share denominator, per-topic trends);
    `dates=False` drops the date range (the headline's previous period). `con`, the connection
    the statement will run on, lets the keyword go through the search index (`keyword_clause`).
    Countries and places match by `filters.role`: any (the story's main country/region or any
    place in it), dateline, or mentioned. Within a field values are alternatives (OR); fields
    combine with AND.
    """
    clauses: list[str] = []
    params: list = []
    if not filters.copies:
        clauses.append("a.is_primary")
    if dates and filters.date_from:
        clauses.append("a.published_at >= ?")
        params.append(filters.date_from)
    if dates and filters.date_to:
        clauses.append("a.published_at < ?")
        params.append(filters.date_to + timedelta(days=1))
    role = ROLE_COLUMNS.get(filters.role, "any")
    for column, values in ((None, filters.sources), (f"a.c_{role}", filters.countries),
                           (f"a.r_{role}", filters.regions),
                           ("a.topics", filters.topics if topics else ()),
                           ("a.people", filters.people)):
        if not values:
            continue
        sql, vals = _in("a.source", values) if column is None else _any_of(column, values)
        clauses.append(sql)
        params += vals
    kw_sql, kw_params = keyword_clause(filters, con)
    if kw_sql:
        clauses.append(kw_sql)
        params += kw_params
    return (" AND ".join(clauses) or "TRUE"), params


def _df(con: Con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def _row(con: Con, sql: str, params: list | None = None) -> tuple:
    """The one row of an aggregate statement (one without GROUP BY always has one)."""
    row = con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row


# -- snapshot facts -----------------------------------------------------------------------

def meta(con: Con) -> dict[str, str]:
    """The `meta` key/value table (schema_version, snapshot_id, sample, ...)."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def article_total(con: Con) -> int:
    """All rows in `articles`, whatever the filters: 0 means nothing has been loaded yet."""
    return _row(con, "SELECT count(*) FROM articles")[0]


def date_bounds(con: Con) -> tuple[date | None, date | None]:
    """(first, last) publication date in the whole snapshot, as dates (None when empty)."""
    return _row(con, "SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles")


# -- sidebar options ----------------------------------------------------------------------

def options(con: Con, filters: Filters) -> dict[str, pd.DataFrame]:
    """Values offered in the sidebar, each with its article count within the date range.

    Counts honour only the date range and the copies toggle (not the other facets), so a choice
    never disappears because another one was made; cache them on that smaller key.
    """
    scope = Filters(date_from=filters.date_from, date_to=filters.date_to, copies=filters.copies)
    where, params = where_clause(scope, con=con)
    out: dict = {}
    out["topics"] = _df(con, f"""
        SELECT tp.topic_id, tp.label, tp.color, tp.definition, coalesce(c.n, 0) AS n
        FROM topics tp LEFT JOIN (
            SELECT topic_id, count(*) AS n
            FROM (SELECT unnest(a.topics) AS topic_id FROM {VIEW_TABLE} a WHERE {where})
            GROUP BY topic_id) c USING (topic_id)
        ORDER BY tp.sort_order, tp.topic_id""", params)
    out["countries"] = _df(con, f"""
        SELECT a.primary_country AS code, count(*) AS n FROM {VIEW_TABLE} a
        WHERE {where} AND a.primary_country IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, code""", params)
    out["regions"] = _df(con, f"""
        SELECT name, count(*) AS n
        FROM (SELECT unnest(a.r_any) AS name FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY name ORDER BY n DESC, name LIMIT {OPTION_LIMIT}""", params)
    out["sources"] = _df(con, f"""
        SELECT a.source, count(*) AS n FROM {VIEW_TABLE} a
        WHERE {where} AND a.source IS NOT NULL
        GROUP BY 1 ORDER BY n DESC, a.source""", params)
    out["people"] = _df(con, f"""
        SELECT c.entity_id, coalesce(e.name, c.entity_id) AS name, e.kind, c.n
        FROM (SELECT entity_id, count(*) AS n
              FROM (SELECT unnest(a.people) AS entity_id FROM {VIEW_TABLE} a WHERE {where})
              GROUP BY entity_id ORDER BY n DESC, entity_id LIMIT {OPTION_LIMIT}) c
        LEFT JOIN {ENTITY_TABLE} e USING (entity_id)
        ORDER BY c.n DESC, c.entity_id""", params)
    return out


# field -> (SQL listing every value the snapshot has, for `known_values`)
_KNOWN_SQL = {
    "topics": "SELECT topic_id AS v FROM topics",
    "countries": f"SELECT unnest(a.c_any) AS v FROM {VIEW_TABLE} a",
    "regions": f"SELECT unnest(a.r_any) AS v FROM {VIEW_TABLE} a",
    "sources": f"SELECT a.source AS v FROM {VIEW_TABLE} a",
    "people": f"SELECT entity_id AS v FROM {ENTITY_TABLE}",
}


def known_values(con: Con, field: str, values: Iterable[str]) -> list[str]:
    """Those of `values` (a Filters list field's values, e.g. from a shared link) that this
    snapshot has anywhere, whatever the date range; the rest name nothing here."""
    values = list(values)
    if not values:
        return []
    sql, params = _in("v", values)
    found = {row[0] for row in con.execute(
        f"SELECT DISTINCT v FROM ({_KNOWN_SQL[field]}) WHERE {sql}", params).fetchall()}
    return [v for v in values if v in found]


def entity_names(con: Con, entity_ids: Collection[str]) -> dict[str, str]:
    """entity_id -> display name for the given ids (those selected but not among the top options)."""
    if not entity_ids:
        return {}
    sql, vals = _in("entity_id", entity_ids)
    return dict(con.execute(f"SELECT entity_id, name FROM {ENTITY_TABLE} WHERE {sql}", vals).fetchall())


# -- trends -------------------------------------------------------------------------------

def _period_counts(con: Con, filters: Filters, *, extra_history: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per period: articles per topic (all topics) and all articles, under every filter but topics.

    One scan of the filtered articles feeds both, so the share metric's denominator is exact.
    """
    grain = periods.UNIT[filters.grain]
    scope = filters
    if extra_history and filters.date_from:
        scope = filters.replace(date_from=periods.shift(filters.date_from, filters.grain, -extra_history))
    where, params = where_clause(scope, topics=False, con=con)
    rows = _df(con, f"""
        WITH base AS (
            SELECT date_trunc('{grain}', a.published_at)::DATE AS period, a.topics
            FROM {VIEW_TABLE} a WHERE {where} AND a.published_at IS NOT NULL)
        SELECT period, topic_id, count(*) AS n
        FROM (SELECT period, unnest(topics) AS topic_id FROM base)
        GROUP BY ALL
        UNION ALL
        SELECT period, NULL AS topic_id, count(*) AS n FROM base GROUP BY period""", params)
    rows["period"] = pd.to_datetime(rows["period"])
    totals = rows[rows["topic_id"].isna()][["period", "n"]].rename(columns={"n": "total"})
    counts = rows[rows["topic_id"].notna()].reset_index(drop=True)
    return counts, totals.reset_index(drop=True)


def _period_index(filters: Filters, totals: pd.DataFrame, start: date | None = None) -> pd.DatetimeIndex:
    """The chart's periods: the date range, or where it is open the data's first/last period."""
    lo = start or filters.date_from or (totals["period"].min() if len(totals) else None)
    hi = filters.date_to or (totals["period"].max() if len(totals) else None)
    return periods.index(lo, hi, filters.grain)


def _grid(counts: pd.DataFrame, totals: pd.DataFrame, index: pd.DatetimeIndex,
          topic_ids: list[str]) -> pd.DataFrame:
    """Zero-filled (period x topic) table with counts and period totals."""
    wide = (counts.pivot_table(index="period", columns="topic_id", values="n", aggfunc="sum")
            .reindex(index=index, columns=topic_ids).fillna(0).astype("int64"))
    long = wide.stack(future_stack=True).rename("n").reset_index()
    total = totals.set_index("period")["total"].reindex(index).fillna(0).astype("int64")
    long["total"] = long["period"].map(total).fillna(0).astype("int64")
    return long


def topic_trend(con: Con, filters: Filters) -> pd.DataFrame:
    """One row per (period, topic) for the topics on the chart, zero-filled.

    Columns: period, topic_id, n (articles tagged), total (all articles matching the other
    filters), value (n, or 100·n/total for the share metric), smoothed (rolling mean of value
    over `filters.smooth` periods; equal to value when smoothing is off).
    Lines: the selected topics, else the DEFAULT_TOPIC_LINES most frequent in range.
    """
    return _trend_from(*_period_counts(con, filters), filters)


def _trend_from(counts: pd.DataFrame, totals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    if filters.date_from:   # counts may reach back before the range (see trend_and_spikes)
        counts = counts[counts["period"] >= periods.start(filters.date_from, filters.grain)]
    if filters.topics:
        topic_ids = list(filters.topics)
    else:
        top = counts.groupby("topic_id")["n"].sum().sort_values(ascending=False, kind="stable")
        topic_ids = list(top.index[:DEFAULT_TOPIC_LINES])
    index = _period_index(filters, totals)
    out = _grid(counts, totals, index, topic_ids)
    if filters.metric == "share":
        out["value"] = (100.0 * out["n"] / out["total"].where(out["total"] > 0)).fillna(0.0)
    else:
        out["value"] = out["n"].astype("float64")
    if filters.smooth > 1:
        out["smoothed"] = (out.groupby("topic_id", sort=False)["value"]
                           .transform(lambda s: s.rolling(filters.smooth, min_periods=1).mean()))
    else:
        out["smoothed"] = out["value"]
    return out


def spikes(con: Con, filters: Filters) -> pd.DataFrame:
    """Periods where a topic surged: count above mean + 2·sd of the previous 8 periods.

    A spike also needs at least SPIKE_MIN_COUNT articles and SPIKE_MIN_HISTORY earlier periods.
    Covers the selected topics (every topic when none is selected) under the other filters;
    the baseline may reach back before the date range. Columns: topic_id, period, n,
    baseline, ratio (n / baseline), sorted by ratio, largest first.
    """
    return _spikes_from(*_period_counts(con, filters, extra_history=SPIKE_WINDOW), filters)


def trend_and_spikes(con: Con, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(topic_trend, spikes) of the view from one scan where that gives the same answers: the
    spikes' scan reaches SPIKE_WINDOW periods back, and when the range starts on a period's
    first day (no date, a year, a month) the periods from there on hold exactly the trend's
    counts. Otherwise (a period cut by the range's start) the two scans run as before."""
    if filters.date_from and periods.start(filters.date_from, filters.grain) != pd.Timestamp(filters.date_from):
        return topic_trend(con, filters), spikes(con, filters)
    counts, totals = _period_counts(con, filters, extra_history=SPIKE_WINDOW)
    return _trend_from(counts, totals, filters), _spikes_from(counts, totals, filters)


def _spikes_from(counts: pd.DataFrame, totals: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    if filters.topics:   # "in this view": the page lists and counts only the chosen topics
        counts = counts[counts["topic_id"].isin(filters.topics)]
    start = periods.shift(filters.date_from, filters.grain, -SPIKE_WINDOW) if filters.date_from else None
    index = _period_index(filters, totals, start=start)
    cols = ["topic_id", "period", "n", "baseline", "ratio"]
    if counts.empty or len(index) == 0:
        return pd.DataFrame(columns=cols)
    grid = _grid(counts, totals, index, sorted(counts["topic_id"].unique()))
    grid = grid.sort_values(["topic_id", "period"])
    prev = grid.groupby("topic_id")["n"].shift(1)
    roll = prev.groupby(grid["topic_id"]).rolling(SPIKE_WINDOW, min_periods=SPIKE_MIN_HISTORY)
    grid["baseline"] = roll.mean().reset_index(level=0, drop=True)
    grid["sd"] = roll.std(ddof=0).reset_index(level=0, drop=True)
    hit = (grid["baseline"].notna()
           & (grid["n"] >= SPIKE_MIN_COUNT)
           & (grid["n"] > grid["baseline"] + SPIKE_SIGMAS * grid["sd"]))
    if filters.date_from:
        hit &= grid["period"] >= periods.start(filters.date_from, filters.grain)
    out = grid[hit].copy()
    out["ratio"] = out["n"] / out["baseline"].clip(lower=1.0)
    return out[cols].sort_values(["ratio", "period"], ascending=[False, True]).reset_index(drop=True)


def headline(con: Con, filters: Filters) -> Headline:
    """Articles in range, the previous period of equal length, and the change between them.

    Without a date range the range is the data's own first to last date, undated articles are
    counted too, and there is no previous period.
    """
    where, params = where_clause(filters, dates=False, con=con)
    lo, hi = filters.date_from, filters.date_to
    if lo is not None and hi is not None:
        length = (hi - lo).days + 1
        prev_lo, prev_hi = lo - timedelta(days=length), lo - timedelta(days=1)
        n, prev_n, sources = _row(con, f"""
            SELECT count(*) FILTER (WHERE a.published_at >= ?),
                   count(*) FILTER (WHERE a.published_at < ?),
                   count(DISTINCT a.source) FILTER (WHERE a.published_at >= ?)
            FROM {VIEW_TABLE} a WHERE {where} AND a.published_at >= ? AND a.published_at < ?""",
            [lo, lo, lo] + params + [prev_lo, hi + timedelta(days=1)])
        change = 100.0 * (n - prev_n) / prev_n if prev_n else None
        return {"n": n, "prev_n": prev_n, "change_pct": change, "sources": sources,
                "date_from": lo, "date_to": hi, "prev_from": prev_lo, "prev_to": prev_hi}
    range_sql, range_params = where_clause(filters, con=con)
    n, sources, dmin, dmax = _row(con, f"""
        SELECT count(*), count(DISTINCT a.source), min(a.published_at)::DATE, max(a.published_at)::DATE
        FROM {VIEW_TABLE} a WHERE {range_sql}""", range_params)
    return {"n": n, "prev_n": None, "change_pct": None, "sources": sources,
            "date_from": lo or dmin, "date_to": hi or dmax, "prev_from": None, "prev_to": None}


# -- map ----------------------------------------------------------------------------------

def country_counts(con: Con, filters: Filters) -> pd.DataFrame:
    """Filtered articles per country (code, n) by place role: dateline, mentioned, or any
    (the story's primary country or any place in it)."""
    where, params = where_clause(filters, con=con)
    column = f"a.c_{ROLE_COLUMNS.get(filters.role, 'any')}"
    return _df(con, f"""
        SELECT code, count(*) AS n
        FROM (SELECT unnest({column}) AS code FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY code ORDER BY n DESC, code""", params)


def place_counts(con: Con, filters: Filters) -> pd.DataFrame:
    """Regions and cities of the filtered articles with coordinates and article counts."""
    where, params = where_clause(filters, con=con)
    column = f"a.p_{ROLE_COLUMNS.get(filters.role, 'any')}"
    return _df(con, f"""
        SELECT g.place_id, g.name, g.kind, g.country_code, g.region, g.lat, g.lon, c.n
        FROM (SELECT place_id, count(*) AS n
              FROM (SELECT unnest({column}) AS place_id FROM {VIEW_TABLE} a WHERE {where})
              GROUP BY place_id ORDER BY n DESC, place_id LIMIT 500) c
        JOIN {PLACE_TABLE} g USING (place_id)
        ORDER BY c.n DESC, g.name""", params)


# -- articles -----------------------------------------------------------------------------

def _index_scope(filters: Filters) -> search.Scope | None:
    """The filters as a `search.Scope` when the index can apply all of them itself (dates,
    sources, unique stories), else None (topics, places and people live in DuckDB only)."""
    if filters.topics or filters.countries or filters.regions or filters.people:
        return None
    return search.Scope(start=filters.date_from, end=filters.date_to, sources=tuple(filters.sources),
                        primary_only=not filters.copies)


def _keyword(con: Con, filters: Filters) -> tuple[search.SearchIndex, search.ParsedQuery] | None:
    """(index, parsed query) when the keyword is answered by the index, else None."""
    if not filters.q:
        return None
    index = search_index(con)
    parsed = keyword_state.parse(filters.q)
    return None if index is None or parsed.is_empty else (index, parsed)


def article_count(con: Con, filters: Filters) -> int:
    """Articles in the view. A keyword with only date/source filters is counted by the index."""
    kw = _keyword(con, filters)
    scope = _index_scope(filters) if kw else None
    if kw and scope is not None:
        index, parsed = kw
        return index.count(parsed, scope)
    where, params = where_clause(filters, con=con)
    return con.execute(f"SELECT count(*) FROM {VIEW_TABLE} a WHERE {where}", params).fetchall()[0][0]


_PAGE_COLUMNS = """a.article_id, a.published_at, a.date_precision, a.title, a.source,
               a.dateline_place, a.primary_region, a.primary_country, a.is_primary, a.topics"""


def articles_page(con: Con, filters: Filters, limit: int = 50, offset: int = 0, order: str = "") -> pd.DataFrame:
    """One page of the article table, topics listed per row.

    Order: `filters.sort`, or with `order="relevance"` and a keyword, best match first. With a
    keyword the page has a `snippet_html` column: the best passage of each article, escaped,
    with the matched words in <mark> ("" without a search index).
    """
    kw = _keyword(con, filters)
    if kw and order == RANKED:
        rows = _ranked_page(con, filters, *kw, int(limit), int(offset))
    else:
        where, params = where_clause(filters, con=con)
        sort = SORT_SQL.get(filters.sort, SORT_SQL["newest"])
        rows = _df(con, f"""
            SELECT {_PAGE_COLUMNS}
            FROM {VIEW_TABLE} a WHERE {where}
            ORDER BY {sort} LIMIT ? OFFSET ?""", params + [int(limit), int(offset)])
    _place_column(con, rows)
    if filters.q:
        found = snippets(con, kw, list(rows["article_id"])) if kw else {}
        rows["snippet_html"] = [found.get(aid, "") for aid in rows["article_id"]]
    return rows


def _place_column(con: Con, rows: pd.DataFrame) -> None:
    """Add `place` and `country` to a page of rows: the dateline city with the dateline's own
    country, else the story's main region with the main country. (article_facets has no
    dateline country, so the page's few rows are looked up in `articles`.)"""
    ids = [aid for aid, dl in zip(rows["article_id"], rows["dateline_place"]) if pd.notna(dl)]
    dl_country: dict[str, str] = {}
    if ids:
        sql, vals = _in("article_id", ids)
        dl_country = dict(con.execute(
            f"SELECT article_id, dateline_country FROM articles WHERE {sql}", vals).fetchall())
    place, country = [], []
    for aid, dl, region, main in zip(rows["article_id"], rows["dateline_place"], rows["primary_region"],
                                     rows["primary_country"]):
        if pd.notna(dl):
            place.append(dl)
            country.append(dl_country.get(aid))
        else:
            place.append(region if pd.notna(region) else None)
            country.append(main if pd.notna(main) else None)
    rows["place"], rows["country"] = place, country


def _ranked_page(con: Con, filters: Filters, index: search.SearchIndex, parsed: search.ParsedQuery,
                 limit: int, offset: int) -> pd.DataFrame:
    scope = _index_scope(filters)
    if scope is not None:
        # the index ranks and filters alone; DuckDB only fetches the page's rows
        ids = [hit.article_id for hit in index.top_hits(parsed, n=limit, offset=offset, scope=scope)]
        if not ids:
            return _df(con, f"SELECT {_PAGE_COLUMNS} FROM {VIEW_TABLE} a WHERE FALSE")
        sql, vals = _in("a.article_id", ids)
        rows = _df(con, f"SELECT {_PAGE_COLUMNS} FROM {VIEW_TABLE} a WHERE {sql}", vals)
        position = {aid: i for i, aid in enumerate(ids)}
        return rows.sort_values("article_id", key=lambda c: c.map(position)).reset_index(drop=True)
    where, params = where_clause(filters.replace(q=""), con=con)
    name = _register_ids(con, index, parsed)
    return _df(con, f"""
        SELECT {_PAGE_COLUMNS}
        FROM {VIEW_TABLE} a JOIN {name} k ON k.row_key = a.row_key
        WHERE {where}
        ORDER BY k.rank LIMIT ? OFFSET ?""", params + [limit, offset])


def snippets(con: Con, kw: tuple[search.SearchIndex, search.ParsedQuery], ids: list[str]) -> dict[str, str]:
    """article_id -> best passage for the query (caption and body), escaped with <mark>s."""
    if not ids:
        return {}
    index, parsed = kw
    sql, vals = _in("article_id", ids)
    rows = con.execute(f"SELECT article_id, caption, body FROM articles WHERE {sql}", vals).fetchall()
    return {aid: index.snippet_html(parsed, "\n".join(t for t in (caption, body) if t))
            for aid, caption, body in rows}


def keyword_highlights(con: Con, article_id: str, q: str) -> dict[str, list[tuple[int, int]]]:
    """title/caption/body -> character spans of the keyword's words in that field of the
    article, for the drilldown; {} without a search index or an article."""
    kw = _keyword(con, Filters(q=q))
    rows = con.execute("SELECT title, caption, body FROM articles WHERE article_id = ?", [article_id]).fetchall()
    if kw is None or not rows:
        return {}
    index, parsed = kw
    return {name: index.highlight_spans(parsed, text) for name, text in zip(("title", "caption", "body"), rows[0])
            if text}


def article_detail(con: Con, article_id: str) -> dict[str, Any] | None:
    """Everything the drilldown shows for one article, or None when the id is unknown."""
    row = con.execute("""
        SELECT article_id, url, source, title, author, published_at, date_precision, date_source,
               dateline, dateline_place, dateline_country, primary_country, primary_region,
               language, caption, media_id, body, word_count, dup_cluster, is_primary,
               input_format, input_path, first_run_id, last_run_id
        FROM articles WHERE article_id = ?""", [article_id]).fetchone()
    if row is None:
        return None
    cols = [d[0] for d in con.description]
    art = dict(zip(cols, row))
    art["topics"] = _df(con, """
        SELECT t.topic_id, coalesce(tp.label, t.topic_id) AS label, tp.color, t.score,
               t.n_matches, t.evidence
        FROM article_topics t LEFT JOIN topics tp USING (topic_id)
        WHERE t.article_id = ? ORDER BY t.score DESC, t.topic_id""", [article_id])
    art["places"] = _df(con, """
        SELECT name, kind, country_code, region, role, n_mentions, lat, lon, evidence
        FROM article_places WHERE article_id = ?
        ORDER BY role = 'dateline' DESC, n_mentions DESC, name""", [article_id])
    art["entities"] = _df(con, """
        SELECT entity_id, name, kind, title, n_mentions, evidence
        FROM article_entities WHERE article_id = ?
        ORDER BY kind DESC, n_mentions DESC, name""", [article_id])
    art["cluster"] = _df(con, """
        SELECT article_id, published_at, source, title, url, is_primary
        FROM articles WHERE dup_cluster = ? AND article_id <> ?
        ORDER BY is_primary DESC, published_at NULLS LAST, article_id""",
        [art["dup_cluster"], article_id])
    art["provenance"] = _df(con, """
        SELECT p.input_path, p.item, p.url, p.input_format, p.first_run_id, p.last_run_id,
               r.started_at AS first_run_started
        FROM provenance p LEFT JOIN ingest_runs r ON r.run_id = p.first_run_id
        WHERE p.article_id = ? ORDER BY p.first_run_id, p.input_path, p.item""", [article_id])
    run = con.execute("SELECT run_id, command, started_at, status FROM ingest_runs WHERE run_id = ?",
                      [art["first_run_id"]]).fetchone()
    art["first_run"] = dict(zip(["run_id", "command", "started_at", "status"], run)) if run else None
    return art


def topic_evidence(con: Con, article_ids: tuple[str, ...]) -> pd.DataFrame:
    """Each topic tag of `article_ids` with its evidence and the article's text fields, so that
    passages can be cut outside the drilldown (the report)."""
    sql, vals = _in("t.article_id", article_ids)
    return _df(con, f"""
        SELECT t.article_id, t.topic_id, t.evidence, a.title, a.caption, a.body
        FROM article_topics t JOIN articles a USING (article_id)
        WHERE {sql} ORDER BY t.article_id, t.score DESC, t.topic_id""", vals)


def article_urls(con: Con, article_ids: tuple[str, ...]) -> pd.Series:
    """article_id -> original URL (None when the input had none)."""
    sql, vals = _in("article_id", article_ids)
    return pd.Series(dict(con.execute(f"SELECT article_id, url FROM articles WHERE {sql}", vals).fetchall()),
                     dtype=object)


def export_rows(con: Con, filters: Filters) -> pd.DataFrame:
    """Every filtered article (no paging) with its topics, places and people, for CSV export."""
    where, params = where_clause(filters, con=con)
    order = SORT_SQL.get(filters.sort, SORT_SQL["newest"])
    return _df(con, f"""
        WITH f AS (SELECT a.article_id, a.published_at FROM {VIEW_TABLE} a WHERE {where}),
        tp AS (SELECT article_id, string_agg(topic_id, '; ' ORDER BY topic_id) AS topics
               FROM article_topics WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1),
        pl AS (SELECT article_id,
                      string_agg(name || ' (' || role || ')', '; ' ORDER BY role, name) AS places
               FROM article_places WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1),
        en AS (SELECT article_id, string_agg(name, '; ' ORDER BY name) AS people_and_organisations
               FROM article_entities WHERE article_id IN (SELECT article_id FROM f) GROUP BY 1)
        SELECT a.article_id, a.published_at, a.date_precision, a.source, a.title, a.url,
               a.dateline, a.primary_country, a.primary_region,
               coalesce(tp.topics, '') AS topics, coalesce(pl.places, '') AS places,
               coalesce(en.people_and_organisations, '') AS people_and_organisations,
               a.word_count, a.language, a.dup_cluster, a.is_primary, a.input_format, a.input_path
        FROM articles a JOIN f USING (article_id) LEFT JOIN tp USING (article_id)
             LEFT JOIN pl USING (article_id) LEFT JOIN en USING (article_id)
        ORDER BY {order}""", params)


# -- reported figures (casualties and defections tables, schema 4) ------------------------
#
# Counting rule, stated in the Figures page's captions: a story's copies count once (its
# duplicate cluster gives the figure of the copy stating the most), and stories published the
# same day about the same place (primary region, else dateline place, else country) are one
# event: the largest figure among them counts, not their sum. Killed: each story's main
# event only, cumulative tolls left out. Defected: events that are news (not background); a
# named person counts once (the largest report); unnamed groups are one event per day, place,
# rank and destination.

FIGURE_TABLES = ("casualties", "defections")
KILLED_COLUMNS = ("killed", "civilians_killed", "children_killed", "women_killed", "combatants_killed")
DEFECTION_GROUPS = {"rank": "rank", "destination": "destination"}   # allow-list for defections_by


def has_figures(con: Con) -> bool:
    """The snapshot has the figure tables (a schema-3 file does not)."""
    found = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'",
        [SNAPSHOT]).fetchall()}
    return set(FIGURE_TABLES) <= found


def _figure_base(con: Con, filters: Filters) -> tuple[str, list]:
    where, params = where_clause(filters, con=con)
    return f"""
        f AS (SELECT a.article_id, a.published_at::DATE AS day, a.title, a.source,
                     coalesce(a.primary_region, a.dateline_place, a.primary_country) AS place
              FROM {VIEW_TABLE} a WHERE {where} AND a.published_at IS NOT NULL)""", params


def _killed_events(con: Con, filters: Filters) -> tuple[str, list]:
    """SQL (a WITH list ending in `ranked`) of every story's main casualty event with `counted`
    true for the one figure that counts per event (see the rule above)."""
    base, params = _figure_base(con, filters)
    cols = ", ".join(f"c.{c}" for c in KILLED_COLUMNS)
    return f"""WITH {base},
        ev AS (SELECT f.*, ar.dup_cluster, {cols}, c.approximate, c.evidence
               FROM casualties c JOIN f USING (article_id) JOIN articles ar USING (article_id)
               WHERE c.is_main_event AND NOT c.is_cumulative AND c.killed IS NOT NULL),
        story AS (SELECT * EXCLUDE (rn) FROM (
                      SELECT ev.*, row_number() OVER (PARTITION BY dup_cluster
                                                      ORDER BY killed DESC, day, article_id) AS rn FROM ev)
                  WHERE rn = 1),
        ranked AS (SELECT story.*, coalesce(place, dup_cluster) AS event_place,
                          row_number() OVER (w ORDER BY killed DESC, article_id) = 1 AS counted,
                          count(*) OVER w AS n_stories
                   FROM story WINDOW w AS (PARTITION BY day, coalesce(place, dup_cluster)))""", params


def _defection_events(con: Con, filters: Filters) -> tuple[str, list]:
    """Like _killed_events for the defections table (see the rule above)."""
    base, params = _figure_base(con, filters)
    return f"""WITH {base},
        ev AS (SELECT f.*, ar.dup_cluster, d.person, d.entity_id, d.rank, d.count, d.approximate,
                      d.destination, d.from_side, d.to_side, d.when_text, d.evidence,
                      CASE WHEN d.person IS NOT NULL THEN 'p:' || coalesce(d.entity_id, lower(d.person))
                           ELSE 'u:' || f.day || '|' || coalesce(f.place, ar.dup_cluster) || '|'
                                || coalesce(d.rank, '') || '|' || coalesce(d.destination, '') END AS event_key
               FROM defections d JOIN f USING (article_id) JOIN articles ar USING (article_id)
               WHERE NOT d.is_background AND d.count IS NOT NULL),
        ranked AS (SELECT ev.*, row_number() OVER w = 1 AS counted, count(DISTINCT dup_cluster) OVER (PARTITION BY event_key) AS n_stories
                   FROM ev WINDOW w AS (PARTITION BY event_key ORDER BY count DESC, day, article_id))""", params


def reported_killed(con: Con, filters: Filters) -> pd.DataFrame:
    """Per period: people reported killed (and of them civilians, children, women, combatants),
    events and stories counted, by the rule above."""
    events, params = _killed_events(con, filters)
    grain = periods.UNIT[filters.grain]
    sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in KILLED_COLUMNS)
    return _df(con, f"""{events}
        SELECT date_trunc('{grain}', day)::DATE AS period, {sums}, count(*) AS events,
               sum(n_stories)::BIGINT AS stories, bool_or(approximate) AS approximate
        FROM ranked WHERE counted GROUP BY 1 ORDER BY 1""", params)


def reported_defections(con: Con, filters: Filters) -> pd.DataFrame:
    """Per period: people reported to have defected, events and stories, by the rule above."""
    events, params = _defection_events(con, filters)
    grain = periods.UNIT[filters.grain]
    return _df(con, f"""{events}
        SELECT date_trunc('{grain}', day)::DATE AS period, sum(count)::BIGINT AS defected,
               count(*) AS events, sum(n_stories)::BIGINT AS stories, bool_or(approximate) AS approximate
        FROM ranked WHERE counted GROUP BY 1 ORDER BY 1""", params)


def defections_by(con: Con, filters: Filters, group: str) -> pd.DataFrame:
    """People reported to have defected by rank or by destination (`group`), counted as in
    reported_defections; NULL = not stated."""
    column = DEFECTION_GROUPS[group]
    events, params = _defection_events(con, filters)
    return _df(con, f"""{events}
        SELECT {column} AS value, sum(count)::BIGINT AS defected, count(*) AS events
        FROM ranked WHERE counted GROUP BY 1 ORDER BY defected DESC, value NULLS LAST""", params)


def figure_evidence(con: Con, filters: Filters, kind: str, start: date, end: date) -> pd.DataFrame:
    """The stories behind one period's figure (`kind` 'killed' | 'defected', days start..end):
    each story's figure, whether it is the one counted for its event, and the sentences it
    came from (evidence: field, start, end, text)."""
    if kind == "killed":
        events, params = _killed_events(con, filters)
        cols = ", ".join(KILLED_COLUMNS)
        order = "killed DESC"
    else:
        events, params = _defection_events(con, filters)
        cols = "person, rank, count, destination, from_side, to_side, when_text"
        order = "count DESC"
    return _df(con, f"""{events}
        SELECT article_id, day, title, source, place, {cols}, approximate, counted, n_stories, evidence
        FROM ranked WHERE day BETWEEN ? AND ?
        ORDER BY counted DESC, {order}, day, article_id""", params + [start, end])


# -- data page ----------------------------------------------------------------------------

def ingest_runs(con: Con, limit: int = 200) -> pd.DataFrame:
    return _df(con, """
        SELECT run_id, command, status, started_at, finished_at, seconds, array_to_string(inputs, ', ') AS inputs,
               n_inputs, n_skipped_unchanged, n_read, n_new, n_updated, n_unchanged,
               n_duplicates, n_failed
        FROM ingest_runs ORDER BY run_id DESC LIMIT ?""", [limit])


def ingest_errors(con: Con, limit: int = 1000) -> pd.DataFrame:
    return _df(con, """
        SELECT run_id, input_path, item, error_kind, reason, recorded_at
        FROM ingest_errors ORDER BY recorded_at DESC, run_id DESC, input_path, item LIMIT ?""", [limit])


def counts_by_source(con: Con) -> pd.DataFrame:
    return _df(con, """
        SELECT coalesce(source, '(unknown)') AS source, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(*) FILTER (WHERE published_at IS NULL) AS undated,
               min(published_at)::DATE AS first, max(published_at)::DATE AS last
        FROM articles GROUP BY 1 ORDER BY articles DESC, source""")


def counts_by_format(con: Con) -> pd.DataFrame:
    return _df(con, """
        SELECT input_format, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(DISTINCT input_path) AS input_files
        FROM articles GROUP BY 1 ORDER BY articles DESC, input_format""")


def undated_articles(con: Con, limit: int = 500) -> tuple[int, pd.DataFrame]:
    n = _row(con, "SELECT count(*) FROM articles WHERE published_at IS NULL")[0]
    rows = _df(con, """
        SELECT article_id, title, source, date_source, input_format, input_path
        FROM articles WHERE published_at IS NULL ORDER BY input_path, article_id LIMIT ?""", [limit])
    return n, rows


# -- key dates (table key_dates) ------------------------------------------------------------

def key_dates(con: Con) -> pd.DataFrame:
    """The dated events drawn on time charts: event_date, label, place, topic, in date order.
    Empty for a snapshot written before the table existed."""
    found = _row(con, "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? "
                      "AND schema_name = 'main' AND table_name = 'key_dates'", [SNAPSHOT])[0]
    if not found:
        return pd.DataFrame({"event_date": pd.Series([], dtype="datetime64[ns]"),
                             "label": [], "place": [], "topic": []})
    out = _df(con, "SELECT event_date, label, place, topic FROM key_dates ORDER BY event_date, line_no")
    out["event_date"] = pd.to_datetime(out["event_date"])
    return out


# -- sources over time ------------------------------------------------------------------------

LEADING_SOURCES = 8
GAP_CHANCE = 0.01     # a run of empty periods is a gap when the outlet's own rate gives it less chance


def source_volume(con: Con, filters: Filters, n: int = LEADING_SOURCES) -> pd.DataFrame:
    """The leading outlets' articles per period, zero-filled, with the archive's gaps marked.

    Columns: period, source, n (its articles in the view: every filter), total (n summed over
    the chart, the outlet's rank), n_source (its articles in the archive that period: dates and
    copies only, no content filter), n_archive (every outlet's, the same way), gap.
    Leading outlets: the `n` with most articles in the view (the chosen sources, when any).

    A gap is a hole in the archive, not a quiet news period, so it is judged on the archive,
    whatever the topic, place or keyword filters: a run of periods in which the outlet has no
    article, strictly between its first and last period in range, while other outlets have
    articles, and long enough that the outlet's own rate (its articles over its periods) makes
    so many empty periods in a row unlikely: rate × run length ≥ ln(1 / GAP_CHANCE), the run's
    periods in which no outlet has articles neither counting nor breaking it. Without
    that last rule every empty month of a small outlet would count (a 30-a-year outlet has
    several by chance).
    """
    grain = periods.UNIT[filters.grain]
    view, view_params = where_clause(filters, con=con)
    archive, archive_params = where_clause(Filters(date_from=filters.date_from, date_to=filters.date_to,
                                                   copies=filters.copies))
    bounds = _row(con, f"""SELECT min(a.published_at), max(a.published_at) FROM {VIEW_TABLE} a
                           WHERE {archive} AND a.published_at IS NOT NULL""", archive_params)
    index = periods.index(filters.date_from or bounds[0], filters.date_to or bounds[1], filters.grain)
    out = _df(con, f"""
        WITH base AS (
            SELECT date_trunc('{grain}', a.published_at)::DATE AS period, a.source, ({view}) AS in_view
            FROM {VIEW_TABLE} a
            WHERE {archive} AND a.published_at IS NOT NULL AND a.source IS NOT NULL),
        counts AS (
            SELECT period, source, count(*) FILTER (WHERE in_view) AS n, count(*) AS n_source
            FROM base GROUP BY ALL),
        top_sources AS (
            SELECT source, sum(n)::BIGINT AS total FROM counts GROUP BY source HAVING sum(n) > 0
            ORDER BY total DESC, source LIMIT ?),
        span AS (
            SELECT source, min(period) AS first, max(period) AS last, sum(n_source) AS n_all
            FROM counts GROUP BY source),
        archive AS (SELECT period, sum(n_source)::BIGINT AS n_archive FROM counts GROUP BY period),
        grid AS (
            SELECT p.period, l.source, l.total, coalesce(c.n, 0) AS n,
                   coalesce(c.n_source, 0) AS n_source, coalesce(ar.n_archive, 0) AS n_archive,
                   s.n_all / (date_diff('{grain}', s.first, s.last) + 1) AS rate,
                   coalesce(c.n_source, 0) = 0 AND p.period > s.first AND p.period < s.last AS empty
            FROM (SELECT unnest(?::DATE[]) AS period) p CROSS JOIN top_sources l
            JOIN span s ON s.source = l.source
            LEFT JOIN counts c ON c.period = p.period AND c.source = l.source
            LEFT JOIN archive ar ON ar.period = p.period),
        runs AS (
            SELECT *, row_number() OVER (PARTITION BY source ORDER BY period)
                      - row_number() OVER (PARTITION BY source, empty ORDER BY period) AS run
            FROM grid)
        SELECT period, source, total, n, n_source, n_archive,
               empty AND n_archive > 0
                   AND rate * count(*) FILTER (WHERE n_archive > 0) OVER (PARTITION BY source, empty, run) >= ?
                   AS gap
        FROM runs ORDER BY total DESC, source, period""",
        view_params + archive_params + [n, [d.date() for d in index], math.log(1 / GAP_CHANCE)])
    out["period"] = pd.to_datetime(out["period"])
    return out


# -- what's in this view ----------------------------------------------------------------------

VIEW_TOP = 6          # values per facet in the "What's in this view" panel


def view_top(con: Con, filters: Filters, n: int = VIEW_TOP) -> pd.DataFrame:
    """The leading sources, countries, places (regions and cities) and people of the articles in
    this view (every filter), by articles: columns facet (sources | countries | regions |
    people, the Filters field a click adds to), value, name (display name: the person's, else
    the value), n. One scan; places and countries follow the place role, as the filters do.
    Values already filtered on are left out (choosing them again would change nothing)."""
    where, params = where_clause(filters, con=con)
    role = ROLE_COLUMNS.get(filters.role, "any")
    chosen = {"sources": filters.sources, "countries": filters.countries,
              "regions": filters.regions, "people": filters.people}
    skip = " OR ".join(f"(facet = '{field}' AND list_contains(?::VARCHAR[], value))" for field in chosen)
    return _df(con, f"""
        WITH v AS (SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people FROM {VIEW_TABLE} a WHERE {where}),
        counts AS (
            SELECT 'sources' AS facet, source AS value, count(*) AS n FROM v WHERE source IS NOT NULL GROUP BY ALL
            UNION ALL
            SELECT 'countries', value, count(*) FROM (SELECT unnest(c) AS value FROM v) GROUP BY ALL
            UNION ALL
            SELECT 'regions', value, count(*) FROM (SELECT unnest(r) AS value FROM v) GROUP BY ALL
            UNION ALL
            SELECT 'people', value, count(*) FROM (SELECT unnest(people) AS value FROM v) GROUP BY ALL),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY facet ORDER BY n DESC, value) AS rk
            FROM counts WHERE NOT ({skip}))
        SELECT r.facet, r.value, coalesce(e.name, r.value) AS name, r.n
        FROM ranked r LEFT JOIN {ENTITY_TABLE} e ON r.facet = 'people' AND e.entity_id = r.value
        WHERE r.rk <= ? ORDER BY r.facet, r.n DESC, r.value""",
        params + [list(v) for v in chosen.values()] + [n])
