"""ETL for the conflict reporting trends dashboard: raw inputs -> DuckDB article metadata."""

__version__ = "0.1.0"
