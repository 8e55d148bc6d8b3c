"""Where the ETL's files are: the database (and the environment variable that names it), the
contract and taxonomy files shipped with the code, and the search index beside a database.

`CONFLICT_TRENDS_DB` is part of the contract with the dashboard (etl/schema.sql says so); the
dashboard reads it with its own code, as it imports nothing from etl/.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DB_ENV_VAR = "CONFLICT_TRENDS_DB"
DEFAULT_DB = "data/conflict.duckdb"      # relative to the working directory, as the Makefile uses it

SCHEMA = PACKAGE / "schema.sql"          # the database contract
TAXONOMY = PACKAGE / "taxonomy.toml"     # topics, editable by users
# etl/data/ (the gazetteer built at install, people.toml) is read by the extractors that own
# those files (etl/gazetteer.py, etl/extract/people.py, places.py), each naming its own file


def default_db() -> str:
    """The database a command uses when --db is not given: $CONFLICT_TRENDS_DB, else DEFAULT_DB."""
    return os.environ.get(DB_ENV_VAR, DEFAULT_DB)


def index_parent(db: Path) -> Path:
    """The folder holding a database's full-text index directories: `<db file>.index/`."""
    db = Path(db).resolve()
    return db.with_name(db.name + ".index")
