"""Compare: up to six named series drawn on one time chart, and their compact, versioned form
in the URL. Pure: no Streamlit, no SQL (queries.compare_trend counts them; the Compare page
draws them).

A series is a name and a full query: keyword (the product's search syntax), topics, countries,
regions and cities with their place role, sources, people, languages and the copies toggle. Its
query is held as a `Filters`, so the keyword, the place roles and every other rule mean exactly
what they mean in the rest of the dashboard, and a series is validated by
`Filters.from_query_params`.
What the series share comes from the view: the date range, the grain, count or share, smoothing
and the key dates (`Series.filters(view)`).

Share: a series' articles as a % of the articles matching the series' filters *without* its
keyword and topics (`Series.base`). Two series with different sources or places are then each
measured against their own outlets or places, which keeps them comparable.

The URL: one parameter, `cmp`, whose value is `1.` (the encoding's version) followed by the
series as JSON (a list of objects: `n` the name, then each series field under its name in
`Filters.to_query_params`, e.g. `lang` its languages; only non-default values), raw-deflated
and base64url-encoded without padding. Non-ASCII names, quotes and operators in keywords travel unharmed and six series fit
in a few hundred characters. A link without `cmp` opens the page with no series (old links
keep working); a value that cannot be read, or series fields that are not valid, give a notice
each and are dropped, never an exception.
"""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass

from dashboard.state import MAX_TEXT, Filters

PARAM = "cmp"
VERSION = "1"
MAX_SERIES = 6
MAX_LINK = 8000            # characters of a `cmp` value read from a link
MAX_JSON = 64_000          # bytes a `cmp` value may inflate to (a deflate bomb stops there)
# the Filters fields a series sets; everything else comes from the view
SERIES_FIELDS = ("q", "topics", "countries", "regions", "role", "sources", "people", "languages", "copies")
# ...and the names they have in Filters.to_query_params (the keys of a series in the link)
SERIES_PARAMS = ("q", "topic", "country", "region", "role", "source", "person", "lang", "copies")
# the Filters fields "Copy filters to all series" copies: everything but what the series counts
BASE_FIELDS = ("countries", "regions", "role", "sources", "people", "languages", "copies")


@dataclass(frozen=True)
class Series:
    """One line of the comparison: a name (may be empty: `label` makes one) and its query."""

    name: str = ""
    query: Filters = Filters()

    @property
    def languages(self) -> tuple[str, ...]:
        return self.query.languages

    def filters(self, view: Filters) -> Filters:
        """The series' query over the view's dates, grain, metric, smoothing and key dates."""
        return view.replace(**{f: getattr(self.query, f) for f in SERIES_FIELDS}, article="")

    def base(self, view: Filters) -> Filters:
        """The share's denominator: the series' filters without its keyword and topics."""
        return self.filters(view).replace(q="", topics=())

    def with_base_of(self, other: Series) -> Series:
        """This series with `other`'s filters (places, role, sources, people, languages, copies),
        keeping its own name, keyword and topics."""
        return Series(self.name, self.query.replace(**{f: getattr(other.query, f) for f in BASE_FIELDS}))


def of_view(view: Filters, name: str = "") -> Series:
    """A series holding the view's query (the sidebar's filters)."""
    return Series(name, Filters().replace(**{f: getattr(view, f) for f in SERIES_FIELDS}))


def split(view: Filters, field: str, values: list[tuple[str, str]]) -> tuple[Series, ...]:
    """One series per (value, name) of `field` (sources | countries | ... | languages): the
    view's query with that field set to the one value. The one-click comparisons ("by source")
    use it."""
    base = of_view(view)
    return tuple(Series(name, base.query.replace(**{field: (value,)}))
                 for value, name in values[:MAX_SERIES])


def label(series: Series, topic_labels: dict[str, str] | None = None,
          names: dict[str, str] | None = None, country_name=lambda c: c, language_name=lambda c: c) -> str:
    """The series' name, or one made from its query: '“defect*” · Defection · Reuters'."""
    if series.name.strip():
        return series.name.strip()
    q = series.query
    topic_labels, names = topic_labels or {}, names or {}
    parts = [f"“{q.q}”"] if q.q else []
    parts += [topic_labels.get(t, t) for t in q.topics]
    parts += [country_name(c) for c in q.countries] + list(q.regions)
    parts += list(q.sources) + [names.get(p, p) for p in q.people]
    parts += [language_name(code) for code in q.languages]
    text = " · ".join(parts) or "All articles"
    return text if len(text) <= 60 else text[:59] + "…"


# -- the URL ------------------------------------------------------------------------------

def encode(series: tuple[Series, ...]) -> str:
    """The `cmp` value of `series` ('' for none)."""
    if not series:
        return ""
    items = []
    for s in series[:MAX_SERIES]:
        params = s.query.to_query_params()
        item: dict = {"n": s.name} if s.name else {}
        item.update({k: params[k] for k in SERIES_PARAMS if k in params})
        items.append(item)
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return f"{VERSION}." + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(value: str | None) -> tuple[tuple[Series, ...], list[str]]:
    """Series from a `cmp` value, and a notice per thing that was ignored. Never raises."""
    if not value:
        return (), []
    value = value.strip()
    if len(value) > MAX_LINK:
        return (), [f"The comparison in this link is longer than {MAX_LINK:,} characters; it was ignored."]
    version, dot, payload = value.partition(".")
    if not dot or version != VERSION:
        return (), [f"The comparison in this link is in a format this version does not read "
                    f"(‘{version[:10]}’; expected ‘{VERSION}’); it was ignored."]
    try:
        packed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        unpacker = zlib.decompressobj(-15)
        raw = unpacker.decompress(packed, MAX_JSON)
        if unpacker.unconsumed_tail:
            return (), ["The comparison in this link is too large; it was ignored."]
        items = json.loads(raw.decode())
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        return (), ["The comparison in this link is damaged (it may have been cut when copied); "
                    "it was ignored."]
    if not isinstance(items, list):
        return (), ["The comparison in this link is damaged; it was ignored."]
    notices: list[str] = []
    if len(items) > MAX_SERIES:
        notices.append(f"A comparison has at most {MAX_SERIES} series; only the first {MAX_SERIES} are shown.")
    out: list[Series] = []
    for i, item in enumerate(items[:MAX_SERIES], start=1):
        if not isinstance(item, dict):
            notices.append(f"Series {i} of the link is damaged; it was left out.")
            continue
        name = item.get("n", "")
        if not isinstance(name, str):
            notices.append(f"Series {i}: its name is not text; it was left out.")
            name = ""
        if len(name) > MAX_TEXT:
            notices.append(f"Series {i}: its name was cut to {MAX_TEXT} characters.")
            name = name[:MAX_TEXT]
        params: dict[str, str | list[str]] = {}
        for key, raw_value in item.items():
            if key == "n":
                continue
            if key not in SERIES_PARAMS:
                notices.append(f"Series {i}: unknown field ‘{str(key)[:20]}’ ignored.")
                continue
            if isinstance(raw_value, list) and all(isinstance(v, str) for v in raw_value):
                params[key] = raw_value
            elif isinstance(raw_value, str):
                params[key] = raw_value
            else:
                notices.append(f"Series {i}: the value of ‘{key}’ is not text; ignored.")
        query, more = Filters.from_query_params(params)
        notices += [f"Series {i}: {n}" for n in more]
        out.append(Series(name.strip(), Filters().replace(**{f: getattr(query, f) for f in SERIES_FIELDS})))
    return tuple(out), notices
