"""Streamlit's page (its index.html) served with scripts of the dashboard in its <head>.

Why: a script the app sends with a run (`st.html`) is placed on the page when React commits its
element, and React commits each element once that element's own code has arrived, in no fixed
order. A script that must run before any chart is drawn (dashboard/lazy.py) can therefore come
too late, as seen under load. A script in the page's <head> runs before Streamlit's own code
is even loaded.

How: Streamlit's static route takes its folder from `streamlit.file_util.get_static_dir()` when
the server starts. `serve_with` makes a folder of links to every file of that folder but
index.html, writes index.html there with the scripts after `<head>`, and points
`get_static_dir` at it. It must run before the server starts (`python -m dashboard` does). If
Streamlit's page has no `<head>` (another Streamlit version), nothing is changed and the scripts
come with the runs as before.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

from streamlit import file_util

_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def with_scripts(page: str, scripts: str) -> str | None:
    """`page` with `scripts` right after its <head> tag, or None if it has none."""
    m = _HEAD.search(page)
    if m is None:
        return None
    return page[:m.end()] + "\n" + scripts + "\n" + page[m.end():]


def serve_with(scripts: str) -> Path | None:
    """Serve Streamlit's page with `scripts` in its <head>; the folder served, or None when the
    page could not be changed (then Streamlit's own folder is served)."""
    source = Path(file_util.get_static_dir())
    index = source / "index.html"
    try:
        page = with_scripts(index.read_text(encoding="utf-8"), scripts)
    except OSError:
        return None
    if page is None:
        return None
    try:
        folder = Path(tempfile.mkdtemp(prefix="conflict-trends-page-"))
    except OSError:
        return None
    try:
        for entry in source.iterdir():
            if entry.name != "index.html":
                os.symlink(entry, folder / entry.name, target_is_directory=entry.is_dir())
        (folder / "index.html").write_text(page, encoding="utf-8")
    except OSError:
        # no symbolic links on this file system, or a full disk: the lazy charts' script still
        # comes with the runs, so the dashboard is served as Streamlit ships it
        shutil.rmtree(folder, ignore_errors=True)
        return None
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    served = str(folder)
    file_util.get_static_dir = lambda: served
    return folder
