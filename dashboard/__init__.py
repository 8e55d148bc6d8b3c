"""The Streamlit dashboard: reads a conflict-trends DuckDB snapshot read-only and never imports etl/."""
