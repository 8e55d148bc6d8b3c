"""Warm-up at server start (`python -m dashboard`), before the first visitor: open the current
snapshot (its DuckDB connection, search index and row-key map), import what the pages draw
with, and answer the queries of the page a bare link opens (Trends, no filters) into the query
cache. The first page of a just-started server then costs what any later visit costs.

It runs in a background thread, so the server answers at once; a visitor who arrives while it
is still running waits for the same queries instead of running them twice (Streamlit's cache
computes each key once). Nothing here is required: on any error the page simply does the work
itself, as it would without the warm-up.
"""
from __future__ import annotations

import gc
import logging
import threading
import time

from dashboard import timings
from dashboard.state import Filters

LOG = logging.getLogger(__name__)
RUNTIME_WAIT = 30.0      # seconds to wait for Streamlit's runtime before warming anyway


def warm() -> None:
    """Open the snapshot and run the default view's queries (see the module docstring)."""
    from dashboard import db
    snap = db.snapshot()
    if snap is None:
        return
    reader = db.Reader(snap)
    if reader.article_total() == 0:
        return
    reader.meta()
    reader.date_bounds()
    view = Filters()
    reader.options(Filters(date_from=view.date_from, date_to=view.date_to, copies=view.copies))
    reader.entity_names(())
    reader.keyword_info(view.q)
    # the Trends page of the default view: headline, trend and surges, key dates, the sources
    # over time and "What's in this view"
    reader.headline(view)
    reader.trend_and_spikes(view)
    reader.key_dates()
    reader.view_top(view)
    reader.view_terms(view)
    reader.source_volume(view)
    # the pages' modules and what they draw with (plotly, the charts, the country shapes)
    from dashboard.pages import articles, compare, data, figures, map, trends  # noqa: F401
    draw_trends(reader, view)


# Streamlit's warnings for its calls made outside a page run, each harmless here
_BARE_CALL_LOGGERS = ("streamlit.runtime.scriptrunner_utils.script_run_context",
                      "streamlit.runtime.state.session_state_proxy", "streamlit")


def draw_trends(reader, view: Filters) -> None:
    """Run the Trends page's code for `view` outside any page run: Streamlit's calls send
    nothing, but the page builds its figures into the process-wide cache
    (dashboard/figure_cache.py) and goes through its code once, so the first visitor's run
    costs what a later visitor's does (docs/figures.md). The
    context is built as the app builds it; should the two ever differ, the figures' keys
    differ and the first visitor builds its own, as without this."""
    from dashboard.charts import topic_colours
    from dashboard.pages import PageContext, trends
    opts = dict(reader.options(Filters(date_from=view.date_from, date_to=view.date_to, copies=view.copies)),
                meta=reader.meta())
    topics, people = opts["topics"], opts["people"]
    ctx = PageContext(reader=reader, filters=view, options=opts,
                      labels=dict(zip(topics["topic_id"], topics["label"])), colours=topic_colours(topics),
                      names=dict(zip(people["entity_id"], people["name"])), keyword=reader.keyword_info(view.q))
    loggers = [logging.getLogger(name) for name in _BARE_CALL_LOGGERS]
    levels = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        trends.render(ctx)
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _run() -> None:
    # the queries go into the cache of the server's runtime once it exists (before, Streamlit
    # makes one of its own and says so in the log); it is up within a second of the start
    from streamlit import runtime
    deadline = time.monotonic() + RUNTIME_WAIT
    while not runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with timings.timed("warm-up", "default-view"):
            warm()
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first visit does the work
        LOG.warning("warm-up failed; the first page view will run its queries itself", exc_info=True)
    keep_out_of_gc()


def keep_out_of_gc() -> None:
    """Move every object alive now (modules, plotly, pandas, Streamlit, the snapshot, the
    country shapes) out of the garbage collector's reach. Why: a full collection walks every
    live object and holds the interpreter meanwhile (docs/figures.md, interaction speed,
    seventh pass), and Python starts one every few page runs, in the middle of someone's
    action; these objects live as long as the server, so walking them finds nothing. They are
    still freed as usual when no longer referenced; only reference cycles among them would stay."""
    from dashboard.geo.countries import shapes
    shapes()            # the map's country shapes: read once and kept for the server's life
    gc.collect()
    gc.freeze()


def start() -> threading.Thread:
    """Run `warm` in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_run, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread
