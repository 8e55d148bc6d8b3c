"""Reported figures page: people reported killed, or reported to have defected, per period;
defections by rank and destination; and, for a clicked bar, the stories and sentences its
number came from, highlighted.

Double counting is handled by the rule in dashboard/queries/figures.py,
stated under each chart: a story's copies count once, and stories of the same day and place
count as one event whose largest figure counts, not their sum."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, key_dates, periods, session
from dashboard.charts import PLOTLY_CONFIG
from dashboard.charts import figures as figure_charts
from dashboard.evidence import Mark, highlight
from dashboard.geo.countries import country_name
from dashboard.pages import PageContext
from dashboard.text import as_text

MEASURES = {"killed": "People reported killed", "defected": "People reported to have defected"}
STORIES_SHOWN = 40
SENTENCE_COLOUR = "#e45756"
KILLED_RULE = ("Counted: each story's main event (tolls over a period such as “since 2011” left out); "
               "copies of one story once; stories published the same day about the same place are one "
               "event, and the largest figure among them counts, not their sum. Vague numbers are "
               "their smallest reading (“dozens” = 24, “scores” = 40, “hundreds” = 200).")
DEFECTED_RULE = ("Counted: defections reported as news (recaps such as “some 40 generals since 2011” "
                 "left out); copies of one story once; a named person once (the largest report); "
                 "unnamed groups are one event per day, place, rank and destination, the largest "
                 "figure counting, not the sum. “Dozens” = 24, “hundreds” = 200.")
# number words and digits inside an evidence sentence, marked on top of the sentence's mark
_NUMBER = re.compile(r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                     r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|dozens?|scores)\b",
                     re.IGNORECASE)


def _read(article_id: str) -> None:
    session.update(article=article_id, page="articles")


def sentence_html(text: str, label: str) -> str:
    """The evidence sentence, escaped, marked as evidence, its numbers marked again."""
    marks = [Mark(0, len(text), label, SENTENCE_COLOUR)]
    marks += [Mark(m.start(), m.end(), label, SENTENCE_COLOUR, keyword=True) for m in _NUMBER.finditer(text)]
    return highlight(text, marks)


def figure_text(row, kind: str) -> str:
    if kind == "killed":
        parts = [f"{int(row.killed):,} killed"]
        for column, word in (("civilians_killed", "civilians"), ("children_killed", "children"),
                             ("women_killed", "women"), ("combatants_killed", "combatants")):
            value = getattr(row, column)
            if pd.notna(value):
                parts.append(f"{int(value):,} {word}")
        text = ", ".join(parts)
    else:
        who = row.person or (row.rank or "people")
        text = f"{int(row.count):,} defected: {who}" + (f", {row.rank}" if row.person and row.rank else "")
        if isinstance(row.destination, str):
            text += f", to {country_name(row.destination)}"
    return text + (" (approximate)" if row.approximate else "")


def evidence_list(ctx: PageContext, kind: str, start: date) -> None:
    end = periods.end(start, ctx.filters.grain)
    rows = ctx.reader.figure_evidence(ctx.filters, kind, start, end)
    st.subheader(f"Behind the {periods.label(pd.Timestamp(start), ctx.filters.grain)} figure")
    if rows.empty:
        st.caption("No reported figures in that period.")
        return
    counted = int(rows["counted"].sum())
    st.caption(f"{len(rows):,} stor{'ies' if len(rows) != 1 else 'y'} report figures; {counted:,} "
               "count toward the bar (the others repeat an event a larger report already covers).")
    for i, row in enumerate(rows.head(STORIES_SHOWN).itertuples(index=False)):
        with st.container(border=True, key=f"figure_story_{i}"):
            head, button = st.columns([8, 1])
            status = ("counted" if row.counted else
                      "not counted: same event as a larger report" if kind == "killed"
                      else "not counted: same defection as a larger report")
            head.markdown(f"**{as_text(figure_text(row, kind))}** · :gray[{status}]  \n"
                          f"{as_text(row.title or '(no title)')}  \n"
                          f":gray[{row.day:%d %b %Y} · {as_text(row.source or 'unknown source')}"
                          f"{' · ' + as_text(row.place) if isinstance(row.place, str) else ''}]")
            button.button("Read", key=f"figure_read_{i}", on_click=_read, args=(row.article_id,),
                          help="Open the article on the Articles page.")
            label = figure_text(row, kind)
            for ev in row.evidence if row.evidence is not None else []:
                st.html(f'<div class="figure-evidence" style="line-height:1.6">'
                        f'<span style="color:#888">{ev["field"]}:</span> {sentence_html(ev["text"], label)}</div>')
    if len(rows) > STORIES_SHOWN:
        st.caption(f"First {STORIES_SHOWN} of {len(rows):,} stories.")


def render(ctx: PageContext) -> None:
    f = ctx.filters
    if not ctx.reader.has_figures():
        st.info("This database was written before reported figures existed. Upgrade it in place "
                "(the figures are read from the stored text) with: `python -m etl init --db PATH`.")
        return
    c1, c2 = st.columns([1.4, 1])
    if "fig_measure" not in st.session_state:
        st.session_state["fig_measure"] = "killed"
    c1.segmented_control("Reported figure", list(MEASURES), key="fig_measure", format_func=MEASURES.get,
                         required=True)
    c2.segmented_control("Granularity", list(periods.GRAINS), key="f_grain", format_func=periods.CONTROL_LABEL.get,
                         required=True)
    kind = st.session_state["fig_measure"]
    caption = MEASURES[kind] + ", " + ctx.describe(metric="count").split(", ", 1)[-1]
    if kind == "killed":
        trend = ctx.reader.reported_killed(f)
        total = int(trend["killed"].sum()) if len(trend) else 0
    else:
        trend = ctx.reader.reported_defections(f)
        total = int(trend["defected"].sum()) if len(trend) else 0
    m1, m2, m3 = st.columns(3)
    m1.metric(MEASURES[kind], f"{total:,}")
    m2.metric("Events counted", f"{int(trend['events'].sum()) if len(trend) else 0:,}")
    m3.metric("Stories reporting them", f"{int(trend['stories'].sum()) if len(trend) else 0:,}")
    if trend.empty:
        st.info("No reported figures in the articles these filters select.")
        return
    figure = (figure_charts.killed_figure(trend, f.grain, title=caption) if kind == "killed"
              else figure_charts.defected_figure(trend, f.grain, title=caption))
    marked = key_dates.on_chart(figure, ctx, trend["period"])
    event = charts.show(st, figure, key=f"figures_chart_{kind}", on_select="rerun", selection_mode="points",
                            config=PLOTLY_CONFIG)
    st.caption(as_text(caption) + ". " + (KILLED_RULE if kind == "killed" else DEFECTED_RULE)
               + " Click a bar to read the sentences behind it."
               + (" Dotted lines mark key dates (hover a label for the date and place)." if marked else ""))
    st.download_button("Chart data as CSV", data=trend.to_csv(index=False), file_name=f"reported-{kind}.csv",
                       mime="text/csv", key="dl_figures_csv")
    if kind == "defected":
        left, right = st.columns(2)
        by_rank = ctx.reader.defections_by(f, "rank")
        by_dest = ctx.reader.defections_by(f, "destination")
        charts.show(left, figure_charts.breakdown_figure(by_rank, "By rank"), key="defections_by_rank",
                          config=PLOTLY_CONFIG)
        names = {v: country_name(v) for v in by_dest["value"] if isinstance(v, str)}
        charts.show(right, figure_charts.breakdown_figure(by_dest, "By destination", names),
                           key="defections_by_destination", config=PLOTLY_CONFIG)
    points = event.selection.points if event and event.selection else []
    if points and points[0].get("customdata"):
        evidence_list(ctx, kind, date.fromisoformat(points[0]["customdata"][1]))
