"""bench/replicate.py: a database N times another's size for timing page-view queries. Each
article is there N times under new ids, so every count of every view is N times the source's,
and the dashboard opens the copy as it opens any snapshot."""
from __future__ import annotations

from bench.replicate import replicate
from dashboard import queries
from dashboard.state import Filters


def test_a_three_times_copy_counts_three_times_every_view(sample_db, tmp_path):
    out = tmp_path / "x3.duckdb"
    replicate(sample_db, out, 3)
    big, small = queries.connect(str(out)), queries.connect(str(sample_db))
    try:
        for f in (Filters(), Filters(topics=("defection",)), Filters(countries=("SY",), copies=True)):
            assert queries.article_count(big, f) == 3 * queries.article_count(small, f)
            trend_big, trend_small = queries.topic_trend(big, f), queries.topic_trend(small, f)
            assert (trend_big["n"].to_numpy() == 3 * trend_small["n"].to_numpy()).all()
        assert queries.date_bounds(big) == queries.date_bounds(small)
        assert queries.search_index(big) is None          # no text, so no index is named
        page = queries.articles_page(big, Filters(), 6, 0)
        assert page["article_id"].is_unique and len(page) == 6
        rows = big.execute("SELECT count(*), count(DISTINCT row_key), max(row_key) FROM memory.main.dash_articles").fetchone()
        assert rows[0] == rows[1] == rows[2]
        rollup = "SELECT month, is_primary, facet, value, n FROM snap.main.facet_rollup ORDER BY ALL"
        assert big.execute(rollup).fetchall() == [(*r[:4], 3 * r[4]) for r in small.execute(rollup).fetchall()]
        # the topic rollup too (schema 8): without it a one-topic view of the copy would scan,
        # and a copy made a version-8 file by its meta would never get it
        rollup = "SELECT month, is_primary, topic, facet, value, n FROM snap.main.topic_rollup ORDER BY ALL"
        assert big.execute(rollup).fetchall() == [(*r[:5], 3 * r[5]) for r in small.execute(rollup).fetchall()]
    finally:
        big.close()
        small.close()
