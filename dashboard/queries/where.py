"""The WHERE clause: a `Filters` turned into `(sql, params)` over VIEW_TABLE, in one place."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from dashboard.queries.keyword import keyword_clause
from dashboard.queries.tables import ROLE_COLUMNS, Con, in_list
from dashboard.state import Filters


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
    Languages match the article's one language (`language`, NULL when unknown: such an article
    is in no language filter). Countries and places match by `filters.role`: any (the story's main country/region or any
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
        sql, vals = in_list("a.source", values) if column is None else _any_of(column, values)
        clauses.append(sql)
        params += vals
    if filters.languages:
        sql, vals = in_list("a.language", filters.languages)
        clauses.append(sql)
        params += vals
    kw_sql, kw_params = keyword_clause(filters, con)
    if kw_sql:
        clauses.append(kw_sql)
        params += kw_params
    return (" AND ".join(clauses) or "TRUE"), params
