"""Data page: what is in this snapshot and how it got there — ingest runs, errors with their
reasons, articles per source and input format, undated articles. Ignores the sidebar filters.

Tables are shown with plain-language column names and units ("1.4 s", not `seconds 1.3618`)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.export import count_words
from dashboard.pages import PageContext

FORMAT_NAMES = {"archive_text": "Archive text pages", "html": "HTML pages", "feed": "RSS/Atom feeds",
                "csv": "CSV", "jsonl": "JSON Lines", "json": "JSON documents", "parquet": "Parquet"}
DATE_SOURCE_NAMES = {"metadata": "page metadata", "text": "article text", "sidecar": "dates file",
                     "none": "none found"}
RUN_COLUMNS = {"run_id": "Run", "command": "Command", "status": "Status", "started_at": "Started",
               "duration": "Duration", "inputs": "Inputs", "n_inputs": "Input files",
               "n_skipped_unchanged": "Files skipped (unchanged)", "n_read": "Articles read",
               "n_new": "New", "n_updated": "Updated", "n_unchanged": "Unchanged",
               "n_duplicates": "Exact duplicates", "n_failed": "Failed"}


def duration(seconds) -> str:
    """1.3618 -> '1.4 s'; 125.2 -> '2 min 5 s'; 3725 -> '1 h 2 min'; missing -> '—'."""
    if seconds is None or pd.isna(seconds):
        return "—"
    s = float(seconds)
    if s < 60:
        return f"{s:.1f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(round(s % 60))} s"
    return f"{int(s // 3600)} h {int(round(s % 3600 / 60))} min"


def runs_table(runs: pd.DataFrame) -> pd.DataFrame:
    shown = runs.assign(duration=[duration(v) for v in runs["seconds"]])
    return shown[[c for c in RUN_COLUMNS if c in shown.columns]].rename(columns=RUN_COLUMNS)


def errors_table(errors: pd.DataFrame) -> pd.DataFrame:
    return errors.rename(columns={"run_id": "Run", "input_path": "Input", "item": "Item",
                                  "error_kind": "Error", "reason": "Reason", "recorded_at": "Recorded"})


def sources_table(by_source: pd.DataFrame) -> pd.DataFrame:
    return by_source.rename(columns={"source": "Source", "articles": "Articles",
                                     "unique_stories": "Unique stories", "undated": "Undated",
                                     "first": "First article", "last": "Last article"})


def formats_table(by_format: pd.DataFrame) -> pd.DataFrame:
    out = by_format.rename(columns={"input_format": "Input format", "articles": "Articles",
                                    "unique_stories": "Unique stories", "input_files": "Input files"})
    out["Input format"] = [FORMAT_NAMES.get(v, v) for v in out["Input format"]]
    return out


def undated_table(undated: pd.DataFrame) -> pd.DataFrame:
    out = undated.rename(columns={"article_id": "Article id", "title": "Title", "source": "Source",
                                  "date_source": "Date looked for in", "input_format": "Input format",
                                  "input_path": "Input"})
    out["Date looked for in"] = [DATE_SOURCE_NAMES.get(v, v) for v in out["Date looked for in"]]
    out["Input format"] = [FORMAT_NAMES.get(v, v) for v in out["Input format"]]
    return out


TIME = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm:ss")


def render_ingest_log(reader) -> None:
    """Runs and errors: shown here and, for an empty database, under the 'load data' message."""
    st.subheader("Ingest runs")
    runs = reader.ingest_runs()
    if runs.empty:
        st.caption("No ingest has run against this database yet.")
    else:
        st.dataframe(runs_table(runs), hide_index=True, key="runs_table",
                     column_config={"Started": TIME, "Inputs": st.column_config.TextColumn(width="medium")})
        st.caption("Newest first. Exact duplicates: the same text read twice (one article, two "
                   "provenances). Files skipped: unchanged since an earlier run.")
    errors = reader.ingest_errors()
    st.subheader(f"Errors ({len(errors):,})")
    if errors.empty:
        st.caption("No input failed.")
    else:
        kinds = errors["error_kind"].value_counts()
        st.caption(" · ".join(f"{k}: {n:,}" for k, n in kinds.items()))
        st.dataframe(errors_table(errors), hide_index=True, key="errors_table",
                     column_config={"Reason": st.column_config.TextColumn(width="large"), "Recorded": TIME})


def render(ctx: PageContext) -> None:
    reader = ctx.reader
    meta = ctx.options.get("meta", {})
    by_source = reader.counts_by_source()
    by_format = reader.counts_by_format()
    n_undated, undated = reader.undated_articles()
    total = int(by_source["articles"].sum()) if len(by_source) else 0
    unique = int(by_source["unique_stories"].sum()) if len(by_source) else 0
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Articles", f"{total:,}")
    c2.metric("Unique stories", f"{unique:,}", help="One per duplicate cluster (syndicated copies count once).")
    c3.metric("Undated", f"{n_undated:,}", help="No publication date could be established; never guessed.")
    c4.metric("Snapshot", meta.get("snapshot_id", "?"),
              help=f"schema version {meta.get('schema_version', '?')}, created {meta.get('created_at', '?')}")
    st.caption("This page describes the whole snapshot; the sidebar filters do not apply here.")

    left, right = st.columns(2)
    with left:
        st.subheader("Articles by source")
        top = by_source.head(25)
        if len(top):
            charts.show(st, charts.bar_figure(top, "articles", "source",
                                              height=max(220, 22 * len(top) + 40)),
                            key="source_chart", config=charts.PLOTLY_CONFIG)
        st.dataframe(sources_table(by_source), hide_index=True, key="source_table", height=260)
    with right:
        st.subheader("Articles by input format")
        st.dataframe(formats_table(by_format), hide_index=True, key="format_table")
        st.subheader(f"Undated articles ({n_undated:,})")
        if n_undated:
            st.dataframe(undated_table(undated), hide_index=True, key="undated_table", height=260)
            if n_undated > len(undated):
                st.caption(f"The first {count_words(len(undated), 'article')} of {n_undated:,} are listed.")
        else:
            st.caption("Every article has a publication date.")
    render_ingest_log(reader)
