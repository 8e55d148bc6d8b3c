"""Everything a view exports — chart PNG (plotly's toolbar), standalone HTML, CSV — and what each
file carries so that it still makes sense away from the dashboard: the view's title, the filter
sentence (`state.describe`), the data source, the date of export, and the synthetic-data note
while the bundled sample is loaded; file names that say what they hold
(`defection-trend-syria-2012-2013.png`).

Builders here are pure (DataFrames and figures in, text out); `articles_download` and
`hide_table_download` are the two Streamlit-facing helpers the pages call.
"""
from __future__ import annotations

import copy
import html
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import PureWindowsPath

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import db
from dashboard.charts import PLOTLY_CONFIG
from dashboard.geo.countries import country_name
from dashboard.languages import language_name
from dashboard.state import Filters

SYNTHETIC_NOTE = "Synthetic demo data: invented outlets and stories, not real reporting."
MAX_STEM = 90
PRODUCT = "Conflict reporting trends"


@dataclass(frozen=True)
class Credit:
    """Where the numbers come from and when they were taken."""

    source: str                 # "conflict.duckdb, snapshot 3 of 6 Dec 2026"
    made: date
    synthetic: bool = False

    def lines(self) -> list[str]:
        out = [f"Source: {PRODUCT}, {self.source}. Exported {self.made.day} {self.made:%b %Y}."]
        if self.synthetic:
            out.append(SYNTHETIC_NOTE)
        return out

    def footer(self) -> str:
        """For a chart's footer: lines joined by newlines (charts wrap and escape them)."""
        return "\n".join(self.lines())


def credit(meta: dict, db_name: str, today: date | None = None) -> Credit:
    """A Credit from the snapshot's `meta` table and the database file's name (never its
    folder: exports must not carry local paths)."""
    made = today or date.today()
    created = str(meta.get("created_at") or "")[:10]
    when = ""
    try:
        d = date.fromisoformat(created)
        when = f" of {d.day} {d:%b %Y}"
    except ValueError:
        pass
    source = f"{db_name}, snapshot {meta.get('snapshot_id', '?')}{when}"
    return Credit(source=source, made=made, synthetic=str(meta.get("sample", "")).lower() == "true")


# -- file names ---------------------------------------------------------------------------

def slug(text: str) -> str:
    """'Displacement & refugees' -> 'displacement-refugees'; 'Ḥalab' -> 'halab'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def date_slug(date_from: date | None, date_to: date | None) -> str:
    """'2012-2013', '2013', '2012-03-01-to-2013-01-31', 'from-2012-03-01', 'all-dates'."""
    if not date_from and not date_to:
        return "all-dates"
    if date_from and date_to:
        if (date_from.month, date_from.day) == (1, 1) and (date_to.month, date_to.day) == (12, 31):
            return str(date_from.year) if date_from.year == date_to.year else f"{date_from.year}-{date_to.year}"
        return f"{date_from.isoformat()}-to-{date_to.isoformat()}"
    return f"from-{date_from.isoformat()}" if date_from else f"until-{date_to.isoformat()}"


def file_stem(kind: str, filters: Filters, labels: dict[str, str] | None = None,
              names: dict[str, str] | None = None, topics: tuple[str, ...] | None = None) -> str:
    """A file name (without extension) that says what the file holds, e.g.
    'defection-trend-syria-2012-2013', 'share-trend-top-topics-all-dates', 'articles-2013'.

    `kind` is trend, map or articles; `topics` the topics shown (default: the filter's). A
    trend with no topic filter shows the most frequent topics: 'top-topics'.
    """
    labels, names = labels or {}, names or {}
    parts: list[str] = []
    chosen = filters.topics if topics is None else topics
    if filters.topics:
        parts += [labels.get(t, t) for t in chosen[:3]] if len(chosen) <= 3 else [f"{len(chosen)} topics"]
    elif kind == "trend":
        parts.append("top topics")
    if kind == "trend" and filters.metric == "share":
        parts.append("share")
    parts.append(kind)
    parts += [country_name(c) for c in filters.countries[:3]] + list(filters.regions[:3])
    if filters.role != "any" and filters.has_place_filter:
        parts.append(f"by {filters.role}")
    parts += list(filters.sources[:2])
    parts += [names.get(p, p) for p in filters.people[:2]]
    parts += [language_name(code) for code in filters.languages[:2]]
    if filters.q:
        parts.append(f"keyword {filters.q}")
    parts.append(date_slug(filters.date_from, filters.date_to))
    stem = "-".join(s for s in (slug(p) for p in parts) if s)
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rsplit("-", 1)[0]
    return stem or kind


# -- charts -------------------------------------------------------------------------------

def plotly_config(stem: str) -> dict:
    """The chart toolbar's settings: its PNG download is named `stem`.png and drawn at 2x with
    the figure's own title and footer (charts put the title, filters and credit in the figure)."""
    config = copy.deepcopy(PLOTLY_CONFIG)
    config["toImageButtonOptions"] = {"format": "png", "scale": 2, "filename": stem}
    return config


def standalone_html(fig: go.Figure, title: str, sentence: str, c: Credit, stem: str) -> str:
    """The figure as one self-contained HTML page that opens offline (plotly.js embedded), with
    a <title>, the filter sentence and the credit as text above and below it."""
    body = fig.to_html(include_plotlyjs=True, full_html=False, config=plotly_config(stem),
                       default_width="100%")
    notes = "".join(f"<p class=\"note\">{html.escape(line)}</p>" for line in c.lines())
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<meta name=\"description\" content=\"{html.escape(sentence, quote=True)}\">\n"
        "<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:1200px}"
        "h1{font-size:1.25rem;margin:0 0 .3rem}.filters{color:#444;margin:0 0 1rem}"
        ".note{color:#666;font-size:.85rem;margin:.2rem 0}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n<p class=\"filters\">Filters: {html.escape(sentence)}</p>\n"
        f"{body}\n{notes}\n</body>\n</html>\n")


# -- CSV ----------------------------------------------------------------------------------

def csv_with_header(table: pd.DataFrame, title: str, sentence: str, c: Credit) -> str:
    """`table` as CSV after a few lines starting with '# ' that say what it is (read it back
    with pandas.read_csv(..., skiprows=n) where n counts those lines)."""
    head = [f"# {title}", f"# Filters: {sentence}"] + [f"# {line}" for line in c.lines()]
    out = io.StringIO()
    out.write("\n".join(head) + "\n")
    table.to_csv(out, index=False)
    return out.getvalue()


def trend_table(trend: pd.DataFrame, labels: dict[str, str], metric: str, smooth: int) -> pd.DataFrame:
    """The trend chart's numbers with topic labels and named columns."""
    out = pd.DataFrame({
        "period_start": pd.to_datetime(trend["period"]).dt.date,
        "topic": [labels.get(t, t) for t in trend["topic_id"]],
        "articles": trend["n"].astype("int64"),
        "articles_in_view": trend["total"].astype("int64"),
        "share_pct": (100.0 * trend["n"] / trend["total"].where(trend["total"] > 0)).round(2),
    })
    if smooth > 1:
        out[f"{'share_pct' if metric == 'share' else 'articles'}_{smooth}_period_mean"] = \
            trend["smoothed"].round(2).to_numpy()
    return out


def _file_name(path) -> str:
    if path is None or (isinstance(path, float) and pd.isna(path)):
        return ""
    return PureWindowsPath(str(path)).name   # handles both / and \ separators


def articles_table(rows: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """queries.export_rows made fit to share: topic labels instead of ids, country names, the
    input's file name instead of its absolute local path, plain column names."""
    def topic_labels(value) -> str:
        if not isinstance(value, str) or not value:
            return ""
        return "; ".join(labels.get(t, t) for t in value.split("; "))

    return pd.DataFrame({
        "article_id": rows["article_id"],
        "published": pd.to_datetime(rows["published_at"]).dt.date,
        "date_precision": rows["date_precision"],
        "source": rows["source"],
        "title": rows["title"],
        "url": rows["url"],
        "dateline": rows["dateline"],
        "country": [country_name(c) if isinstance(c, str) and c else "" for c in rows["primary_country"]],
        "country_code": rows["primary_country"],
        "region": rows["primary_region"],
        "topics": [topic_labels(v) for v in rows["topics"]],
        "places": rows["places"],
        "people_and_organisations": rows["people_and_organisations"],
        "words": rows["word_count"],
        "language": rows["language"],
        "duplicate_cluster": rows["dup_cluster"],
        "counted_as_unique_story": rows["is_primary"],
        "input_format": rows["input_format"],
        "input_file": [_file_name(p) for p in rows["input_path"]],
    })


def count_words(n: int, one: str, many: str | None = None) -> str:
    """'1 article', '2,345 articles'."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


# -- Streamlit helpers ----------------------------------------------------------------------

def articles_download(ctx, total: int, where=None) -> None:
    """The full CSV export of the Articles page: every filtered article (not the shown page)."""
    f = ctx.filters
    c = credit(ctx.options.get("meta", {}), db.db_path().name)
    sentence = ctx.describe(grain="")
    stem = file_stem("articles", f, ctx.labels, ctx.names)

    def build() -> str:
        rows = articles_table(ctx.reader.export_rows(f), ctx.labels)
        return csv_with_header(rows, f"Article list ({count_words(total, 'article')})", sentence, c)

    label = ("Download the article as CSV" if total == 1
             else f"Download all {total:,} articles as CSV")
    (where or st).download_button(label, data=build, file_name=f"{stem}.csv", mime="text/csv",
                                  key="dl_articles_csv", disabled=total == 0)


def hide_table_download(key_prefix: str) -> None:
    """Hide the CSV button of a table's own toolbar (it saves only the rows on screen) where the
    page offers the full export instead."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "", key_prefix)
    st.html(f'<style>[class*="st-key-{safe}"] button[aria-label="Download as CSV"]'
            "{display:none !important}</style>")
