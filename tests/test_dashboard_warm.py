"""dashboard/warm.py: the warm-up at server start answers every query of the page a bare link
opens, so the first visitor of a just-started server runs none (real sample database, the app
driven by AppTest in this process, where the query cache is the warm-up's), and builds the
figures of that page, so the first visitor builds none."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import figure_cache, timings, warm

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")


def first_visit(monkeypatch) -> tuple[list[str], list[str]]:
    """The queries the database answered (cache misses) and the figures built during a first
    visit of the bare link."""
    asked: list[str] = []
    built: list[str] = []
    real, real_cached = timings.query, figure_cache.cached

    def cached(name, key, build):
        return real_cached(name, key, lambda: built.append(name) or build())
    monkeypatch.setattr(timings, "query", lambda fn, *args: asked.append(fn.__name__) or real(fn, *args))
    monkeypatch.setattr(figure_cache, "cached", cached)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart"), "the Trends page drew no chart"
    monkeypatch.setattr(timings, "query", real)
    monkeypatch.setattr(figure_cache, "cached", real_cached)
    return asked, built


def test_after_the_warm_up_the_first_visit_runs_no_query_and_builds_no_figure(monkeypatch, sample_db):
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(sample_db))
    st.cache_data.clear()
    figure_cache.clear()
    asked, built = first_visit(monkeypatch)
    assert "headline" in asked and "trend" in built      # without it, the visit does both
    st.cache_data.clear()
    figure_cache.clear()
    warm.warm()
    assert first_visit(monkeypatch) == ([], [])


def test_the_warm_up_of_a_missing_database_does_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFLICT_TRENDS_DB", str(tmp_path / "absent.duckdb"))
    warm.warm()
    assert not (tmp_path / "absent.duckdb").exists()


def test_after_the_warm_up_a_full_collection_walks_only_what_came_later():
    import gc
    try:
        warm.keep_out_of_gc()
        assert gc.get_freeze_count() > 50_000       # modules, plotly, pandas, the country shapes
        assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 10
    finally:
        gc.unfreeze()
