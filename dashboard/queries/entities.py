"""People's display names and kinds by entity id, kept per snapshot.

Why: the sidebar's people and "What's in this view" name the entities they count by a join
with ENTITY_TABLE, and that join scans the whole entity_index (343,000 rows at a million
articles) however few names it needs, on every new view. The names asked for
are mostly the same few hundred (the most frequent people recur from view to view), so they
are looked up once per snapshot and kept, up to ENTITY_CACHE ids, least recently used first out.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import pandas as pd

from dashboard.queries.keyword import snapshot_identity
from dashboard.queries.tables import ENTITY_TABLE, Con

ENTITY_CACHE = 50_000      # ids kept per snapshot: bounds the cache's memory
SNAPSHOTS = 2              # snapshots whose names are kept (normally two are open)

Entity = tuple[str, str] | None          # (name, kind); None: no such entity in the snapshot


class _Names:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_snapshot: OrderedDict[tuple[str, str, str], OrderedDict[str, Entity]] = OrderedDict()

    def known(self, snapshot: tuple[str, str, str], ids: list[str]) -> tuple[dict[str, Entity], list[str]]:
        """(the cached entries of `ids`, the ids not cached)."""
        with self._lock:
            names = self._by_snapshot.get(snapshot)
            if names is None:
                return {}, ids
            self._by_snapshot.move_to_end(snapshot)
            found: dict[str, Entity] = {}
            missing = []
            for i in ids:
                if i in names:
                    names.move_to_end(i)
                    found[i] = names[i]
                else:
                    missing.append(i)
            return found, missing

    def add(self, snapshot: tuple[str, str, str], entries: dict[str, Entity]) -> None:
        with self._lock:
            names = self._by_snapshot.setdefault(snapshot, OrderedDict())
            self._by_snapshot.move_to_end(snapshot)
            names.update(entries)
            while len(names) > ENTITY_CACHE:
                names.popitem(last=False)
            while len(self._by_snapshot) > SNAPSHOTS:
                self._by_snapshot.popitem(last=False)

    def size(self, snapshot: tuple[str, str, str]) -> int:
        with self._lock:
            return len(self._by_snapshot.get(snapshot, ()))

    def clear(self) -> None:
        with self._lock:
            self._by_snapshot.clear()


_NAMES = _Names()


def entities(con: Con, entity_ids: Iterable[str]) -> dict[str, Entity]:
    """entity_id -> (name, kind) for each of `entity_ids`, None for an id the snapshot lacks;
    looked up once per snapshot (module doc)."""
    ids = list(dict.fromkeys(entity_ids))
    snapshot = snapshot_identity(con)
    found, missing = _NAMES.known(snapshot, ids)
    if missing:
        rows = con.execute(f"SELECT entity_id, name, kind FROM {ENTITY_TABLE} "
                           "WHERE entity_id IN (SELECT unnest(?::VARCHAR[]))", [missing]).fetchall()
        looked: dict[str, Entity] = dict.fromkeys(missing)
        looked.update({r[0]: (r[1], r[2]) for r in rows})
        _NAMES.add(snapshot, looked)
        found.update(looked)
    return found


def named(con: Con, ids: pd.Series, people: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """(name, kind) of each id in `ids` as ENTITY_TABLE gives them (a LEFT JOIN and
    `coalesce(name, id)`), as series of `ids`' dtype and index: the name is the id itself and
    the kind missing where the snapshot has no such entity, or where `people` (a boolean mask)
    is False (a row that is not a person)."""
    mask = [True] * len(ids) if people is None else people.tolist()
    values = ids.tolist()
    found = entities(con, [v for v, m in zip(values, mask) if m])
    names, kinds = [], []
    for v, m in zip(values, mask):
        entity = found.get(v) if m else None
        names.append(entity[0] if entity is not None and entity[0] is not None else v)
        kinds.append(entity[1] if entity is not None else None)
    return (pd.Series(names, index=ids.index, dtype=ids.dtype), pd.Series(kinds, index=ids.index, dtype=ids.dtype))


def forget() -> None:
    """Drop every kept name (tests)."""
    _NAMES.clear()
