"""`python -m dashboard [streamlit options]`: serve the dashboard (dashboard/app.py) with its
origin check kept on this machine (dashboard/origin.py) from the very first request, the lazy
charts' script in the served page's <head> (dashboard/page_head.py), warming the snapshot and
the default view's queries meanwhile (dashboard/warm.py).

Example:
    python -m dashboard --server.port 8501
"""
from __future__ import annotations

import sys
from pathlib import Path

from streamlit.web import cli

from dashboard import lazy, page_head, warm
from dashboard.origin import keep_origin_check_offline
from dashboard.pages import trends_sources

APP = Path(__file__).resolve().parent / "app.py"


def main(argv: list[str]) -> None:
    keep_origin_check_offline()
    page_head.serve_with(lazy.script(trends_sources.CHART_KEY))
    warm.start()
    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main(sys.argv[1:])
