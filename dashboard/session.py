"""Streamlit glue between widgets, the session's `Filters` and the URL.

On a session's first run the URL is parsed once (`Filters.from_query_params`) and every widget
key is seeded from the result. On later runs the Filters are rebuilt from the widget values in
session state (keys of widgets that were not drawn last run keep their previous value), then
written back to `st.query_params`, so the address bar is always a link to the current view.
Widgets are therefore created with `key=` only, never with a default value.

Multiselects hold stable ids (topic id, ISO code, source, place, entity id, language code) and show labels
with counts through `format_func`. Streamlit sends a multiselect's value between browser and
server as those *labels*, and a label changes with its count (another date range, the copies
toggle): the browser would send back a label the new options no longer have, and Streamlit
would keep the label itself as the value. So every run re-seeds the multiselect keys from the
Filters (ids, read while the previous labels still applied), and the browser receives the
value in the current labels.
"""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import streamlit as st

from dashboard import compare
from dashboard.queries.keyword import keyword_terms
from dashboard.state import Filters

FILTERS = "filters"
NOTICES = "notices"
NOTICES_FOR = "notices_for"

# widget key -> Filters field (lists are stored as lists in widgets, tuples in Filters)
WIDGET_FIELDS = {
    "f_page": "page",
    "f_topics": "topics",
    "f_countries": "countries",
    "f_regions": "regions",
    "f_role": "role",
    "f_sources": "sources",
    "f_people": "people",
    "f_languages": "languages",
    "f_q": "q",
    "f_copies": "copies",
    "f_grain": "grain",
    "f_metric": "metric",
    "f_smooth": "smooth",
    "f_sort": "sort",
    "f_table_page": "table_page",
    "f_key_dates": "key_dates",
}
LIST_FIELDS = {"topics", "countries", "regions", "sources", "people", "languages"}
DATE_KEYS = ("f_preset", "f_from", "f_to")
# fields that say where the reader is, not what is counted: changing them keeps the table page
POSITION_FIELDS = ("page", "article", "table_page", "tab", "key_dates")

# the Articles page's Passages/Table tabs: a keyed st.tabs holds the tab's label
TAB_KEY = "f_tab"
TAB_LABELS = {"passages": "Matching passages", "table": "Table"}

# With a keyword the Articles page lists the best matches first; the "Best matches first"
# toggle (widget RANK_KEY) switches to the Sort order. Filters.sort (state.SORTS) has no
# relevance value, so the choice is kept beside the Filters: in the URL as rank=0 when off
# (only written while there is a keyword), in session state under RANKED.
RANK_KEY, RANK_PARAM, RANKED = "f_rank", "rank", "ranked"

ALL, LAST, CUSTOM = "all", "last", "custom"

# URL parameters a page owns beside the Filters (the Compare page's series): read from the
# link on the session's first run, kept in session state under PAGE_PARAMS and written back
# with the Filters on every run, so they survive visits to other pages. The page that owns
# one parses it (with its own notices) and sets it with `set_page_param`. SURGE_PARAM is the
# surge the Trends page explains (pages/surge_panel.py).
SURGE_PARAM = "surge"
PAGE_PARAMS, OWNED_PARAMS = "page_params", (compare.PARAM, SURGE_PARAM)


# -- date presets -------------------------------------------------------------------------

def date_presets(date_min: date | None, date_max: date | None) -> dict[str, str]:
    """preset key -> label: all, last year of data, 2011–2012, each later year, custom."""
    presets = {ALL: "All dates", LAST: "Last year of data"}
    if date_min and date_max:
        first = date_min.year
        if first <= 2012 <= date_max.year and first >= 2010:
            presets[f"y{first}-2012"] = f"{first}–2012"
            first = 2013
        for year in range(first, date_max.year + 1):
            presets[f"y{year}"] = str(year)
    presets[CUSTOM] = "Custom range"
    return presets


def preset_dates(preset: str, date_max: date | None) -> tuple[date | None, date | None] | None:
    """The (from, to) a preset stands for; None for 'custom' (read the date inputs)."""
    if preset == ALL:
        return None, None
    if preset == LAST:
        if date_max is None:
            return None, None
        return date_max - timedelta(days=364), date_max
    if preset.startswith("y"):
        years = preset[1:].split("-")
        try:
            return date(int(years[0]), 1, 1), date(int(years[-1]), 12, 31)
        except ValueError:
            return None, None
    return None


def preset_for(date_from: date | None, date_to: date | None, presets: dict[str, str],
               date_max: date | None) -> str:
    for key in presets:
        if key != CUSTOM and preset_dates(key, date_max) == (date_from, date_to):
            return key
    return CUSTOM


# -- the session's Filters ----------------------------------------------------------------

def _seed(filters: Filters, presets: dict[str, str], date_max: date | None, *, force: bool) -> None:
    ss = st.session_state
    for key, name in WIDGET_FIELDS.items():
        value = getattr(filters, name)
        if name in LIST_FIELDS:
            value = list(value)
        # multiselects every run: see the module docstring
        if force or key not in ss or name in LIST_FIELDS:
            ss[key] = value
    if force or TAB_KEY not in ss:
        ss[TAB_KEY] = TAB_LABELS[filters.tab]
    if force or "f_preset" not in ss:
        ss["f_preset"] = preset_for(filters.date_from, filters.date_to, presets, date_max)
    if force or "f_from" not in ss:
        ss["f_from"] = filters.date_from
    if force or "f_to" not in ss:
        ss["f_to"] = filters.date_to


def start(presets: dict[str, str], date_max: date | None) -> tuple[Filters, list[str]]:
    """Filters for this run, and notices to show (from parsing a shared link)."""
    ss = st.session_state
    if FILTERS not in ss:
        filters, notices = Filters.from_query_params(st.query_params)
        ss[FILTERS] = filters
        ss[NOTICES], ss[NOTICES_FOR] = notices, filters
        _seed(filters, presets, date_max, force=True)
        ss[RANKED] = ss[RANK_KEY] = st.query_params.get(RANK_PARAM) != "0"
        ss[PAGE_PARAMS] = {name: st.query_params.get(name) for name in OWNED_PARAMS
                           if st.query_params.get(name)}
        return filters, notices
    filters, fresh = _from_widgets(ss[FILTERS], presets, date_max)
    _seed(filters, presets, date_max, force=False)
    if RANK_KEY in ss:
        ss[RANKED] = bool(ss[RANK_KEY])
    else:
        ss[RANK_KEY] = ss.get(RANKED, True)
    if fresh:
        ss[NOTICES], ss[NOTICES_FOR] = fresh, filters
    notices = ss.get(NOTICES, []) if ss.get(NOTICES_FOR) == filters else []
    return filters, notices


def _from_widgets(prev: Filters, presets: dict[str, str], date_max: date | None) -> tuple[Filters, list[str]]:
    """The view the widgets now show, and notices about what had to be corrected."""
    ss = st.session_state
    notices: list[str] = []
    changes = {}
    for key, name in WIDGET_FIELDS.items():
        if key in ss and ss[key] is not None:
            value = ss[key]
            changes[name] = tuple(value) if name in LIST_FIELDS else value
    if isinstance(changes.get("q"), str):
        changes["q"] = changes["q"].strip()
    for name in ("smooth", "table_page"):
        if name in changes:
            changes[name] = int(changes[name])
    tab = {label: tab for tab, label in TAB_LABELS.items()}.get(ss.get(TAB_KEY))
    if tab:
        changes["tab"] = tab
    preset = ss.get("f_preset", CUSTOM)
    dates = preset_dates(preset, date_max) if preset in presets else None
    if dates is None:
        date_from = ss.get("f_from", prev.date_from)
        date_to = ss.get("f_to", prev.date_to)
        if date_from and date_to and date_from > date_to:
            notices.append(f"From ({date_from}) was after To ({date_to}); the two were swapped.")
            date_from, date_to = date_to, date_from
            # the boxes are drawn later in this run, so they can still be told
            ss["f_from"], ss["f_to"] = date_from, date_to
        dates = (date_from, date_to)
    changes["date_from"], changes["date_to"] = dates
    filters = prev.replace(**changes)
    if filters.page != "articles" and filters.article:
        filters = filters.replace(article="")
    if filters.table_page != 1 and _counted_view(filters) != _counted_view(prev):
        filters = filters.replace(table_page=1)       # a new selection starts at its first page
        ss["f_table_page"] = 1
    return filters, notices


def _counted_view(filters: Filters) -> Filters:
    """`filters` without the fields that only say where the reader is."""
    return filters.replace(**{name: getattr(Filters(), name) for name in POSITION_FIELDS})


def ranked() -> bool:
    """With a keyword: list articles best match first (else in the Sort order)."""
    return bool(st.session_state.get(RANKED, True))


def _url_params(filters: Filters) -> dict[str, str | list[str]]:
    params = filters.to_query_params()
    if filters.q and not ranked():
        params[RANK_PARAM] = "0"
    params.update(st.session_state.get(PAGE_PARAMS, {}))
    return params


def page_param(name: str) -> str | None:
    """The value of a page-owned URL parameter (OWNED_PARAMS), as the link gave it or the page
    last set it."""
    return st.session_state.get(PAGE_PARAMS, {}).get(name)


def set_page_param(name: str, value: str) -> None:
    """Set a page-owned URL parameter ('' removes it); `commit` writes it to the URL."""
    params = dict(st.session_state.get(PAGE_PARAMS, {}))
    if value:
        params[name] = value
    else:
        params.pop(name, None)
    st.session_state[PAGE_PARAMS] = params


def commit(filters: Filters) -> None:
    """Make `filters` the session's view and write it to the URL (only if it changed)."""
    st.session_state[FILTERS] = filters
    wanted = _url_params(filters)
    current = {k: (st.query_params.get_all(k) if isinstance(wanted.get(k), list) else st.query_params.get(k))
               for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


def update(**changes) -> None:
    """For click callbacks: change the view before the next run draws its widgets."""
    filters = st.session_state[FILTERS].replace(**changes)
    st.session_state[FILTERS] = filters
    for key, name in WIDGET_FIELDS.items():
        if name in changes:
            value = changes[name]
            st.session_state[key] = list(value) if name in LIST_FIELDS else value
    if "tab" in changes:
        st.session_state[TAB_KEY] = TAB_LABELS[changes["tab"]]


def add_value(field: str, value: str) -> None:
    """Callback: add `value` to the list filter `field` (a click in a panel), from the table's first page."""
    current = getattr(st.session_state[FILTERS], field)
    if value not in current:
        update(**{field: current + (value,)}, table_page=1)


def add_word(term: str) -> None:
    """Callback: add a word, or a phrase in double quotes, to the keyword (unless it is there)."""
    q = st.session_state[FILTERS].q
    if term.lower() not in (t.lower() for t in keyword_terms(q)):
        word = f'"{term}"' if " " in term else term
        update(q=f"{q} {word}".strip(), table_page=1)


def open_selected_article(key: str, ids: list[str]) -> None:
    """Callback of a one-row-selection table whose rows are the articles `ids`: open the chosen one."""
    rows = st.session_state[key].selection.rows
    if rows:
        update(article=ids[rows[0]], page="articles")


def reset(page: str) -> None:
    """Callback: every filter back to its default, staying on `page`."""
    for key in list(WIDGET_FIELDS) + list(DATE_KEYS) + [RANK_KEY, RANKED, TAB_KEY]:
        st.session_state.pop(key, None)
    st.session_state[FILTERS] = Filters(page=page)
    st.session_state["f_preset"] = ALL


def share_url(filters: Filters) -> str:
    """The full link to this view, for the 'copy link' box."""
    base = None
    try:
        base = st.context.url
    except Exception:  # noqa: BLE001 - the context is missing outside a browser session
        base = None
    base = (base or "http://localhost:8501/").split("?", 1)[0].split("#", 1)[0]
    if base.count("/") == 2:  # scheme://host with no path
        base += "/"
    query = urlencode(_url_params(filters), doseq=True)
    return f"{base}?{query}" if query else base
