"""Trends page: headline numbers, one line per topic over time, surges, and a click-through
from any point to that period's articles."""
from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import charts, db, export, figure_cache, key_dates, periods, report, session
from dashboard.pages import PageContext, surge_panel, trends_sources, view_panel
from dashboard.state import MAX_SMOOTH, METRICS, date_span
from dashboard.text import as_text

METRIC_LABELS = {"count": "Count", "share": "Share %"}
PERIOD_ARTICLES = 200


def headline_row(ctx: PageContext) -> None:
    h = ctx.reader.headline(ctx.filters)
    unit = "Articles" if ctx.filters.copies else "Unique stories"
    c1, c2, c3, c4 = st.columns([1.5, 1.3, 0.6, 0.6])   # room for "Unique stories, 1 Mar 2012 – 31 Jan 2013"
    span = date_span(ctx.filters.date_from, ctx.filters.date_to)
    c1.metric(f"{unit}, {span}", f"{h['n']:,}")
    if h["prev_n"] is not None:
        delta = f"{h['change_pct']:+.0f}%" if h["change_pct"] is not None else None
        c2.metric("Previous period of equal length", f"{h['prev_n']:,}", delta=delta,
                  help=f"{h['prev_from']} to {h['prev_to']}; the change is this period vs that one.")
    else:
        c2.metric("Previous period", "—", help="Pick a date range to compare with the period before it.")
    c3.metric("Sources", f"{h['sources']:,}")
    c4.metric("Surges", f"{len(ctx.reader.spikes(ctx.filters)):,}",
              help="Periods where a topic rose well above its usual level (see What's surging).")


def controls() -> None:
    c1, c2, c3 = st.columns([1.2, 1, 1])
    c1.segmented_control("Granularity", list(periods.GRAINS), key="f_grain", format_func=periods.CONTROL_LABEL.get,
                         required=True)
    c2.segmented_control("Metric", list(METRICS), key="f_metric", format_func=METRIC_LABELS.get, required=True,
                         help="Share = articles tagged with the topic as a % of all articles "
                              "matching the other filters in that period.")
    c3.number_input("Rolling mean (periods, 0 = off)", min_value=0, max_value=MAX_SMOOTH, step=1,
                    key="f_smooth")


def surging(ctx: PageContext, spikes: pd.DataFrame) -> None:
    st.subheader("What's surging")
    scope = "the chosen topics" if ctx.filters.topics else "every topic"
    if spikes.empty:
        st.caption(f"No surge in this view: none of {scope} rose well above its usual level "
                   "(mean + 2 sd of the previous 8 periods).")
        return
    grain = ctx.filters.grain
    top = spikes.head(12)
    table = pd.DataFrame({
        "Topic": [ctx.topic_label(t) for t in top["topic_id"]],
        "Period": [periods.label(p, grain).removeprefix("week of ") for p in top["period"]],
        "Articles": top["n"].astype(int),
        "× usual": [f"{r:.1f}×" for r in top["ratio"]],
    })
    # A plain table, not a data grid: a grid clips headers and cells to fixed column widths in
    # a narrow column and scrolls inside itself; this one wraps and shows every row. (No pandas
    # Styler: rendering one costs more than the rest of the page's tables together.)
    with st.container(key="surge_table"):
        st.table(table, hide_index=True, border="horizontal")
    st.caption(f"{export.count_words(len(spikes), 'surge')} in this view ({scope}): periods with "
               "more than the mean + 2 sd of the previous 8 and at least 5 articles.")
    surge_panel.picker(ctx, spikes, len(top))


def period_articles(ctx: PageContext, point: dict) -> None:
    topic_id, start = point["customdata"][0], date.fromisoformat(point["customdata"][1])
    end = periods.end(start, ctx.filters.grain)
    lo = max(start, ctx.filters.date_from) if ctx.filters.date_from else start
    hi = min(end, ctx.filters.date_to) if ctx.filters.date_to else end
    pf = ctx.filters.replace(topics=(topic_id,), date_from=lo, date_to=hi, sort="newest")
    rows = ctx.reader.articles_page(pf, PERIOD_ARTICLES, 0)
    st.subheader(as_text(f"{ctx.topic_label(topic_id)}: {date_span(lo, hi) if lo != hi else lo.isoformat()}"))
    if rows.empty:
        st.caption("No articles in that period.")
        return
    shown = pd.DataFrame({
        "Date": rows["published_at"].dt.date, "Title": rows["title"], "Source": rows["source"],
        "Place": rows["place"], "Topics": [ctx.topic_list(t) for t in rows["topics"]],
    })
    ids = list(rows["article_id"])
    st.dataframe(shown, hide_index=True, key="period_table", on_select=partial(session.open_selected_article, "period_table", ids), selection_mode="single-row")
    st.caption(f"{export.count_words(len(rows), 'article')}"
               f"{' (first ' + str(PERIOD_ARTICLES) + ')' if len(rows) == PERIOD_ARTICLES else ''}; "
               "select a row to read it.")


def render(ctx: PageContext) -> None:
    f = ctx.filters
    headline_row(ctx)
    controls()
    trend = ctx.reader.topic_trend(f)
    spikes = ctx.reader.spikes(f)
    shown = tuple(dict.fromkeys(trend["topic_id"])) if len(trend) else ()
    sentence = ctx.describe(f.replace(topics=shown))
    if not f.topics and shown:
        sentence += f" (the {len(shown)} most frequent topics)" if len(shown) > 1 else " (the most frequent topic)"
    credit = export.credit(ctx.options.get("meta", {}), db.db_path().name)
    stem = export.file_stem("trend", f, ctx.labels, ctx.names, topics=shown)
    left, right = st.columns([2.4, 1.6])
    with left:
        if trend.empty:
            st.info("No dated articles match these filters. Widen the date range or clear a filter.")
        else:
            def build():
                fig = charts.trend_figure(trend, spikes, ctx.labels, ctx.colours, f.metric, f.grain,
                                          f.smooth, title=sentence, footer=credit.footer())
                return fig, key_dates.on_chart(fig, ctx, trend["period"])
            fig, marked = figure_cache.cached("trend", (ctx.reader.snapshot, figure_cache.view_key(f), sentence,
                                                        credit.footer()), build)
            event = charts.show(st, fig, key="trend_chart", on_select="rerun",
                                    selection_mode="points", config=export.plotly_config(stem))
            note = (f"{as_text(sentence)}. One panel per topic, on the same scale. Click a point to list "
                    "that period's articles; ▲ marks a surge.")
            if f.metric == "share":
                note += (f" Share = the topic's articles as a % of all articles in the view that "
                         f"{periods.UNIT[f.grain]}; periods with fewer than {charts.MIN_SHARE_BASE} "
                         "articles are grey hollow points (too few for a meaningful share) and the "
                         "scale fits the others.")
            if marked:
                note += " Dotted lines mark key dates (hover a label for the date and place)."
            st.caption(note)
            # side by side at their own width, wrapping to a second line rather than cutting labels
            downloads = st.container(horizontal=True, key="trend_downloads")
            downloads.download_button("Chart as HTML (works offline)",
                                      data=lambda: export.standalone_html(fig, sentence, sentence, credit, stem),
                                      file_name=f"{stem}.html", mime="text/html", key="dl_chart_html")
            downloads.download_button("Chart data as CSV",
                                      data=lambda: export.csv_with_header(
                                          export.trend_table(trend, ctx.labels, f.metric, f.smooth),
                                          f"Chart data: {sentence}", sentence, credit),
                                      file_name=f"{stem}.csv", mime="text/csv", key="dl_chart_csv")
            link = session.share_url(f)
            downloads.download_button("This view as a report (HTML)",
                                      data=lambda: report.report_html(report.gather(ctx, link, credit)),
                                      file_name=f"{export.file_stem('report', f, ctx.labels, ctx.names, topics=shown)}.html",
                                      mime="text/html", key="dl_report", help=(
                                          "One file that opens offline: the chart, the headline numbers, the "
                                          f"first {report.REPORT_ARTICLES} articles with the evidence for each tag, "
                                          "and the link back to this view."))
            points = event.selection.points if event and event.selection else []
            if points and points[0].get("customdata"):
                period_articles(ctx, points[0])
    with right:
        surging(ctx, spikes)
        view_panel.render(ctx, "trends")
    st.caption(f"Periods are {periods.describe(f.grain)}"
               + "; undated articles are not on the chart.")
    surge_panel.render(ctx, spikes)
    trends_sources.render(ctx)
