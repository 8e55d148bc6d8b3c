"""Shared fixtures: where the read-only shared corpus lives, and skipping cleanly without it."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("CONFLICT_TRENDS_SHARED", ROOT.parent / "shared"))


def shared_path(relative: str) -> Path:
    """Return a path inside ../shared, or skip the calling test with a clear message."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared corpus not found: {path} (place the shared folder beside the project)")
    return path


@pytest.fixture
def shared():
    return shared_path


def run_etl(*args: str, db: Path, env: dict | None = None, check: bool = True):
    """Run the real ETL CLI in a subprocess (as a user would) against database `db`."""
    import os
    import subprocess
    import sys

    full_env = dict(os.environ, CONFLICT_TRENDS_DB=str(db), PYTHONPATH=str(ROOT))
    full_env.update(env or {})
    proc = subprocess.run([sys.executable, "-m", "etl", *args, "--db", str(db)],
                          cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"etl {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A DuckDB snapshot built by the real ETL from the bundled sample corpus (built once per session)."""
    db = tmp_path_factory.mktemp("sample") / "conflict.duckdb"
    run_etl("ingest", str(ROOT / "data" / "sample"), db=db)
    return db


@pytest.fixture
def empty_db(tmp_path) -> Path:
    """A DuckDB snapshot with the schema and topics but no articles."""
    db = tmp_path / "empty.duckdb"
    run_etl("init", db=db)
    return db


# -- real Chromium, shared by the browser test modules ----------------------------------------

@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (skips where either is missing)."""
    from tests.browser_app import chromium, require_browser
    with chromium(require_browser()) as b:
        yield b


@pytest.fixture
def visit(browser):
    """A fresh page in its own browser context (tests.browser_app.Visit), closed after the test."""
    from tests.browser_app import Visit
    with Visit(browser) as v:
        yield v


# The longest modules, started first, longest first: with whole files per worker (--dist
# loadfile, and --no-loadscope-reorder in the Makefile, else xdist sends the files with most
# tests first), a long file collected late runs alone at the end while the other workers idle.
LONGEST_FIRST = ("tests/test_browser_walk.py", "tests/test_ingest.py", "tests/test_hostile.py",
                 "tests/test_readers.py", "tests/test_browser_journeys.py", "tests/test_browser_timeline.py",
                 "tests/test_browser.py")


def pytest_collection_modifyitems(config, items):
    first = {name: rank for rank, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: first.get(item.nodeid.split("::")[0], len(first)))
