"""The whole dashboard view as one typed value, and its only two doors to and from the URL.

`Filters` holds everything a shared link must restore: dates, topics, places, sources, people,
languages, keyword, chart options, the open article and the page. `Filters.from_query_params`
is tolerant (a bad value falls back to its default and yields a notice for the user, never an
exception); `Filters.to_query_params` writes only non-default values under short names:

    from, to   first/last day, ISO dates (2012-01-01)
    topic      topic_id, repeatable          country  ISO 3166-1 alpha-2, repeatable
    region     region or city name, repeatable
    role       any | dateline | mentioned (how country/region filters match article places)
    source     outlet name, repeatable       person   entity_id (person or organisation), repeatable
    lang       article language, ISO 639-1 code as stored (ar, en), repeatable
    q          keyword query                 grain    day | week | month (default month)
    metric     count | share                 smooth   rolling mean window in periods, 0 = off
    article    open article_id (Articles page only)
    page       trends | compare | map | articles | data | figures
    sort       article table order: newest | oldest | title | source
    p          page of the article table, from 1      tab   passages | table (with a keyword)
    copies     1 = count syndicated copies too (default counts unique stories only)
    keydates   0 = hide the key dates on time charts (default shows them)

Dates are clamped to MIN_DATE..MAX_DATE (what the date boxes accept), a From after To is
swapped, and an article is kept only on the Articles page, each with a notice.

This module is pure (no Streamlit, no SQL): `queries.where_clause` turns a Filters into SQL;
the grain rules are periods.py's.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from dashboard.geo.countries import country_name
from dashboard.languages import language_name
from dashboard.periods import ADJECTIVE, GRAINS
METRICS = ("count", "share")
ROLES = ("any", "dateline", "mentioned")
PAGES = ("trends", "compare", "map", "articles", "data", "figures")
SORTS = ("newest", "oldest", "title", "source")
TABS = ("passages", "table")      # how the Articles page lists keyword matches
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2100, 12, 31)
MAX_SMOOTH = 52
MAX_TABLE_PAGE = 1_000_000
MAX_VALUES = 50       # per list parameter: a link cannot ask for thousands of values
MAX_TEXT = 200        # characters per value
MAX_LANGUAGE = 3      # characters of a language code (the ETL stores ISO 639-1's two)


@dataclass(frozen=True)
class Filters:
    """One dashboard view. Lists are tuples so the value is hashable (it is a cache key)."""

    date_from: date | None = None
    date_to: date | None = None
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    role: str = "any"
    sources: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    q: str = ""
    grain: str = "month"
    metric: str = "count"
    smooth: int = 0
    article: str = ""
    page: str = "trends"
    sort: str = "newest"
    copies: bool = False
    table_page: int = 1
    tab: str = "passages"
    key_dates: bool = True

    def replace(self, **changes) -> Filters:
        return dataclasses.replace(self, **changes)

    # -- door 1: URL -> Filters -------------------------------------------------------------
    @classmethod
    def from_query_params(cls, params) -> tuple[Filters, list[str]]:
        """Parse query parameters (st.query_params or any mapping of str -> str | list[str]).

        Returns the Filters and a list of human notices, one per value that was ignored.
        """
        get_all = _getter(params)
        notices: list[str] = []
        d = cls()

        def one(name: str) -> str | None:
            values = get_all(name)
            if len(values) > 1:
                notices.append(f"'{name}' was given {len(values)} times; using the first value.")
            return values[0] if values else None

        def choice(name: str, allowed: tuple[str, ...], default: str) -> str:
            raw = one(name)
            if raw is None or raw == "":
                return default
            if raw.lower() in allowed:
                return raw.lower()
            notices.append(f"Unknown {name} '{_clip(raw)}' (expected one of: {', '.join(allowed)}); "
                           f"using '{default}'.")
            return default

        def a_date(name: str) -> date | None:
            raw = one(name)
            if raw is None or raw == "":
                return None
            try:
                value = date.fromisoformat(raw.strip())
            except ValueError:
                notices.append(f"'{name}' date '{_clip(raw)}' is not a date like 2012-01-31; ignored.")
                return None
            clamped = min(max(value, MIN_DATE), MAX_DATE)
            if clamped != value:
                notices.append(f"'{name}' date {value.isoformat()} is outside {MIN_DATE.isoformat()} to "
                               f"{MAX_DATE.isoformat()}; using {clamped.isoformat()}.")
            return clamped

        def many(name: str, normalise=lambda v: v) -> tuple[str, ...]:
            values = []
            for raw in get_all(name):
                value = normalise(raw.strip())
                if not value:
                    continue
                if len(value) > MAX_TEXT:
                    notices.append(f"A '{name}' value longer than {MAX_TEXT} characters was ignored.")
                    continue
                if value not in values:
                    values.append(value)
            if len(values) > MAX_VALUES:
                notices.append(f"Only the first {MAX_VALUES} '{name}' values are used.")
                values = values[:MAX_VALUES]
            return tuple(values)

        date_from, date_to = a_date("from"), a_date("to")
        if date_from and date_to and date_from > date_to:
            notices.append(f"'from' ({date_from}) was after 'to' ({date_to}); the two were swapped.")
            date_from, date_to = date_to, date_from

        countries = []
        for code in many("country", str.upper):
            if len(code) == 2 and code.isalpha():
                countries.append(code)
            else:
                notices.append(f"Country '{_clip(code)}' is not a two-letter ISO code; ignored.")

        languages = []
        for code in many("lang", str.lower):
            if len(code) <= MAX_LANGUAGE and code.isalnum() and code.isascii():
                languages.append(code)
            else:
                notices.append(f"Language '{_clip(code)}' is not a language code like 'ar'; ignored.")

        smooth = d.smooth
        raw_smooth = one("smooth")
        if raw_smooth not in (None, ""):
            try:
                smooth = int(raw_smooth)
                if not 0 <= smooth <= MAX_SMOOTH:
                    raise ValueError
            except ValueError:
                notices.append(f"'smooth' must be a whole number of periods from 0 to {MAX_SMOOTH}; "
                               f"got '{_clip(raw_smooth)}', smoothing is off.")
                smooth = 0

        copies = d.copies
        raw_copies = one("copies")
        if raw_copies not in (None, ""):
            if raw_copies.lower() in ("1", "true", "yes"):
                copies = True
            elif raw_copies.lower() in ("0", "false", "no"):
                copies = False
            else:
                notices.append(f"'copies' must be 1 or 0; got '{_clip(raw_copies)}'.")

        key_dates = d.key_dates
        raw_key_dates = one("keydates")
        if raw_key_dates not in (None, ""):
            if raw_key_dates.lower() in ("1", "true", "yes"):
                key_dates = True
            elif raw_key_dates.lower() in ("0", "false", "no"):
                key_dates = False
            else:
                notices.append(f"'keydates' must be 1 or 0; got '{_clip(raw_key_dates)}'.")

        table_page = d.table_page
        raw_page = one("p")
        if raw_page not in (None, ""):
            try:
                table_page = int(raw_page)
                if not 1 <= table_page <= MAX_TABLE_PAGE:
                    raise ValueError
            except ValueError:
                notices.append(f"'p' (the article table's page) must be a whole number from 1; "
                               f"got '{_clip(raw_page)}', showing page 1.")
                table_page = d.table_page

        q = (one("q") or "").strip()
        if len(q) > MAX_TEXT:
            notices.append(f"The keyword query was cut to {MAX_TEXT} characters.")
            q = q[:MAX_TEXT]
        article = (one("article") or "").strip()
        if len(article) > MAX_TEXT:
            notices.append("The 'article' id is too long to be an article id; ignored.")
            article = ""

        page = choice("page", PAGES, d.page)
        if article and page != "articles":
            notices.append("An article opens on the Articles page only ('page=articles'); "
                           "the 'article' value was ignored.")
            article = ""

        filters = cls(
            date_from=date_from,
            date_to=date_to,
            topics=many("topic", str.lower),
            countries=tuple(countries),
            regions=many("region"),
            role=choice("role", ROLES, d.role),
            sources=many("source"),
            people=many("person", str.lower),
            languages=tuple(languages),
            q=q,
            grain=choice("grain", GRAINS, d.grain),
            metric=choice("metric", METRICS, d.metric),
            smooth=smooth,
            article=article,
            page=page,
            sort=choice("sort", SORTS, d.sort),
            copies=copies,
            table_page=table_page,
            tab=choice("tab", TABS, d.tab),
            key_dates=key_dates,
        )
        return filters, notices

    # -- door 2: Filters -> URL -------------------------------------------------------------
    def to_query_params(self) -> dict[str, str | list[str]]:
        """Only non-default values, under the short names documented at the top of this file."""
        out: dict[str, str | list[str]] = {}
        d = Filters()
        if self.page != d.page:
            out["page"] = self.page
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        for name, values in (("topic", self.topics), ("country", self.countries),
                             ("region", self.regions), ("source", self.sources),
                             ("person", self.people), ("lang", self.languages)):
            if values:
                out[name] = list(values)
        for name, value, default in (("role", self.role, d.role), ("q", self.q, d.q),
                                     ("grain", self.grain, d.grain),
                                     ("metric", self.metric, d.metric),
                                     ("sort", self.sort, d.sort),
                                     ("tab", self.tab, d.tab),
                                     ("article", self.article if self.page == "articles" else "",
                                      d.article)):
            if value != default:
                out[name] = value
        if self.smooth != d.smooth:
            out["smooth"] = str(self.smooth)
        if self.copies:
            out["copies"] = "1"
        if self.table_page != d.table_page:
            out["p"] = str(self.table_page)
        if not self.key_dates:
            out["keydates"] = "0"
        return out

    @property
    def has_place_filter(self) -> bool:
        return bool(self.countries or self.regions)


def _getter(params):
    if hasattr(params, "get_all"):
        return lambda name: [str(v) for v in params.get_all(name)]

    def get_all(name: str) -> list[str]:
        value = params.get(name) if isinstance(params, Mapping) else None
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, Iterable):
            return [str(v) for v in value]
        return [str(value)]
    return get_all


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def date_span(date_from: date | None, date_to: date | None) -> str:
    """'2012–2013', '2013', 'Mar 2012 – Jan 2013', 'from 1 Mar 2012', 'all dates'."""
    if not date_from and not date_to:
        return "all dates"
    if date_from and date_to:
        if (date_from.month, date_from.day) == (1, 1) and (date_to.month, date_to.day) == (12, 31):
            if date_from.year == date_to.year:
                return str(date_from.year)
            return f"{date_from.year}–{date_to.year}"
        if date_from.day == 1 and _is_month_end(date_to):
            a, b = date_from.strftime("%b %Y"), date_to.strftime("%b %Y")
            return a if a == b else f"{a} – {b}"
        return f"{_day(date_from)} – {_day(date_to)}"
    if date_from:
        return f"from {_day(date_from)}"
    return f"until {_day(date_to)}"


def _is_month_end(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


def _join(items: list[str], word: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]


def describe(filters: Filters, metric: str | None = None, grain: str | None = None,
             topic_labels: Mapping[str, str] | None = None,
             entity_names: Mapping[str, str] | None = None) -> str:
    """A human sentence for captions: 'Share of articles tagged defection, Syria, weekly, 2012–2013'."""
    metric = metric or filters.metric
    grain = grain if grain is not None else filters.grain
    labels = topic_labels or {}
    topics = [labels.get(t, t) for t in filters.topics]
    head = "Share of articles" if metric == "share" else "Articles"
    parts = [f"{head} tagged {_join(topics)}" if topics else head]
    places = [country_name(c) for c in filters.countries] + list(filters.regions)
    if places:
        where = _join(places)
        if filters.role == "dateline":
            parts.append(f"datelined {where}")
        elif filters.role == "mentioned":
            parts.append(f"mentioning {where}")
        else:
            parts.append(where)
    if filters.sources:
        parts.append(f"from {_join(list(filters.sources))}")
    if filters.people:
        names = entity_names or {}
        parts.append(f"naming {_join([names.get(p, p) for p in filters.people])}")
    if filters.languages:
        parts.append(f"in {_join([language_name(code) for code in filters.languages])}")
    if filters.q:
        parts.append(f"matching “{filters.q}”")
    if grain:
        parts.append(ADJECTIVE.get(grain, grain))
    parts.append(date_span(filters.date_from, filters.date_to))
    return ", ".join(parts)


__all__ = ["Filters", "METRICS", "ROLES", "PAGES", "SORTS", "TABS", "MIN_DATE", "MAX_DATE",
           "describe", "date_span"]
