"""Compare page: up to six named series, each a full query, on one chart in count or share,
with an editor per series, "Copy filters to all series", and one-click comparisons of the
sidebar's view by topic, by source, by country and by language.

The series live in session state (SERIES) as a tuple of compare.Series and in the URL as the
`cmp` parameter (compare.encode). On the page's first run in a session they are read from the
link (with a notice per value that was ignored); later runs rebuild them from the editor's
widgets, whose keys are `cmp_<position>_<field>`. Buttons change the series in callbacks and
re-seed every editor key from the result, so removing series 2 moves series 3's widgets up.
The sidebar's date range, and the page's grain, metric and smoothing, apply to every series.
"""
from __future__ import annotations

import streamlit as st

from dashboard import charts, compare, compare_charts, db, export, key_dates, periods, session
from dashboard.compare import MAX_SERIES, Series
from dashboard.geo.countries import country_name
from dashboard.languages import language_label, language_name
from dashboard.pages import PageContext
from dashboard.search import SYNTAX_HELP
from dashboard.state import MAX_SMOOTH, METRICS, ROLES, Filters, date_span, describe
from dashboard.text import as_text

SERIES = "cmp_series"
NOTICES = "cmp_notices"
SPLIT_N = "cmp_split_n"
CHART_KEY = "compare_chart"
LIST_FIELDS = ("topics", "countries", "regions", "sources", "people", "languages")
METRIC_LABELS = {"count": "Count", "share": "Share %"}
ROLE_LABELS = {"any": "Any", "dateline": "Dateline", "mentioned": "Mentioned"}
SPLITS = {"topics": "By topic", "sources": "By source", "countries": "By country of story",
          "languages": "By language"}
SPLIT_WHAT = {"topics": "topic", "sources": "outlet", "countries": "country", "languages": "language"}
SPLIT_NOTE = "cmp_split_note"


def _key(i: int, field: str) -> str:
    return f"cmp_{i}_{field}"


# -- series <-> widgets -------------------------------------------------------------------

def _seed(series: tuple[Series, ...]) -> None:
    """Every editor widget's value from `series`; keys of removed positions are dropped."""
    ss = st.session_state
    for i, s in enumerate(series):
        ss[_key(i, "name")] = s.name
        ss[_key(i, "q")] = s.query.q
        for field in LIST_FIELDS:
            ss[_key(i, field)] = list(getattr(s.query, field))
        ss[_key(i, "role")] = s.query.role
        ss[_key(i, "copies")] = s.query.copies
    for key in [k for k in ss if isinstance(k, str) and k.startswith("cmp_") and k[4:5].isdigit()]:
        if int(key[4:].split("_", 1)[0]) >= len(series):
            del ss[key]


def _from_widgets(series: tuple[Series, ...]) -> tuple[Series, ...]:
    ss = st.session_state
    out = []
    for i, s in enumerate(series):
        changes = {}
        for field in LIST_FIELDS:
            if _key(i, field) in ss:
                changes[field] = tuple(ss[_key(i, field)])
        if _key(i, "q") in ss:
            changes["q"] = (ss[_key(i, "q")] or "").strip()
        if ss.get(_key(i, "role")) in ROLES:
            changes["role"] = ss[_key(i, "role")]
        if _key(i, "copies") in ss:
            changes["copies"] = bool(ss[_key(i, "copies")])
        name = (ss.get(_key(i, "name"), s.name) or "").strip()
        out.append(Series(name, s.query.replace(**changes)))
    return tuple(out)


def _set(series: tuple[Series, ...]) -> None:
    """Make `series` the comparison: the editor's keys and the link's `cmp`. Callbacks call it
    before the run draws the sidebar, whose "link to this view" must already hold the change."""
    st.session_state[SERIES] = tuple(series[:MAX_SERIES])
    _seed(st.session_state[SERIES])
    session.set_page_param(compare.PARAM, compare.encode(st.session_state[SERIES]))


def _sync() -> None:
    """on_change of every editor widget: the edit reaches the link before the sidebar is drawn."""
    st.session_state[SERIES] = _current()
    session.set_page_param(compare.PARAM, compare.encode(st.session_state[SERIES]))


def _current() -> tuple[Series, ...]:
    return _from_widgets(st.session_state.get(SERIES, ()))


# -- callbacks (they run before the next script run draws the widgets) ----------------------

def _add(series: Series) -> None:
    _set(_current() + (series,))


def _remove(i: int) -> None:
    current = _current()
    _set(current[:i] + current[i + 1:])


def _copy_base(i: int) -> None:
    current = _current()
    _set(tuple(s if j == i else s.with_base_of(current[i]) for j, s in enumerate(current)))


def _replace_all(series: tuple[Series, ...]) -> None:
    _set(series)


# -- first run: the link ------------------------------------------------------------------

def _validate(series: tuple[Series, ...], reader: db.Reader) -> tuple[tuple[Series, ...], list[str]]:
    """Drop values the link names that this database does not have, with a notice each."""
    notices, out = [], []
    what = {"topics": "topic", "countries": "country", "regions": "region or city",
            "sources": "source", "people": "person or organisation", "languages": "language"}
    for i, s in enumerate(series, start=1):
        query = s.query
        for field in LIST_FIELDS:
            values = getattr(query, field)
            if not values:
                continue
            known = set(reader.known_values(field, values))
            unknown = [v for v in values if v not in known]
            if unknown:
                notices.append(f"Series {i}: unknown {what[field]} " + ", ".join(f"“{v}”" for v in unknown[:5])
                               + " ignored (not in this database).")
                query = query.replace(**{field: tuple(v for v in values if v in known)})
        out.append(Series(s.name, query))
    return tuple(out), notices


def _start(reader: db.Reader) -> tuple[tuple[Series, ...], list[str]]:
    ss = st.session_state
    if SERIES not in ss:
        series, notices = compare.decode(session.page_param(compare.PARAM))
        series, more = _validate(series, reader)
        ss[NOTICES] = notices + more
        _set(series)
        return ss[SERIES], ss[NOTICES]
    series = _current()
    ss[SERIES] = series
    return series, []


# -- drawing --------------------------------------------------------------------------------

def _label(ctx: PageContext, s: Series) -> str:
    return compare.label(s, ctx.labels, ctx.names, country_name, language_name)


def _base_text(ctx: PageContext, s: Series, view: Filters) -> str:
    """'all articles, from Reuters, Syria (unique stories)': what the share is a share of, in
    words (the dates are the chart's, so they are left out)."""
    base = s.base(view).replace(date_from=None, date_to=None)
    text = describe(base, "count", "", ctx.labels, ctx.names).removesuffix(", all dates")
    text = "all articles" + text.removeprefix("Articles") if text.startswith("Articles") else text
    return text + (" (copies counted)" if base.copies else " (unique stories)")


def controls() -> None:
    c1, c2, c3 = st.columns([1.2, 1, 1])
    c1.segmented_control("Granularity", list(periods.GRAINS), key="f_grain",
                         format_func=periods.CONTROL_LABEL.get, required=True)
    c2.segmented_control("Metric", list(METRICS), key="f_metric", format_func=METRIC_LABELS.get, required=True,
                         help="Share = a series' articles as a % of the articles matching that series' "
                              "filters without its keyword and topics, so series drawn from different "
                              "sources or places are each measured against their own base.")
    c3.number_input("Rolling mean (periods, 0 = off)", min_value=0, max_value=MAX_SMOOTH, step=1, key="f_smooth")


def _options(ctx: PageContext, s: Series) -> dict[str, list[str]]:
    opts = ctx.options

    def with_selected(values, chosen):
        values = list(values)
        return values + [v for v in chosen if v not in values]
    return {"topics": with_selected(opts["topics"]["topic_id"], s.query.topics),
            "countries": with_selected(opts["countries"]["code"], s.query.countries),
            "regions": with_selected(opts["regions"]["name"], s.query.regions),
            "sources": with_selected(opts["sources"]["source"], s.query.sources),
            "people": with_selected(opts["people"]["entity_id"], s.query.people),
            "languages": with_selected(opts["languages"]["language"], s.query.languages)}


def editor(ctx: PageContext, series: tuple[Series, ...], info: dict[int, dict]) -> None:
    for i, s in enumerate(series):
        opts = _options(ctx, s)
        with st.expander(as_text(f"{i + 1}. {_label(ctx, s)}"), expanded=False, key=f"cmp_box_{i}",
                         icon=":material/show_chart:"):
            a, b = st.columns([1, 2])
            a.text_input("Name", key=_key(i, "name"), on_change=_sync, placeholder=_label(ctx, Series("", s.query)),
                         max_chars=200)
            b.text_input("Keyword", key=_key(i, "q"), on_change=_sync, placeholder='e.g. defected "brigadier general"',
                         help=SYNTAX_HELP)
            for notice in info.get(i, {}).get("notices", []):
                st.caption(as_text(f"Keyword: {notice}"))
            c, d = st.columns(2)
            c.multiselect("Topics", opts["topics"], key=_key(i, "topics"), on_change=_sync, select_all=False, format_func=ctx.topic_label,
                          placeholder="Any topic")
            d.multiselect("Sources", opts["sources"], key=_key(i, "sources"), on_change=_sync, select_all=False, placeholder="All sources")
            e, f = st.columns(2)
            e.multiselect("Countries", opts["countries"], key=_key(i, "countries"), on_change=_sync, select_all=False, format_func=country_name,
                          placeholder="All countries")
            f.multiselect("Regions and cities", opts["regions"], key=_key(i, "regions"), on_change=_sync, select_all=False, placeholder="All places")
            g, h = st.columns(2)
            g.multiselect("People and organisations", opts["people"], key=_key(i, "people"), on_change=_sync, select_all=False,
                          format_func=lambda e_: ctx.names.get(e_, e_), placeholder="Anyone")
            h.radio("Place role", list(ROLES), key=_key(i, "role"), on_change=_sync, horizontal=True, format_func=ROLE_LABELS.get)
            st.multiselect("Languages", opts["languages"], key=_key(i, "languages"), on_change=_sync, select_all=False,
                           format_func=language_label, placeholder="Any language")
            row = st.container(horizontal=True)
            row.toggle("Count syndicated copies", key=_key(i, "copies"), on_change=_sync)
            row.button("Copy these filters to all series", key=f"cmp_copy_{i}", on_click=_copy_base, args=(i,),
                       icon=":material/content_copy:", disabled=len(series) < 2,
                       help="Every other series gets this one's places, place role, sources, people, "
                            "languages and copies setting, and keeps its own name, keyword and topics.")
            row.button("Remove", key=f"cmp_remove_{i}", on_click=_remove, args=(i,), icon=":material/delete:")


def _split(reader: db.Reader, view: Filters, field: str, n: int, topic_labels: dict[str, str]) -> None:
    """Callback of a one-click comparison: the leading `n` values of `field` in the sidebar's
    view (without its own choice of that field) become the series. Asked for only on a click:
    "What's in this view" over a whole archive is a full scan at a million articles.
    By topic: the Trends page's lines (the chosen topics, else the most frequent in the view)."""
    scope = view.replace(**{field: ()})
    if field == "topics":
        ids = list(view.topics) or list(dict.fromkeys(reader.topic_trend(view.replace(page="trends", article=""))["topic_id"]))
        values = [(t, topic_labels.get(t, t)) for t in ids[:n]]
    else:
        top = reader.view_top(scope.replace(page="trends", article=""))
        top = top[top["facet"] == field].head(n)
        named = {"countries": country_name, "languages": language_name}.get(field)
        values = [(v, named(v) if named else name) for v, name in zip(top["value"], top["name"])]
    if len(values) < 2:
        st.session_state[SPLIT_NOTE] = (f"{SPLITS[field]}: this view has {len(values) or 'no'} "
                                        f"{SPLIT_WHAT[field]}{'' if len(values) == 1 else 's'}, nothing to compare.")
        return
    _set(compare.split(scope, field, values))


def adders(ctx: PageContext, series: tuple[Series, ...]) -> None:
    f = ctx.filters
    full = len(series) >= MAX_SERIES
    st.markdown("**Add series**")
    row = st.container(horizontal=True)
    row.button("Add the sidebar's view", key="cmp_add_view", disabled=full, icon=":material/add:",
               on_click=_add, args=(compare.of_view(f),),
               help="A new series with the sidebar's keyword, topics, places, sources, people, languages and "
                    "copies setting.")
    row.button("Add an empty series", key="cmp_add_blank", disabled=full, on_click=_add, args=(Series(),))
    st.markdown("**One-click comparisons** of the sidebar's view (they replace the series above)")
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.number_input("How many", min_value=2, max_value=MAX_SERIES, step=1, key=SPLIT_N, width=110)
    n = int(st.session_state.get(SPLIT_N) or 5)
    for field, title in SPLITS.items():
        among = {"topics": "the sidebar's topics, else the view's; the lines of the Trends chart"}.get(
                     field, f"the sidebar view's {SPLIT_WHAT[field]}s")
        row.button(f"{title} (top {n})", key=f"cmp_split_{field}", on_click=_split,
                   args=(ctx.reader, f, field, n, ctx.labels),
                   help=f"One series per leading {SPLIT_WHAT[field]} (most articles first, among {among}), "
                        "each with the sidebar view's other filters.")
    note = st.session_state.pop(SPLIT_NOTE, None)
    if note:
        st.warning(as_text(note), icon=":material/info:")


def render(ctx: PageContext) -> None:
    if SPLIT_N not in st.session_state:
        st.session_state[SPLIT_N] = 5
    series, notices = _start(ctx.reader)
    session.set_page_param(compare.PARAM, compare.encode(series))
    session.commit(ctx.filters)
    for notice in notices:
        st.warning(as_text(notice), icon=":material/warning:")
    f = ctx.filters
    st.subheader("Compare")
    controls()
    view = Filters(date_from=f.date_from, date_to=f.date_to, grain=f.grain, metric=f.metric,
                   smooth=f.smooth, key_dates=f.key_dates)
    info = {i: ctx.reader.keyword_info(s.query.q) for i, s in enumerate(series) if s.query.q}
    if not series:
        st.info("No series yet. Add the sidebar's view as a series, or start from a one-click "
                "comparison below.", icon=":material/compare_arrows:")
    else:
        trend = ctx.reader.compare_trend(view, series)
        labels = [_label(ctx, s) for s in series]
        bases = [_base_text(ctx, s, view) for s in series]
        head = "Share of each series' base" if f.metric == "share" else "Articles"
        smoothing = f", {f.smooth}-{periods.UNIT[f.grain]} rolling mean" if f.smooth > 1 else ""
        title = (f"{head}: {', '.join(labels)} — {periods.ADJECTIVE[f.grain]}{smoothing}, "
                 f"{date_span(f.date_from, f.date_to)}")
        credit = export.credit(ctx.options.get("meta", {}), db.db_path().name)
        fig = compare_charts.compare_figure(trend, labels, bases, f.metric, f.grain, f.smooth,
                                            title=title, footer=credit.footer())
        marked = key_dates.on_chart(fig, ctx, trend["period"])
        stem = "compare-" + export.slug(" ".join(labels))[:60] + "-" + export.date_slug(f.date_from, f.date_to)
        charts.show(st, fig, key=CHART_KEY, config=export.plotly_config(stem))
        note = ("Each line is one series, counted over the same periods "
                f"({periods.describe(f.grain)}); undated articles are not on the chart.")
        if f.metric == "share":
            note += (" Share = the series' articles as a % of the articles matching its own filters "
                     "without its keyword and topics (the hover names that base and gives the "
                     f"denominator); periods whose base has fewer than {compare_charts.MIN_SHARE_BASE} "
                     "articles are hollow points off the line.")
        if marked:
            note += " Dotted lines mark key dates (hover a label for the date and place)."
        st.caption(note)
        totals = trend.groupby("series")[["n", "total"]].sum()
        table = {"Series": labels, "Articles": [f"{int(totals.loc[i, 'n']):,}" for i in range(len(series))],
                 "Base (filters without keyword and topics)": [f"{int(totals.loc[i, 'total']):,}"
                                                               for i in range(len(series))],
                 "Share %": [f"{100 * totals.loc[i, 'n'] / totals.loc[i, 'total']:.1f}" if totals.loc[i, "total"] else "—"
                             for i in range(len(series))]}
        with st.container(key="compare_totals"):
            st.table(table, border="horizontal")
        data = trend.assign(series=[labels[i] for i in trend["series"]],
                            period=trend["period"].dt.date)[["period", "series", "n", "total", "value", "smoothed"]]
        st.download_button("Chart data as CSV", key="cmp_csv", file_name=f"{stem}.csv", mime="text/csv",
                           data=lambda: export.csv_with_header(data, f"Chart data: {title}", title, credit))
        editor(ctx, series, info)
    adders(ctx, series)
