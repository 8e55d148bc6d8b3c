"""Every SQL statement the dashboard runs, and nothing else: pages reach these functions
through the typed, cached methods of `db.Reader` (one method per query, same name).

This package is the one place the dashboard's SQL lives; no module outside it builds or runs a
statement. It is split by what the statements serve, so a reviewer reads one folder to know
every statement and every bound value:

    tables      the table names (VIEW_TABLE, ...), bound IN lists, running a statement
    snapshot    opening a snapshot read-only; facts no filter changes (meta, span, key dates)
    keyword     the keyword box: search-index statements, the keyword clause, substring fallback
    where       Filters -> (where_sql, params), the one WHERE clause of every page view
    sidebar     the choices offered in the sidebar, values a shared link names, people's names
    trends      topics per period, surges, the headline
    places      the map's counts per country and per place
    articles    the article table (count, page, ranking, snippets) and the CSV export
    drilldown   one article's detail, keyword spans, topic evidence and URLs for the report
    figures     reported killed and defections
    sources     sources over time with the archive's gaps
    view_panel  "What's in this view"
    terms       distinctive terms of a view (headline samples) and what rose in a surge
    compare     the Compare page: every series per period with its share base, in one scan
    archive     the Data page: ingest runs and errors, counts by source and format, undated
    rollup      broad views (dates, copies, role) counted from the monthly facet_rollup, and
                views of one topic from topic_rollup

Every public name is re-exported here, so callers write `queries.topic_trend(con, filters)`.

Values are always bound parameters; the only identifiers spliced into SQL come from
allow-lists (`tables`, `articles.SORT_SQL`, `figures.DEFECTION_GROUPS`, and `periods.UNIT` for
the grain). Each function takes a read-only DuckDB connection (and most a `Filters`) and
returns plain pandas / Python values, so results can be cached by (snapshot, Filters).

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

Keyword filter: see `keyword` (the statements) and keyword_state.py (the caches and the
registration of matching row keys on a cursor).
"""
from dashboard.queries.archive import counts_by_format, counts_by_source, ingest_errors, ingest_runs, undated_articles
from dashboard.queries.articles import RANKED, SORT_SQL, article_count, articles_page, export_rows, snippets
from dashboard.queries.compare import compare_trend
from dashboard.queries.drilldown import article_detail, article_urls, keyword_highlights, topic_evidence
from dashboard.queries.figures import (DEFECTION_GROUPS, FIGURE_TABLES, KILLED_COLUMNS, defections_by,
                                       figure_evidence, has_figures, reported_defections, reported_killed)
from dashboard.queries.keyword import (KeywordInfo, keyword_clause, keyword_info, keyword_keys, keyword_terms,
                                       row_keys, search_index, snapshot_file, snapshot_identity)
from dashboard.queries.places import country_counts, place_counts
from dashboard.queries.sidebar import OPTION_LIMIT, entity_names, known_values, options
from dashboard.queries.snapshot import OutdatedSnapshot, article_total, connect, cursor, date_bounds, key_dates, meta
from dashboard.queries.sources import GAP_CHANCE, LEADING_SOURCES, source_volume
from dashboard.queries.tables import (ENTITY_TABLE, FACET_TABLES, PLACE_TABLE, ROLE_COLUMNS, SNAPSHOT, VIEW_TABLE,
                                      Con)
from dashboard.queries.terms import SurgeExplained, SurgeWindow, headlines, surge_explained, view_terms
from dashboard.queries.trends import (DEFAULT_TOPIC_LINES, SPIKE_MIN_COUNT, SPIKE_MIN_HISTORY, SPIKE_SIGMAS,
                                      SPIKE_WINDOW, Headline, headline, spikes, topic_trend, trend_and_spikes)
from dashboard.queries.view_panel import VIEW_TOP, view_top
from dashboard.queries.where import where_clause

__all__ = [
    "Con", "SNAPSHOT", "VIEW_TABLE", "PLACE_TABLE", "ENTITY_TABLE", "FACET_TABLES", "ROLE_COLUMNS",
    "connect", "cursor", "OutdatedSnapshot", "meta", "article_total", "date_bounds", "key_dates",
    "KeywordInfo", "keyword_terms", "snapshot_file", "snapshot_identity", "search_index", "row_keys", "keyword_keys",
    "keyword_info", "keyword_clause", "where_clause",
    "OPTION_LIMIT", "options", "known_values", "entity_names",
    "DEFAULT_TOPIC_LINES", "SPIKE_WINDOW", "SPIKE_MIN_HISTORY", "SPIKE_MIN_COUNT", "SPIKE_SIGMAS", "Headline",
    "topic_trend", "spikes", "trend_and_spikes", "headline",
    "country_counts", "place_counts",
    "SORT_SQL", "RANKED", "article_count", "articles_page", "snippets", "export_rows",
    "keyword_highlights", "article_detail", "topic_evidence", "article_urls",
    "FIGURE_TABLES", "KILLED_COLUMNS", "DEFECTION_GROUPS", "has_figures", "reported_killed",
    "reported_defections", "defections_by", "figure_evidence",
    "ingest_runs", "ingest_errors", "counts_by_source", "counts_by_format", "undated_articles",
    "LEADING_SOURCES", "GAP_CHANCE", "source_volume",
    "VIEW_TOP", "view_top",
    "compare_trend",
    "SurgeExplained", "SurgeWindow", "headlines", "view_terms", "surge_explained",
]
