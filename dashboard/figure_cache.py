"""Built figures kept per view, process-wide: a page drawn again for a view it has already
shown (back to Trends after the map, another session on the same view, a rerun from a widget
that leaves the chart as it was) reuses the figure instead of building it again.

Why: building a chart and putting its key dates on it is the larger part of a Trends run once
the queries are cached (trend, sources over time and key dates ~0.1–0.3 s of a ~0.25–0.5 s run
on this machine; docs/figures.md). A key names everything the figure is drawn from: the
snapshot (a new one never reuses an old figure) and the view's Filters with the fields no chart
reads reset, plus the title and footer text. The figure is never changed after it is built (Streamlit
and the exports copy it before they write), so one object serves every session.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from dashboard.state import Filters

T = TypeVar("T")
MAX_FIGURES = 24        # a map figure holds ~1–2 MB of country shapes; a time chart ~0.1 MB
# Filters fields no chart reads: where the reader is and the article table's order
UNREAD = ("page", "article", "table_page", "tab", "sort")
_DEFAULTS = Filters()
_lock = threading.Lock()
_figures: OrderedDict[tuple, object] = OrderedDict()


def view_key(filters: Filters) -> Filters:
    """`filters` with the fields no chart reads reset to their defaults."""
    return filters.replace(**{field: getattr(_DEFAULTS, field) for field in UNREAD})


def cached(name: str, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """`build()`'s figure for (`name`, `key`), built once and kept for the MAX_FIGURES most
    recently used keys. Two sessions asking for a new key at once may both build it; either
    result is the same figure."""
    full = (name, *key)
    with _lock:
        if full in _figures:
            _figures.move_to_end(full)
            return _figures[full]       # type: ignore[return-value]
    value = build()
    with _lock:
        _figures[full] = value
        while len(_figures) > MAX_FIGURES:
            _figures.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _figures.clear()
