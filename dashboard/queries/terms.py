"""Distinctive terms of a view, and what rose in a surge: the headlines they are scored on
(a sample, drawn the same way every time for a snapshot) and the facet values that grew.

The scoring itself is `dashboard.terms` (no SQL)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard import periods, terms
from dashboard.queries.keyword import keyword_terms, snapshot_identity
from dashboard.queries.snapshot import date_bounds
from dashboard.queries.tables import ENTITY_TABLE, ROLE_COLUMNS, VIEW_TABLE, Con, fetch_df, fetch_row
from dashboard.queries.trends import SPIKE_WINDOW
from dashboard.queries.where import where_clause
from dashboard.state import Filters

# Headlines scored per side. A sample, not every headline: the leading terms are the same well
# before this (a term in 1 % of headlines is in ~50 of them), and at a million articles
# tokenising every headline of a broad view would take seconds (docs/figures.md).
SAMPLE = 5_000
_ARCHIVE: dict[tuple, tuple[Counter, int]] = {}     # (snapshot, copies) -> the archive's counts
VIEW_TERMS = 10       # terms in the "What's in this view" panel
SURGE_TERMS = 12      # terms in a surge's explanation
SURGE_DRIVERS = 5     # sources, countries, places, people, languages per facet in a surge's explanation
SURGE_ARTICLES = 6    # representative articles of a surge


def headlines(con: Con, filters: Filters, limit: int = SAMPLE) -> pd.DataFrame:
    """Up to `limit` articles of the view with a headline: article_id, title, published_at,
    source. The sample is ordered by a hash of each article's row number, so it is the same
    for the same snapshot and view, and spread over the whole view rather than its first rows."""
    where, params = where_clause(filters, con=con)
    return fetch_df(con, f"""
        SELECT a.article_id, a.title, a.published_at, a.source FROM {VIEW_TABLE} a
        WHERE {where} AND a.title IS NOT NULL AND a.title <> ''
        ORDER BY hash(a.row_key), a.row_key LIMIT ?""", params + [limit])


def view_terms(con: Con, filters: Filters, n: int = VIEW_TERMS) -> pd.DataFrame:
    """The terms that set this view's headlines apart from the whole archive's (same copies
    rule), the query's own words left out: dashboard.terms.COLUMNS. Empty when the view is
    the whole archive (nothing sets it apart)."""
    archive = Filters(copies=filters.copies)
    if where_clause(filters, con=con) == where_clause(archive, con=con):
        return pd.DataFrame(columns=terms.COLUMNS)
    focus = headlines(con, filters)["title"].tolist()
    return terms.distinctive(focus, archive_counts(con, filters.copies), exclude=keyword_terms(filters.q), n=n)


def archive_counts(con: Con, copies: bool) -> tuple[Counter, int]:
    """The term counts of the archive's headline sample, computed once per snapshot: every
    view is set against them."""
    key = (*snapshot_identity(con), copies)
    if key not in _ARCHIVE:
        if len(_ARCHIVE) >= 4:           # a few snapshots' worth (the app reopens a new one)
            _ARCHIVE.pop(next(iter(_ARCHIVE)))
        _ARCHIVE[key] = terms.document_frequencies(headlines(con, Filters(copies=copies))["title"])
    return _ARCHIVE[key]


@dataclass(frozen=True)
class SurgeWindow:
    """A topic's period and the baseline periods before it, as the surge test reads them."""

    topic_id: str
    start: date             # first day of the period (clipped to the view's date range)
    end: date               # last day
    base_start: date        # first day of the SPIKE_WINDOW periods before it
    base_end: date
    base_periods: int       # how many of those periods hold data (the divisor of "usual")

    def focus(self, filters: Filters) -> Filters:
        return filters.replace(topics=(self.topic_id,), date_from=self.start, date_to=self.end)

    def base(self, filters: Filters) -> Filters:
        return filters.replace(topics=(self.topic_id,), date_from=self.base_start, date_to=self.base_end)


def surge_window(filters: Filters, topic_id: str, period: date, first_day: date | None) -> SurgeWindow:
    """The window of `topic_id`'s period starting at `period` (any day in it will do) under
    the view's grain; `first_day` is the archive's first publication date (baseline periods
    before it hold no data and do not count)."""
    start = periods.start(period, filters.grain).date()
    end = periods.end(start, filters.grain)
    base_start = periods.shift(start, filters.grain, -SPIKE_WINDOW)
    lo = max(start, filters.date_from) if filters.date_from else start
    hi = min(end, filters.date_to) if filters.date_to else end
    counted = [p for p in periods.index(base_start, start - timedelta(days=1), filters.grain)
               if first_day is None or periods.end(p.date(), filters.grain) >= first_day]
    return SurgeWindow(topic_id, lo, max(lo, hi), base_start, start - timedelta(days=1), max(1, len(counted)))


def surge_drivers(con: Con, filters: Filters, window: SurgeWindow, n: int = SURGE_DRIVERS) -> pd.DataFrame:
    """The sources, countries, places, people and languages whose articles on the topic rose most
    in the period over their usual level (their mean per baseline period): columns facet (the
    Filters field a click adds to), value, name, n (in the period), usual, rise (n - usual);
    up to `n` per facet with a rise above 0, largest first."""
    f_where, f_params = where_clause(window.focus(filters), con=con)
    b_where, b_params = where_clause(window.base(filters), con=con)
    role = ROLE_COLUMNS.get(filters.role, "any")

    def counts(rows: str) -> str:
        return f"""
            SELECT 'sources' AS facet, source AS value, count(*) AS n FROM {rows} WHERE source IS NOT NULL GROUP BY ALL
            UNION ALL SELECT 'countries', value, count(*) FROM (SELECT unnest(c) AS value FROM {rows}) GROUP BY ALL
            UNION ALL SELECT 'regions', value, count(*) FROM (SELECT unnest(r) AS value FROM {rows}) GROUP BY ALL
            UNION ALL SELECT 'people', value, count(*) FROM (SELECT unnest(people) AS value FROM {rows}) GROUP BY ALL
            UNION ALL SELECT 'languages', language, count(*) FROM {rows} WHERE language IS NOT NULL GROUP BY ALL"""
    return fetch_df(con, f"""
        WITH f AS (SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people, a.language
                   FROM {VIEW_TABLE} a WHERE {f_where}),
        b AS (SELECT a.source, a.c_{role} AS c, a.r_{role} AS r, a.people, a.language
              FROM {VIEW_TABLE} a WHERE {b_where}),
        fc AS ({counts("f")}),
        bc AS ({counts("b")}),
        joined AS (
            SELECT fc.facet, fc.value, fc.n, coalesce(bc.n, 0) / ? AS usual
            FROM fc LEFT JOIN bc ON fc.facet = bc.facet AND fc.value = bc.value),
        ranked AS (
            SELECT *, n - usual AS rise,
                   row_number() OVER (PARTITION BY facet ORDER BY n - usual DESC, value) AS rk
            FROM joined WHERE n - usual > 0)
        SELECT r.facet, r.value, coalesce(e.name, r.value) AS name, r.n, r.usual, r.rise
        FROM ranked r LEFT JOIN {ENTITY_TABLE} e ON r.facet = 'people' AND e.entity_id = r.value
        WHERE r.rk <= ? ORDER BY r.facet, r.rise DESC, r.value""",
        f_params + b_params + [float(window.base_periods), n])


def surge_terms(con: Con, filters: Filters, window: SurgeWindow,
                n: int = SURGE_TERMS) -> tuple[pd.DataFrame, pd.DataFrame, int, int]:
    """(terms, representative articles, headlines in the period, headlines in the baseline):
    the terms of the period's headlines against the baseline periods' (same topic, same other
    filters), and the period's articles that hold most of them (article_id, title,
    published_at, source). A topic with no headline in its baseline (it is new) is set
    against the whole archive instead; the baseline count is then 0."""
    focus = headlines(con, window.focus(filters))
    base = headlines(con, window.base(filters))
    reference = base["title"].tolist() if len(base) else archive_counts(con, filters.copies)
    found = terms.distinctive(focus["title"].tolist(), reference, exclude=keyword_terms(filters.q), n=n)
    picked = terms.representative(focus["title"].tolist(), found, SURGE_ARTICLES)
    return found, focus.iloc[picked].reset_index(drop=True), len(focus), len(base)


@dataclass(frozen=True)
class SurgeExplained:
    """What rose in one topic's period: its window, distinctive terms, representative
    articles, the facet values that drove it, and how many headlines each side had."""

    window: SurgeWindow
    terms: pd.DataFrame
    articles: pd.DataFrame
    drivers: pd.DataFrame
    n_period: int           # headlines scored in the period (a sample of at most SAMPLE)
    n_base: int             # and in the baseline periods (0: scored against the archive)
    n: int                  # the topic's articles in the period
    usual: float            # its mean per baseline period


def surge_explained(con: Con, filters: Filters, topic_id: str, period: date) -> SurgeExplained:
    """Everything the Trends page shows to explain `topic_id`'s period starting at `period`."""
    first_day = date_bounds(con)[0]
    window = surge_window(filters, topic_id, period, first_day)
    found, articles, n_period, n_base = surge_terms(con, filters, window)
    f_where, f_params = where_clause(window.focus(filters), con=con)
    b_where, b_params = where_clause(window.base(filters), con=con)
    n, n_usual = fetch_row(con, f"""
        SELECT (SELECT count(*) FROM {VIEW_TABLE} a WHERE {f_where}),
               (SELECT count(*) FROM {VIEW_TABLE} a WHERE {b_where})""", f_params + b_params)
    return SurgeExplained(window, found, articles, surge_drivers(con, filters, window), n_period, n_base,
                          int(n), n_usual / window.base_periods)
