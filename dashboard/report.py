"""A view as a report that travels without a server: one self-contained HTML file with the
filter sentence, the headline numbers, the interactive trend chart (plotly.js embedded, so it
opens offline), the view's articles with titles, dates, outlets and URLs, the evidence behind
each tag, the link that reopens the view on the server, the export date and the data source.

`report_html` is pure (a `Report` in, text out); `gather` asks the reader for what a report
holds. Every value from the database is escaped: article text and source names are data, and
the file must not fetch anything when opened (links are shown, never loaded).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, export, key_dates
from dashboard.evidence import passage
from dashboard.geo.countries import country_name

REPORT_ARTICLES = 300      # rows in the report's article table (the file stays a few MB)
EVIDENCE_PER_TAG = 2       # passages shown per topic tag
PASSAGE_WIDTH = 160

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem auto;max-width:1200px;
     color:#222;padding:0 1rem}
h1{font-size:1.35rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.filters{color:#333;margin:.2rem 0 1rem}.note{color:#666;font-size:.85rem;margin:.2rem 0}
.numbers{display:flex;gap:2.5rem;margin:1rem 0}.numbers div{min-width:8rem}
.numbers .label{color:#555;font-size:.85rem}.numbers .value{font-size:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.86rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f2;position:sticky;top:0}td.date{white-space:nowrap}
.evidence{color:#444;font-size:.8rem;margin:.15rem 0}.evidence b{color:#b2182b;font-weight:600}
.url{word-break:break-all;color:#555;font-size:.78rem}
.link{word-break:break-all;font-family:ui-monospace,monospace;font-size:.8rem;background:#f6f6f4;
      padding:.4rem;border:1px solid #ddd}
"""


@dataclass(frozen=True)
class Report:
    """Everything a report shows, already fetched."""

    title: str
    sentence: str               # state.describe of the view
    link: str                   # the share link that reopens the view on the server
    credit: export.Credit
    numbers: list[tuple[str, str]]          # (label, value) headline numbers as on the page
    total: int                              # articles in the view
    articles: pd.DataFrame                  # published_at, source, title, url, place, topics
    evidence: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    figure: go.Figure | None = None
    stem: str = "report"
    key_dates: list[str] = field(default_factory=list)     # the key dates drawn on the chart


def _e(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _numbers(report: Report) -> str:
    cells = "".join(f'<div><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div></div>'
                    for label, value in report.numbers)
    return f'<div class="numbers">{cells}</div>'


def _evidence_html(items: list[tuple[str, list[str]]]) -> str:
    out = []
    for label, passages in items:
        for text in passages:
            out.append(f'<p class="evidence"><b>{_e(label)}</b>: {_e(text)}</p>')
    return "".join(out)


def _table(report: Report) -> str:
    rows = []
    for row in report.articles.itertuples(index=False):
        published = pd.Timestamp(row.published_at).date().isoformat() if pd.notna(row.published_at) else "undated"
        url = _e(row.url)
        rows.append(
            "<tr>"
            f'<td class="date">{published}</td><td>{_e(row.source)}</td>'
            f"<td>{_e(row.title)}"
            + (f'<div class="url">{url}</div>' if url else "")
            + _evidence_html(report.evidence.get(row.article_id, []))
            + f"</td><td>{_e(row.place)}</td><td>{_e(row.topics)}</td></tr>")
    shown = len(report.articles)
    count = export.count_words(report.total, "article")
    if shown < report.total:
        head = f"The first {shown:,} of {count} (newest first); the dashboard lists them all."
    else:
        head = f"{count[0].upper() + count[1:]}."
    return (f'<p class="note">{_e(head)} Each tag is followed by the sentence that triggered it.</p>'
            "<table><thead><tr><th>Date</th><th>Outlet</th><th>Title, URL and evidence</th>"
            "<th>Place</th><th>Topics</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def report_html(report: Report) -> str:
    """The report as one HTML document that needs no network: plotly.js is embedded and the
    article URLs are text with a link, never loaded."""
    chart = ""
    if report.figure is not None:
        chart = report.figure.to_html(include_plotlyjs=True, full_html=False,
                                      config=export.plotly_config(report.stem), default_width="100%")
    if report.key_dates:
        chart += ('<p class="note">Key dates on the chart (dotted lines): '
                  + "; ".join(_e(line) for line in report.key_dates) + ".</p>")
    notes = "".join(f'<p class="note">{_e(line)}</p>' for line in report.credit.lines())
    # the title is the filter sentence already; say it again only when it is not, and put the
    # source and the synthetic-data note where a reader starts, not only after 300 articles
    filters = ("" if report.sentence in report.title
               else f'<p class="filters">Filters: {_e(report.sentence)}</p>\n')
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        # Nothing in the file may reach out: no fetch, image, font or frame from anywhere else.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:\">\n"
        f"<title>{_e(report.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{_e(report.title)}</h1>\n{filters}{notes}\n"
        f"{_numbers(report)}\n{chart}\n"
        f"<h2>Articles</h2>\n{_table(report)}\n"
        "<h2>Open this view in the dashboard</h2>\n"
        f'<p class="link">{_e(report.link)}</p>\n{notes}\n</body>\n</html>\n')


def evidence_by_article(rows: pd.DataFrame, labels: dict[str, str]) -> dict[str, list[tuple[str, list[str]]]]:
    """queries.topic_evidence rows -> {article_id: [(topic label, [passage, ...]), ...]}."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for row in rows.itertuples(index=False):
        passages = []
        for item in list(row.evidence)[:EVIDENCE_PER_TAG]:
            text = {"title": row.title, "caption": row.caption, "body": row.body}.get(item["field"]) or ""
            cut = passage(text, int(item["start"]), int(item["end"]), PASSAGE_WIDTH)
            if cut and cut not in passages:
                passages.append(cut)
        out.setdefault(row.article_id, []).append((labels.get(row.topic_id, row.topic_id), passages))
    return out


def _place(place, code) -> str:
    """'Aleppo, Syria'; either part alone when the other is missing (NULLs arrive as NaN)."""
    parts = [place if isinstance(place, str) else "",
             country_name(code) if isinstance(code, str) and code else ""]
    return ", ".join(p for p in parts if p)


def gather(ctx, link: str, credit: export.Credit) -> Report:
    """What the current view's report holds, from the page context's reader."""
    f = ctx.filters
    trend = ctx.reader.topic_trend(f)
    spikes = ctx.reader.spikes(f)
    shown = tuple(dict.fromkeys(trend["topic_id"])) if len(trend) else ()
    sentence = ctx.describe(f.replace(topics=shown) if not f.topics else f)
    if not f.topics and len(shown) > 1:   # as the page's chart title says it
        sentence += f" (the {len(shown)} most frequent topics)"
    h = ctx.reader.headline(f)
    unit = "Articles" if f.copies else "Unique stories"
    numbers = [(unit, f"{h['n']:,}")]
    if h["prev_n"] is not None:
        change = f" ({h['change_pct']:+.0f}%)" if h["change_pct"] is not None else ""
        numbers.append(("Previous period of equal length", f"{h['prev_n']:,}{change}"))
    numbers += [("Sources", f"{h['sources']:,}"), ("Surges", f"{len(spikes):,}")]
    figure = None
    if not trend.empty:
        figure = charts.trend_figure(trend, spikes, ctx.labels, ctx.colours, f.metric, f.grain, f.smooth,
                                     title=sentence, footer=credit.footer())
    marked = key_dates.on_chart(figure, ctx, trend["period"]) if figure is not None else []
    page = ctx.reader.articles_page(f.replace(sort="newest"), REPORT_ARTICLES, 0)
    total = ctx.reader.article_count(f)
    ids = tuple(page["article_id"])
    evidence = evidence_by_article(ctx.reader.topic_evidence(ids), ctx.labels) if ids else {}
    articles = pd.DataFrame({
        "article_id": page["article_id"], "published_at": page["published_at"],
        "source": page["source"], "title": page["title"],
        "url": ctx.reader.article_urls(ids).reindex(page["article_id"]).to_numpy() if ids else [],
        "place": [_place(place, code) for place, code in zip(page["place"], page["country"])],
        "topics": [ctx.topic_list(t) for t in page["topics"]],
    })
    stem = export.file_stem("report", f, ctx.labels, ctx.names, topics=shown)
    return Report(title=f"Report: {sentence}", sentence=sentence, link=link, credit=credit,
                  numbers=numbers, total=int(total), articles=articles, evidence=evidence,
                  figure=figure, stem=stem, key_dates=marked)
