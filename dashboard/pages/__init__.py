"""The pages. Each module has `render(ctx: PageContext)`; app.py draws the shared sidebar and
hands every page the same context. Pages ask `ctx.reader` (db.Reader: one typed, cached method
per query of the queries package) and draw with charts, never SQL."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.db import Reader
from dashboard.state import Filters, describe


@dataclass
class PageContext:
    reader: Reader
    filters: Filters
    options: dict
    labels: dict[str, str] = field(default_factory=dict)      # topic_id -> label
    colours: dict[str, str] = field(default_factory=dict)     # topic_id -> "#rrggbb"
    names: dict[str, str] = field(default_factory=dict)       # entity_id -> display name
    keyword: dict = field(default_factory=dict)               # queries.keyword_info of filters.q

    def describe(self, filters: Filters | None = None, metric: str | None = None,
                 grain: str | None = None) -> str:
        return describe(filters or self.filters, metric, grain, self.labels, self.names)

    @property
    def searching(self) -> bool:
        """The keyword box holds a query the search index answers."""
        return self.keyword.get("mode") == "index"

    def topic_label(self, topic_id: str) -> str:
        return self.labels.get(topic_id, topic_id)

    def topic_list(self, ids) -> str:
        if ids is None or (isinstance(ids, float) and pd.isna(ids)):
            return ""
        return ", ".join(self.topic_label(t) for t in ids)
