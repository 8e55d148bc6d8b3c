"""Data page: what is in this snapshot and how it got there — ingest runs, errors with their
reasons, articles per source and input format, undated articles. Ignores the sidebar filters."""
from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.pages import PageContext


def render_ingest_log(reader) -> None:
    """Runs and errors: shown here and, for an empty database, under the 'load data' message."""
    st.subheader("Ingest runs")
    runs = reader.plain("ingest_runs")
    if runs.empty:
        st.caption("No ingest has run against this database yet.")
    else:
        st.dataframe(runs, hide_index=True, key="runs_table")
    errors = reader.plain("ingest_errors")
    st.subheader(f"Errors ({len(errors):,})")
    if errors.empty:
        st.caption("No input failed.")
    else:
        kinds = errors["error_kind"].value_counts()
        st.caption(" · ".join(f"{k}: {n:,}" for k, n in kinds.items()))
        st.dataframe(errors, hide_index=True, key="errors_table",
                     column_config={"reason": st.column_config.TextColumn("reason", width="large")})


def render(ctx: PageContext) -> None:
    reader = ctx.reader
    meta = ctx.options.get("meta", {})
    by_source = reader.plain("counts_by_source")
    by_format = reader.plain("counts_by_format")
    n_undated, undated = reader.plain("undated_articles")
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
            st.plotly_chart(charts.bar_figure(top, "articles", "source",
                                              height=max(220, 22 * len(top) + 40)),
                            key="source_chart", config=charts.PLOTLY_CONFIG)
        st.dataframe(by_source, hide_index=True, key="source_table", height=260)
    with right:
        st.subheader("Articles by input format")
        st.dataframe(by_format, hide_index=True, key="format_table")
        st.subheader(f"Undated articles ({n_undated:,})")
        if n_undated:
            st.dataframe(undated, hide_index=True, key="undated_table", height=260)
            if n_undated > len(undated):
                st.caption(f"First {len(undated):,} shown.")
        else:
            st.caption("Every article has a publication date.")
    render_ingest_log(reader)
