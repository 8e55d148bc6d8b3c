"""Every SQL statement the dashboard runs, and nothing else: pages and charts call these functions.

Values are always bound parameters; the only identifiers spliced into SQL come from the
allow-lists below. Each function takes a read-only DuckDB connection and a `Filters` and
returns plain pandas / Python values, so results can be cached by (snapshot, Filters).

Counting rule: unless `filters.copies` is set, only one article per duplicate cluster is counted
(`articles.is_primary`), so a syndicated story counts once.

Speed: joining the side tables on a VARCHAR `article_id` costs ~250 ms per join at 1 M
articles, too slow for a page view. So `connect(path)` opens the snapshot read-only (ATTACHed
to an in-memory database the dashboard owns) and builds one derived table, `VIEW_TABLE`: one
row per article with the columns filters and charts need, and per-article lists of topics,
countries and places by role, and people. Every page-view query is then a single scan of that
table with list functions and no join; only the keyword filter and exports go back to the
contract tables. The table is rebuilt for every new snapshot (about 3 s per million articles),
never written to the database file. `page_view_queries` names the queries one page view runs
so that bench/ can time each.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import duckdb
import pandas as pd

from dashboard.state import Filters

# identifier allow-lists: the only strings spliced into SQL text
GRAIN_SQL = {"day": "day", "week": "week", "month": "month"}
GRAIN_FREQ = {"day": "D", "week": "W-MON", "month": "MS"}
ROLE_SQL = {"dateline": "dateline", "mentioned": "mentioned"}
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
VIEW_TABLE = "memory.main.dash_articles"    # derived per snapshot, see the module docstring
PLACE_TABLE = "memory.main.dash_places"     # one row per region/city place_id with coordinates
ENTITY_TABLE = "memory.main.dash_entities"  # entity_id -> display name and kind
ROLE_COLUMNS = {"any": "any", "dateline": "dl", "mentioned": "mn"}


# -- opening a snapshot -------------------------------------------------------------------

def connect(path: str) -> duckdb.DuckDBPyConnection:
    """Open the snapshot at `path` read-only and build the derived tables the queries use.

    The file is ATTACHed READ_ONLY (a shared lock, never a writer's) to an in-memory database,
    which holds the derived tables. Use `cursor(con)` for each thread.
    """
    con = duckdb.connect(":memory:")
    con.execute(f"ATTACH ? AS {SNAPSHOT} (READ_ONLY)", [str(path)])
    con.execute(f"USE {SNAPSHOT}")
    build_view_tables(con)
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A per-thread cursor on a `connect()`ed snapshot, reading the contract tables by name."""
    cur = con.cursor()
    cur.execute(f"USE {SNAPSHOT}")
    return cur


def build_view_tables(con) -> None:
    """Derive VIEW_TABLE, PLACE_TABLE and ENTITY_TABLE from the contract tables.

    Relies on the schema's uniqueness rules: one article_topics row per (article, topic), one
    article_entities row per (article, entity), and place roles 'dateline' | 'mentioned'.
    """
    con.execute("SET enable_progress_bar = false")
    con.execute(f"""
        CREATE OR REPLACE TABLE {PLACE_TABLE} AS
        SELECT place_id, any_value(name) AS name, any_value(kind) AS kind,
               any_value(country_code) AS country_code, any_value(region) AS region,
               avg(lat) AS lat, avg(lon) AS lon
        FROM article_places
        WHERE kind IN ('region', 'city') AND lat IS NOT NULL AND lon IS NOT NULL
        GROUP BY place_id""")
    con.execute(f"""
        CREATE OR REPLACE TABLE {ENTITY_TABLE} AS
        SELECT entity_id, any_value(name) AS name, any_value(kind) AS kind
        FROM article_entities GROUP BY entity_id""")
    by_role = """
        SELECT article_id, list(country_code) AS c,
               list(name) FILTER (WHERE kind IN ('region', 'city')) AS n,
               list(region) FILTER (WHERE kind IN ('region', 'city') AND region IS NOT NULL) AS r,
               list(place_id) FILTER (WHERE kind IN ('region', 'city') AND lat IS NOT NULL
                                      AND lon IS NOT NULL) AS p
        FROM article_places WHERE role = '{role}' GROUP BY article_id"""

    def merged(*lists: str) -> str:
        expr = "[]"
        for item in lists:
            expr = f"list_concat({expr}, coalesce({item}, []))"
        return f"list_distinct({expr})"

    primary_country = "CASE WHEN a.primary_country IS NULL THEN [] ELSE [a.primary_country] END"
    primary_region = "CASE WHEN a.primary_region IS NULL THEN [] ELSE [a.primary_region] END"
    con.execute(f"""
        CREATE OR REPLACE TABLE {VIEW_TABLE} AS
        WITH tp AS (SELECT article_id, list(topic_id) AS topics FROM article_topics GROUP BY 1),
        en AS (SELECT article_id, list(entity_id) AS people FROM article_entities GROUP BY 1),
        dl AS ({by_role.format(role="dateline")}),
        mn AS ({by_role.format(role="mentioned")})
        SELECT a.article_id, a.published_at, a.date_precision, a.is_primary, a.source, a.title,
               a.primary_country, a.primary_region, a.dateline_place,
               coalesce(tp.topics, []) AS topics,
               {merged("dl.c", "mn.c", primary_country)} AS c_any,
               {merged("dl.c")} AS c_dl,
               {merged("mn.c")} AS c_mn,
               {merged("dl.n", "dl.r", "mn.n", "mn.r", primary_region)} AS r_any,
               {merged("dl.n", "dl.r")} AS r_dl,
               {merged("mn.n", "mn.r")} AS r_mn,
               {merged("dl.p", "mn.p")} AS p_any,
               {merged("dl.p")} AS p_dl,
               {merged("mn.p")} AS p_mn,
               coalesce(en.people, []) AS people
        FROM articles a
        LEFT JOIN tp USING (article_id) LEFT JOIN en USING (article_id)
        LEFT JOIN dl USING (article_id) LEFT JOIN mn USING (article_id)
        ORDER BY a.published_at NULLS LAST""")


# -- the WHERE clause ---------------------------------------------------------------------

def _in(column: str, values) -> tuple[str, list]:
    values = list(values)
    return f"{column} IN ({', '.join('?' * len(values))})", values


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def keyword_terms(q: str) -> list[str]:
    """Split a keyword query into terms; "double quoted phrases" stay one term."""
    terms, buf, quoted = [], [], False
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


def keyword_clause(filters: Filters) -> tuple[str, list]:
    """The ONE place keyword filtering is decided: `(sql, params)` over alias `a`, a table with
    an `article_id` column.

    Every term must match the title, caption or body (case-insensitive substring). The search
    module can replace this with an index-backed `a.article_id IN (...)` without touching callers.
    """
    terms = keyword_terms(filters.q)
    if not terms:
        return "", []
    parts, params = [], []
    for term in terms:
        pattern = f"%{_escape_like(term)}%"
        parts.append("(k.title ILIKE ? ESCAPE '\\' OR k.caption ILIKE ? ESCAPE '\\' "
                     "OR k.body ILIKE ? ESCAPE '\\')")
        params += [pattern, pattern, pattern]
    return f"a.article_id IN (SELECT k.article_id FROM articles k WHERE {' AND '.join(parts)})", params


def _any_of(column: str, values) -> tuple[str, list]:
    values = list(values)
    return f"list_has_any({column}, [{', '.join('?' * len(values))}])", values


def where_clause(filters: Filters, *, topics: bool = True, dates: bool = True) -> tuple[str, list]:
    """`(sql, params)` selecting the rows of VIEW_TABLE (alias `a`) this view covers.

    `topics=False` drops the topic restriction (the share denominator, per-topic trends);
    `dates=False` drops the date range (the headline's previous period).
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
    kw_sql, kw_params = keyword_clause(filters)
    if kw_sql:
        clauses.append(kw_sql)
        params += kw_params
    return (" AND ".join(clauses) or "TRUE"), params


def _df(con, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


# -- snapshot facts -----------------------------------------------------------------------

def meta(con) -> dict[str, str]:
    """The `meta` key/value table (schema_version, snapshot_id, sample, ...)."""
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def article_total(con) -> int:
    """All rows in `articles`, whatever the filters: 0 means nothing has been loaded yet."""
    return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def date_bounds(con) -> tuple:
    """(first, last) publication date in the whole snapshot, as dates (None when empty)."""
    return tuple(con.execute("SELECT min(published_at)::DATE, max(published_at)::DATE FROM articles").fetchone())


# -- sidebar options ----------------------------------------------------------------------

def options(con, filters: Filters) -> dict:
    """Values offered in the sidebar, each with its article count within the date range.

    Counts honour only the date range and the copies toggle (not the other facets), so a choice
    never disappears because another one was made; cache them on that smaller key.
    """
    scope = Filters(date_from=filters.date_from, date_to=filters.date_to, copies=filters.copies)
    where, params = where_clause(scope)
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


def entity_names(con, entity_ids) -> dict[str, str]:
    """entity_id -> display name for the given ids (those selected but not among the top options)."""
    if not entity_ids:
        return {}
    sql, vals = _in("entity_id", entity_ids)
    return dict(con.execute(f"SELECT entity_id, name FROM {ENTITY_TABLE} WHERE {sql}", vals).fetchall())


# -- trends -------------------------------------------------------------------------------

def _period_counts(con, filters: Filters, *, extra_history: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per period: articles per topic (all topics) and all articles, under every filter but topics.

    One scan of the filtered articles feeds both, so the share metric's denominator is exact.
    """
    grain = GRAIN_SQL[filters.grain]
    scope = filters
    if extra_history and filters.date_from:
        scope = filters.replace(date_from=_shift(filters.date_from, filters.grain, -extra_history))
    where, params = where_clause(scope, topics=False)
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


def _shift(d: date, grain: str, periods: int) -> date:
    if grain == "day":
        return d + timedelta(days=periods)
    if grain == "week":
        return d + timedelta(weeks=periods)
    month = d.year * 12 + d.month - 1 + periods
    return date(month // 12, month % 12 + 1, 1)


def _period_start(d, grain: str) -> pd.Timestamp:
    """The first day of the period containing `d`, as DuckDB's date_trunc computes it."""
    ts = pd.Timestamp(d).normalize()
    if grain == "week":
        return ts - pd.Timedelta(days=ts.weekday())
    if grain == "month":
        return ts.replace(day=1)
    return ts


def _period_index(filters: Filters, totals: pd.DataFrame, start: date | None = None) -> pd.DatetimeIndex:
    freq = GRAIN_FREQ[filters.grain]
    lo = start or filters.date_from or (totals["period"].min() if len(totals) else None)
    hi = filters.date_to or (totals["period"].max() if len(totals) else None)
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return pd.DatetimeIndex([], name="period")
    lo = _period_start(lo, filters.grain)
    return pd.date_range(lo, pd.Timestamp(hi), freq=freq, name="period")


def _grid(counts: pd.DataFrame, totals: pd.DataFrame, index: pd.DatetimeIndex,
          topic_ids: list[str]) -> pd.DataFrame:
    """Zero-filled (period x topic) table with counts and period totals."""
    wide = (counts.pivot_table(index="period", columns="topic_id", values="n", aggfunc="sum")
            .reindex(index=index, columns=topic_ids).fillna(0).astype("int64"))
    long = wide.stack(future_stack=True).rename("n").reset_index()
    total = totals.set_index("period")["total"].reindex(index).fillna(0).astype("int64")
    long["total"] = long["period"].map(total).fillna(0).astype("int64")
    return long


def topic_trend(con, filters: Filters) -> pd.DataFrame:
    """One row per (period, topic) for the topics on the chart, zero-filled.

    Columns: period, topic_id, n (articles tagged), total (all articles matching the other
    filters), value (n, or 100·n/total for the share metric), smoothed (rolling mean of value
    over `filters.smooth` periods; equal to value when smoothing is off).
    Lines: the selected topics, else the DEFAULT_TOPIC_LINES most frequent in range.
    """
    counts, totals = _period_counts(con, filters)
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


def spikes(con, filters: Filters) -> pd.DataFrame:
    """Periods where a topic surged: count above mean + 2·sd of the previous 8 periods.

    A spike also needs at least SPIKE_MIN_COUNT articles and SPIKE_MIN_HISTORY earlier periods.
    Covers every topic (selected or not) under the other filters; the baseline may reach back
    before the date range. Columns: topic_id, period, n, baseline, ratio (n / baseline),
    sorted by ratio, largest first.
    """
    counts, totals = _period_counts(con, filters, extra_history=SPIKE_WINDOW)
    start = _shift(filters.date_from, filters.grain, -SPIKE_WINDOW) if filters.date_from else None
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
        hit &= grid["period"] >= _period_start(filters.date_from, filters.grain)
    out = grid[hit].copy()
    out["ratio"] = out["n"] / out["baseline"].clip(lower=1.0)
    return out[cols].sort_values(["ratio", "period"], ascending=[False, True]).reset_index(drop=True)


def headline(con, filters: Filters) -> dict:
    """Articles in range, the previous period of equal length, and the change between them.

    Without a date range the range is the data's own first to last date, undated articles are
    counted too, and there is no previous period.
    """
    where, params = where_clause(filters, dates=False)
    lo, hi = filters.date_from, filters.date_to
    has_prev = bool(lo and hi)
    if has_prev:
        length = (hi - lo).days + 1
        prev_lo, prev_hi = lo - timedelta(days=length), lo - timedelta(days=1)
        n, prev_n, sources = con.execute(f"""
            SELECT count(*) FILTER (WHERE a.published_at >= ?),
                   count(*) FILTER (WHERE a.published_at < ?),
                   count(DISTINCT a.source) FILTER (WHERE a.published_at >= ?)
            FROM {VIEW_TABLE} a WHERE {where} AND a.published_at >= ? AND a.published_at < ?""",
            [lo, lo, lo] + params + [prev_lo, hi + timedelta(days=1)]).fetchone()
        change = 100.0 * (n - prev_n) / prev_n if prev_n else None
        return {"n": n, "prev_n": prev_n, "change_pct": change, "sources": sources,
                "date_from": lo, "date_to": hi, "prev_from": prev_lo, "prev_to": prev_hi}
    range_sql, range_params = where_clause(filters)
    n, sources, dmin, dmax = con.execute(f"""
        SELECT count(*), count(DISTINCT a.source), min(a.published_at)::DATE, max(a.published_at)::DATE
        FROM {VIEW_TABLE} a WHERE {range_sql}""", range_params).fetchone()
    return {"n": n, "prev_n": None, "change_pct": None, "sources": sources,
            "date_from": lo or dmin, "date_to": hi or dmax, "prev_from": None, "prev_to": None}


# -- map ----------------------------------------------------------------------------------

def country_counts(con, filters: Filters) -> pd.DataFrame:
    """Filtered articles per country (code, n) by place role: dateline, mentioned, or any
    (the story's primary country or any place in it)."""
    where, params = where_clause(filters)
    column = f"a.c_{ROLE_COLUMNS.get(filters.role, 'any')}"
    return _df(con, f"""
        SELECT code, count(*) AS n
        FROM (SELECT unnest({column}) AS code FROM {VIEW_TABLE} a WHERE {where})
        GROUP BY code ORDER BY n DESC, code""", params)


def place_counts(con, filters: Filters) -> pd.DataFrame:
    """Regions and cities of the filtered articles with coordinates and article counts."""
    where, params = where_clause(filters)
    column = f"a.p_{ROLE_COLUMNS.get(filters.role, 'any')}"
    return _df(con, f"""
        SELECT g.place_id, g.name, g.kind, g.country_code, g.region, g.lat, g.lon, c.n
        FROM (SELECT place_id, count(*) AS n
              FROM (SELECT unnest({column}) AS place_id FROM {VIEW_TABLE} a WHERE {where})
              GROUP BY place_id ORDER BY n DESC, place_id LIMIT 500) c
        JOIN {PLACE_TABLE} g USING (place_id)
        ORDER BY c.n DESC, g.name""", params)


# -- articles -----------------------------------------------------------------------------

def article_count(con, filters: Filters) -> int:
    where, params = where_clause(filters)
    return con.execute(f"SELECT count(*) FROM {VIEW_TABLE} a WHERE {where}", params).fetchone()[0]


def articles_page(con, filters: Filters, limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """One page of the article table in `filters.sort` order, topics listed per row."""
    where, params = where_clause(filters)
    order = SORT_SQL.get(filters.sort, SORT_SQL["newest"])
    return _df(con, f"""
        SELECT a.article_id, a.published_at, a.date_precision, a.title, a.source,
               coalesce(a.dateline_place, a.primary_region) AS place,
               a.primary_country AS country, a.is_primary, a.topics
        FROM {VIEW_TABLE} a WHERE {where}
        ORDER BY {order} LIMIT ? OFFSET ?""", params + [int(limit), int(offset)])


def article_detail(con, article_id: str) -> dict | None:
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


def export_rows(con, filters: Filters) -> pd.DataFrame:
    """Every filtered article (no paging) with its topics, places and people, for CSV export."""
    where, params = where_clause(filters)
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


# -- data page ----------------------------------------------------------------------------

def ingest_runs(con, limit: int = 200) -> pd.DataFrame:
    return _df(con, """
        SELECT run_id, command, status, started_at, finished_at, seconds, array_to_string(inputs, ', ') AS inputs,
               n_inputs, n_skipped_unchanged, n_read, n_new, n_updated, n_unchanged,
               n_duplicates, n_failed
        FROM ingest_runs ORDER BY run_id DESC LIMIT ?""", [limit])


def ingest_errors(con, limit: int = 1000) -> pd.DataFrame:
    return _df(con, """
        SELECT run_id, input_path, item, error_kind, reason, recorded_at
        FROM ingest_errors ORDER BY recorded_at DESC, run_id DESC, input_path, item LIMIT ?""", [limit])


def counts_by_source(con) -> pd.DataFrame:
    return _df(con, """
        SELECT coalesce(source, '(unknown)') AS source, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(*) FILTER (WHERE published_at IS NULL) AS undated,
               min(published_at)::DATE AS first, max(published_at)::DATE AS last
        FROM articles GROUP BY 1 ORDER BY articles DESC, source""")


def counts_by_format(con) -> pd.DataFrame:
    return _df(con, """
        SELECT input_format, count(*) AS articles,
               count(*) FILTER (WHERE is_primary) AS unique_stories,
               count(DISTINCT input_path) AS input_files
        FROM articles GROUP BY 1 ORDER BY articles DESC, input_format""")


def undated_articles(con, limit: int = 500) -> tuple[int, pd.DataFrame]:
    n = con.execute("SELECT count(*) FROM articles WHERE published_at IS NULL").fetchone()[0]
    rows = _df(con, """
        SELECT article_id, title, source, date_source, input_format, input_path
        FROM articles WHERE published_at IS NULL ORDER BY input_path, article_id LIMIT ?""", [limit])
    return n, rows


# -- for bench/ ---------------------------------------------------------------------------

def page_view_queries(con, filters: Filters) -> dict[str, Callable[[], object]]:
    """The queries each page view runs, by name, as zero-argument callables (for bench/).

    Every name is '<page>.<query>'; the sidebar's `options` runs on every page. `con` must come
    from `connect(path)` (or `cursor()` of one), which builds the derived table they read.
    """
    views: dict[str, Callable[[], object]] = {
        "sidebar.options": lambda: options(con, filters),
        "trends.headline": lambda: headline(con, filters),
        "trends.topic_trend": lambda: topic_trend(con, filters),
        "trends.spikes": lambda: spikes(con, filters),
        "map.country_counts": lambda: country_counts(con, filters),
        "map.place_counts": lambda: place_counts(con, filters),
        "articles.article_count": lambda: article_count(con, filters),
        "articles.articles_page": lambda: articles_page(con, filters),
    }
    if filters.article:
        views["articles.article_detail"] = lambda: article_detail(con, filters.article)
    return views
