"""Articles page: the filtered articles as a sortable, paged table, CSV export of every row, and
the drilldown of one article with its evidence highlighted, duplicates and provenance.

With a keyword the articles come best match first (or in the Sort order, by a toggle), each
with its best passage, and the drilldown marks the query's words too."""
from __future__ import annotations

import html
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import export, session
from dashboard.evidence import (KEYWORD_STYLE, PERSON_COLOUR, PLACE_COLOUR, highlight, keyword_marks,
                                marks_for, passage, snippet_markdown)
from dashboard.geo.countries import country_name
from dashboard.pages import PageContext, view_panel
from dashboard.state import SORTS, TABS
from dashboard.text import as_text

PAGE_SIZE = 50
SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "title": "Title A–Z",
               "source": "Source A–Z"}
TEXT_CSS = ("font-family: Georgia, 'Times New Roman', serif; font-size: 1.02rem; line-height: 1.6; "
            "white-space: pre-wrap; overflow-wrap: anywhere;")


def _table_key() -> str:
    # a new key after closing an article clears the table's row selection
    return f"article_table_{st.session_state.get('article_table_gen', 0)}"


def _select_article(ids: list[str]) -> None:
    rows = st.session_state[_table_key()].selection.rows
    if rows:
        session.update(article=ids[rows[0]])


def _close_article() -> None:
    session.update(article="")
    st.session_state["article_table_gen"] = st.session_state.get("article_table_gen", 0) + 1


def _open(article_id: str) -> None:
    session.update(article=article_id)


def passages(rows: pd.DataFrame, offset: int) -> None:
    """Each listed article with its best passage for the keyword, and a button to read it."""
    for i, row in enumerate(rows.itertuples(index=False)):
        with st.container(key=f"hit_{offset + i}"):
            when = f"{row.published_at:%d %b %Y}" if pd.notna(row.published_at) else "undated"
            head, button = st.columns([8, 1])
            head.markdown(f"**{as_text(row.title or '(no title)')}**  \n"
                          f":gray[{as_text(when)} · {as_text(row.source or 'unknown source')}]")
            button.button("Read", key=f"read_{offset + i}", on_click=_open, args=(row.article_id,),
                          type="tertiary")
            if row.snippet_html:
                # escaped by the search module; the only tags are <mark>
                st.markdown(snippet_markdown(row.snippet_html), unsafe_allow_html=True)


def place_label(place, country) -> str:
    """'Beirut, Lebanon' / 'Beirut' / 'Lebanon' / '' (missing values never print as 'nan')."""
    place = place if isinstance(place, str) and place else ""
    name = country_name(country) if isinstance(country, str) and country else ""
    return ", ".join(x for x in (place, name) if x)


def _table_page(ctx: PageContext, pages: int):
    """The view with its table page inside 1..pages; a page past the end (an old link, fewer
    articles now) shows the last page, with a notice."""
    f = ctx.filters
    if f.table_page <= pages:
        return f
    st.warning(as_text(f"Page {f.table_page:,} of the article table does not exist here; "
                       f"showing the last page, {pages:,}."), icon=":material/warning:")
    f = f.replace(table_page=pages)
    st.session_state["f_table_page"] = pages
    session.commit(f)
    ctx.filters = f
    return f


def _step_page(by: int, pages: int) -> None:
    """Previous / Next: the page number box holds the table's page, so the buttons move it."""
    page = int(st.session_state.get("f_table_page") or 1)
    st.session_state["f_table_page"] = min(max(1, page + by), pages)


def pager(page: int, pages: int) -> None:
    """'‹ Previous  Page 2 of 14 · 50 per page  [go to page]  Next ›' under the table."""
    prev_col, text_col, box_col, next_col = st.columns([1, 1.8, 1.2, 1], vertical_alignment="bottom")
    prev_col.button("‹ Previous", key="page_prev", on_click=_step_page, args=(-1, pages),
                    disabled=page <= 1, width="stretch")
    text_col.markdown(f"Page **{page:,}** of **{pages:,}** · {PAGE_SIZE} per page")
    box_col.number_input("Go to page", min_value=1, max_value=pages, step=1, key="f_table_page")
    next_col.button("Next ›", key="page_next", on_click=_step_page, args=(1, pages),
                    disabled=page >= pages, width="stretch")


def table(ctx: PageContext) -> None:
    f = ctx.filters
    total = ctx.reader.article_count(f)
    pages = max(1, -(-total // PAGE_SIZE))
    f = _table_page(ctx, pages)
    ranked = ctx.searching and session.ranked()
    # the view's sentence is the heading; the count is its own line under it
    st.subheader(as_text(ctx.describe(grain="")), anchor=False)
    c1, c2, c4 = st.columns([2.2, 1.2, 1.4], vertical_alignment="center")
    unit = ("article", "articles") if f.copies else ("unique story", "unique stories")
    c1.container(key="article_count").markdown(f"**{total:,}** {unit[0] if total == 1 else unit[1]}"
                + ("" if f.copies else " (syndicated copies counted once)"))
    with c2:
        if ctx.searching:
            st.toggle("Best matches first", key=session.RANK_KEY,
                      help="On: the articles that match the keyword best come first (words in the "
                           "title count double). Off: the Sort order below (newest first unless changed).")
        st.selectbox("Sort", list(SORTS), key="f_sort", format_func=SORT_LABELS.get,
                     label_visibility="collapsed", disabled=ranked)
    export.articles_download(ctx, total, c4)   # the CSV is built in dashboard/export.py
    if total == 0:
        st.info("No articles match these filters.")
        return
    offset = (f.table_page - 1) * PAGE_SIZE
    rows = ctx.reader.articles_page(f, PAGE_SIZE, offset, "relevance" if ranked else "")
    shown = pd.DataFrame({
        "Date": rows["published_at"].dt.date,
        "Title": rows["title"],
        "Source": rows["source"],
        "Place": [place_label(p, c) for p, c in zip(rows["place"], rows["country"])],
        "Topics": [ctx.topic_list(t) for t in rows["topics"]],
    })
    export.hide_table_download("article_table")   # the full CSV is the button above
    grid = partial(st.dataframe, shown, hide_index=True, key=_table_key(),
                   on_select=partial(_select_article, list(rows["article_id"])), selection_mode="single-row",
                   column_config={"Title": st.column_config.TextColumn(width="large"),
                                  "Topics": st.column_config.TextColumn(width="medium")})
    if ctx.searching:
        by_passage, by_table = st.tabs([session.TAB_LABELS[t] for t in TABS], key=session.TAB_KEY,
                                       on_change="rerun")
        with by_passage:
            passages(rows, offset)
        with by_table:
            grid()
    else:
        grid()
    order = "best match first" if ranked else SORT_LABELS.get(f.sort, "").lower()
    st.caption(f"Rows {offset + 1:,}–{offset + len(rows):,} of {total:,}, {order}. "
               "Select a row to read the article.")
    pager(f.table_page, pages)


def _evidence_table(df: pd.DataFrame, art: dict) -> list[str]:
    """Per row, the passages that triggered it (cut from the article text at the offsets)."""
    def text_of(e) -> str:
        field = e["field"] if e["field"] in ("title", "caption", "body") else "body"
        return passage(art.get(field) or "", int(e["start"]), int(e["end"])) or e["text"]
    return ["; ".join(dict.fromkeys(text_of(e) for e in (ev if ev is not None else [])))
            for ev in df["evidence"]]


def detail(ctx: PageContext, article_id: str) -> None:
    art = ctx.reader.article_detail(article_id)
    if art is None:
        return
    with st.container(border=True, key="article_detail"):
        top_l, top_r = st.columns([6, 1])
        top_r.button("Close ✕", key="close_article", on_click=_close_article)
        spans = (ctx.reader.keyword_highlights(article_id, ctx.filters.q) if ctx.searching
                 else {})

        def marks(field: str):
            return (marks_for(field, art["topics"], art["places"], art["entities"], ctx.colours, ctx.labels)
                    + keyword_marks(spans.get(field), ctx.filters.q))

        title_marks = marks("title")
        with top_l:
            st.html(f'<h2 style="margin:0 0 .3rem 0">{highlight(art["title"] or "(no title)", title_marks)}</h2>')
        when = (f"{art['published_at']:%d %b %Y}" if art["published_at"] is not None else "undated")
        facts = [
            ("Date", f"{when} (precision: {art['date_precision'] or 'unknown'}; from {art['date_source']})"),
            ("Outlet", art["source"] or "unknown"),
            ("Author", art["author"] or "—"),
            ("Dateline", f"{art['dateline'] or '—'}"
                         + (f" → {art['dateline_place']}, {country_name(art['dateline_country'])}"
                            if art["dateline_place"] else "")),
            ("About", ", ".join(x for x in [art["primary_region"], country_name(art["primary_country"])
                                            if art["primary_country"] else None] if x) or "—"),
            ("Words", f"{art['word_count']:,} · language {art['language'] or '?'}"),
        ]
        cells = "".join(f'<tr><th style="text-align:left;padding:2px 14px 2px 0;color:#666;font-weight:500">'
                        f'{k}</th><td style="padding:2px 0">{html.escape(str(v))}</td></tr>' for k, v in facts)
        st.html(f'<table style="border:none;font-size:.92rem">{cells}</table>')
        if art["url"]:
            st.caption("Original URL")
            st.code(art["url"], language=None, wrap_lines=True)
        legend = ((f'<span style="{KEYWORD_STYLE}">&nbsp;keyword&nbsp;</span> ' if spans else "")
                  + f'<span style="background:{PLACE_COLOUR}">&nbsp;place&nbsp;</span> '
                  f'<span style="background:{PERSON_COLOUR}">&nbsp;person / organisation&nbsp;</span> '
                  + " ".join(f'<span style="border-bottom:2px solid {ctx.colours.get(t, "#999")}">'
                             f'&nbsp;{highlight(ctx.topic_label(t), [])}&nbsp;</span>'
                             for t in art["topics"]["topic_id"]))
        st.html(f'<div style="font-size:.85rem;color:#555">Highlighted evidence: {legend}</div>')
        if art["caption"]:
            cap_marks = marks("caption")
            st.html(f'<div style="{TEXT_CSS} font-style:italic;color:#444;border-left:3px solid #ccc;'
                    f'padding-left:.6rem">Photo caption: {highlight(art["caption"], cap_marks)}</div>')
        body_marks = marks("body")
        st.html(f'<div class="article-body" style="{TEXT_CSS}">{highlight(art["body"], body_marks)}</div>')

        t1, t2, t3, t4 = st.tabs(["Topics", "Places", "People and organisations",
                                  f"Duplicates and provenance ({len(art['cluster'])} copies)"])
        with t1:
            topics = art["topics"]
            st.dataframe(pd.DataFrame({"Topic": [ctx.topic_label(t) for t in topics["topic_id"]],
                                       "Score": topics["score"].round(2), "Matches": topics["n_matches"],
                                       "Evidence": _evidence_table(topics, art)}),
                         hide_index=True, key="detail_topics")
        with t2:
            places = art["places"]
            st.dataframe(pd.DataFrame({"Place": places["name"], "Kind": places["kind"],
                                       "Country": [country_name(c) for c in places["country_code"]],
                                       "Region": places["region"], "Role": places["role"],
                                       "Mentions": places["n_mentions"]}),
                         hide_index=True, key="detail_places")
        with t3:
            ents = art["entities"]
            st.dataframe(pd.DataFrame({"Name": ents["name"], "Kind": ents["kind"], "Title": ents["title"],
                                       "Mentions": ents["n_mentions"]}),
                         hide_index=True, key="detail_entities")
        with t4:
            cluster = art["cluster"]
            role = "the cluster's primary (counted)" if art["is_primary"] else "a copy (not counted as a unique story)"
            st.caption(as_text(f"This article is {role}; cluster {art['dup_cluster']}."))
            if len(cluster):
                st.dataframe(pd.DataFrame({"Date": cluster["published_at"], "Source": cluster["source"],
                                           "Title": cluster["title"], "Primary": cluster["is_primary"],
                                           "URL": cluster["url"], "id": cluster["article_id"]}),
                             hide_index=True, key="detail_cluster")
            else:
                st.caption("No near-duplicates or syndicated copies.")
            st.markdown("**Provenance** — every input this exact text was read from")
            prov = art["provenance"]
            st.dataframe(pd.DataFrame({"Input file": prov["input_path"], "Item": prov["item"],
                                       "Format": prov["input_format"], "URL": prov["url"],
                                       "First run": prov["first_run_id"], "Last run": prov["last_run_id"],
                                       "Run started": prov["first_run_started"]}),
                         hide_index=True, key="detail_provenance")
            run = art["first_run"]
            if run:
                st.caption(as_text(f"First loaded by run {run['run_id']} ({run['command']}, {run['status']}, "
                                   f"{run['started_at']:%Y-%m-%d %H:%M}); last changed by run "
                                   f"{art['last_run_id']}."))


# Scrolls the page to the top of the article just opened (from the table further down, the
# page would otherwise stay where it was: mid-article). A constant: no data goes into it.
SCROLL_TO_ARTICLE = """<script>
(() => {
  const go = (tries) => {
    const el = document.querySelector('.st-key-article_detail');
    if (el) { el.scrollIntoView({block: 'start'}); }
    else if (tries > 0) { setTimeout(() => go(tries - 1), 50); }
  };
  setTimeout(() => go(40), 0);
})();
</script>"""


def render(ctx: PageContext) -> None:
    article = ctx.filters.article
    if article:
        detail(ctx, article)
        if st.session_state.get("scrolled_to") != article:
            st.session_state["scrolled_to"] = article
            st.html(SCROLL_TO_ARTICLE, unsafe_allow_javascript=True)
    else:
        st.session_state.pop("scrolled_to", None)
    view_panel.render(ctx, "articles", expanded=False)
    table(ctx)
