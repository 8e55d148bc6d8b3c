"""The Compare page's statement (compare_trend): every series' articles per period, and each series' share
base, from one scan of the view table over the date range.

Each series' WHERE clause comes from `queries.where_clause` (the same rules as every other
chart: place roles, copies, the keyword through the search index), split in two: the base (the
series' filters without keyword and topics: the share's denominator) and what the series counts
on top of it (its topics and keyword). Both become `count(*) FILTER (WHERE …)` columns of one
GROUP BY, so three series cost one pass over the range rather than three. Values are bound;
the only identifiers spliced in are the grain unit (periods.UNIT) and column names made here.

Languages are not in the view table (article_facets). Joining `articles` on the VARCHAR
article_id for every statement costs seconds at a million articles, so once per snapshot (on
the first series that names a language) `_language_map` reads every row's language into a
numpy array indexed by row_key (dense 1..n, schema.sql). A series' languages then become the
matching row keys, or the others when those are fewer, registered on the cursor as an Arrow
table and tested on the integer key, as the keyword's matches are: `a.row_key IN (…)` or
`a.row_key NOT IN (…)`, nothing at all when every article matches.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import keyword_state, periods
from dashboard.compare import Series
from dashboard.queries.keyword import keyword_clause
from dashboard.queries.tables import VIEW_TABLE, Con, fetch_df
from dashboard.queries.where import _any_of, where_clause
from dashboard.state import Filters


def compare_trend(con: Con, view: Filters, series: tuple[Series, ...]) -> pd.DataFrame:
    """One row per (period, series), zero-filled over the view's periods.

    Columns: period, series (its position), n (the series' articles), total (its base: articles
    matching its filters without keyword and topics), value (n, or 100·n/total for the share
    metric), smoothed (rolling mean of value over `view.smooth` periods; = value when off).
    """
    cols = ["period", "series", "n", "total", "value", "smoothed"]
    if not series:
        return pd.DataFrame(columns=cols)
    grain = periods.UNIT[view.grain]
    # series with the same base share one total column
    base_cols: dict[str, tuple[int, list]] = {}
    counts, count_params, totals_of = [], [], []
    for i, s in enumerate(series):
        f = s.filters(view)
        base, b_params = where_clause(f.replace(q="", topics=()), dates=False)
        if s.languages:
            base = f"{base} AND {_language_clause(con, s.languages)}"
        key = base + "\0" + repr(b_params)
        if key not in base_cols:
            base_cols[key] = (len(base_cols), b_params)
            counts.append(f"count(*) FILTER (WHERE {base}) AS total_{base_cols[key][0]}")
            count_params += b_params
        totals_of.append(base_cols[key][0])
        what, w_params = [f"({base})"], list(b_params)
        if f.topics:
            sql, vals = _any_of("a.topics", f.topics)
            what.append(sql)
            w_params += vals
        kw_sql, kw_params = keyword_clause(f, con)
        if kw_sql:
            what.append(kw_sql)
            w_params += kw_params
        counts.append(f"count(*) FILTER (WHERE {' AND '.join(what)}) AS n_{i}")
        count_params += w_params
    dates, date_params = where_clause(Filters(date_from=view.date_from, date_to=view.date_to, copies=True))
    # no "base 1 OR base 2 …" in the WHERE: it would evaluate every list filter once more per
    # row, which costs more than the rows it saves from the aggregate
    wide = fetch_df(con, f"""
        SELECT date_trunc('{grain}', a.published_at)::DATE AS period, {', '.join(counts)}
        FROM {VIEW_TABLE} a
        WHERE {dates} AND a.published_at IS NOT NULL
        GROUP BY 1 ORDER BY 1""", count_params + date_params)
    wide["period"] = pd.to_datetime(wide["period"])
    lo = view.date_from or (wide["period"].min() if len(wide) else None)
    hi = view.date_to or (wide["period"].max() if len(wide) else None)
    index = periods.index(lo, hi, view.grain)
    wide = wide.set_index("period").reindex(index).fillna(0)
    parts = []
    for i in range(len(series)):
        part = pd.DataFrame({"period": index, "series": i,
                             "n": wide[f"n_{i}"].astype("int64").to_numpy(),
                             "total": wide[f"total_{totals_of[i]}"].astype("int64").to_numpy()})
        if view.metric == "share":
            part["value"] = (100.0 * part["n"] / part["total"].where(part["total"] > 0)).fillna(0.0)
        else:
            part["value"] = part["n"].astype("float64")
        part["smoothed"] = (part["value"].rolling(view.smooth, min_periods=1).mean()
                            if view.smooth > 1 else part["value"])
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[cols]


def languages(con: Con) -> pd.DataFrame:
    """The snapshot's article languages (`articles.language`, ISO 639-1) with their articles,
    most first: what the Compare page offers and splits "by language"."""
    return fetch_df(con, """SELECT language, count(*) AS n FROM articles WHERE language IS NOT NULL
                            GROUP BY 1 ORDER BY n DESC, language""")


# -- languages: a per-snapshot map from row_key to language ------------------------------------

LANGUAGE_SNAPSHOTS = 2        # snapshots whose maps are kept (normally one or two are open)


class _LanguageMaps:
    """Per snapshot: (language codes, int16 array row_key -> index into the codes, -1 = none).
    2 bytes per article; built by one join of the view table with `articles`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._maps: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()

    def get(self, con: Con) -> tuple[str, list[str], np.ndarray]:
        key = _snapshot_key(con)
        with self._lock:          # held while building: two threads never build the same map
            found = self._maps.get(key)
            if found is None:
                found = _build_language_map(con)
                self._maps[key] = found
                while len(self._maps) > LANGUAGE_SNAPSHOTS:
                    self._maps.popitem(last=False)
            self._maps.move_to_end(key)
            return (key, *found)


_LANGUAGES = _LanguageMaps()


def _snapshot_key(con: Con) -> str:
    facts = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('snapshot_id', 'created_at')").fetchall())
    file = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return "\0".join((str(file[0][0] if file else ""), facts.get("snapshot_id", ""), facts.get("created_at", "")))


def _build_language_map(con: Con) -> tuple[list[str], np.ndarray]:
    rows = con.execute(f"""SELECT f.row_key, l.language FROM {VIEW_TABLE} f
                           JOIN articles l ON l.article_id = f.article_id WHERE l.language IS NOT NULL""").fetchnumpy()
    n = con.execute(f"SELECT coalesce(max(row_key), 0) FROM {VIEW_TABLE}").fetchone()
    codes, index = np.unique(np.asarray(rows["language"], dtype=object).astype(str), return_inverse=True)
    out: np.ndarray = np.full(int(n[0] if n else 0) + 1, -1, np.int16)
    out[np.asarray(rows["row_key"], np.int64)] = index.astype(np.int16)
    return [str(c) for c in codes], out


def _language_clause(con: Con, languages: tuple[str, ...]) -> str:
    """SQL over alias `a` keeping the rows in one of `languages`: their row keys (or the other
    rows', when fewer) registered on `con` under a digest name, never user text."""
    key, codes, by_row = _LANGUAGES.get(con)
    wanted = [codes.index(c) for c in languages if c in codes]
    hit = np.isin(by_row, np.asarray(wanted, np.int16)) if wanted else np.zeros(len(by_row), bool)
    hit[0] = False                            # row keys start at 1
    inside = np.flatnonzero(hit)
    outside = np.flatnonzero(~hit)[1:]        # without the unused slot 0
    keep = len(inside) <= len(outside)
    keys = inside if keep else outside
    if not keep and len(keys) == 0:
        return "TRUE"                         # every article is in these languages
    name = "lang_" + hashlib.sha1(f"{key}\0{'|'.join(sorted(languages))}\0{keep}".encode()).hexdigest()[:16]
    keyword_state.register(con, name, pa.table({"row_key": pa.array(keys.astype(np.int32))}))
    return f"a.row_key {'IN' if keep else 'NOT IN'} (SELECT row_key FROM {name})"
