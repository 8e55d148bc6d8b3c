"""dashboard/figure_cache.py: a figure is built once per view key and reused; another view,
another snapshot or another title builds anew; the least recently used keys are dropped."""
from __future__ import annotations

from datetime import date

from dashboard import figure_cache
from dashboard.state import Filters


def builder(log: list):
    def build():
        log.append(1)
        return object()
    return build


def test_the_same_view_reuses_the_figure_and_fields_no_chart_reads_do_not_matter():
    figure_cache.clear()
    built: list = []
    view = Filters(countries=("SY",), grain="week")
    first = figure_cache.cached("trend", ("snap", figure_cache.view_key(view), "title"), builder(built))
    moved = view.replace(page="articles", article="a1", table_page=3, tab="table", sort="oldest")
    again = figure_cache.cached("trend", ("snap", figure_cache.view_key(moved), "title"), builder(built))
    assert again is first and len(built) == 1


def test_another_view_snapshot_title_or_chart_builds_anew():
    figure_cache.clear()
    built: list = []
    view = Filters(countries=("SY",))
    base = ("snap", figure_cache.view_key(view), "title")
    figure_cache.cached("trend", base, builder(built))
    others = [("trend", ("snap", figure_cache.view_key(view.replace(date_from=date(2013, 1, 1))), "title")),
              ("trend", ("snap", figure_cache.view_key(view.replace(grain="day")), "title")),
              ("trend", ("snap", figure_cache.view_key(view.replace(key_dates=False)), "title")),
              ("trend", ("other snapshot", figure_cache.view_key(view), "title")),
              ("trend", ("snap", figure_cache.view_key(view), "another title")),
              ("sources", base)]
    for name, key in others:
        figure_cache.cached(name, key, builder(built))
    assert len(built) == 1 + len(others)


def test_the_least_recently_used_keys_are_dropped():
    figure_cache.clear()
    built: list = []
    keep = ("snap", "kept")
    figure_cache.cached("map", keep, builder(built))
    for i in range(figure_cache.MAX_FIGURES + 5):
        figure_cache.cached("map", ("snap", i), builder(built))
        figure_cache.cached("map", keep, builder(built))      # used again: stays
    assert len(built) == 1 + figure_cache.MAX_FIGURES + 5
    figure_cache.cached("map", ("snap", 0), builder(built))   # long unused: dropped, built again
    assert len(built) == 2 + figure_cache.MAX_FIGURES + 5
