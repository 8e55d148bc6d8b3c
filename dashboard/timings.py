"""Where a page run's time goes, in the server's log: with CONFLICT_TRENDS_TIMINGS=1 every
query answered from the database (a cache miss) and every whole script run print one line
to stderr, `timing: query <name> <ms> ms` / `timing: run <page> <ms> ms`, and every full garbage
collection `timing: gc 2 <ms> ms` (it holds the interpreter, so no message goes out meanwhile). Off by default;
`bench/browser.py` turns it on to split an action's latency into queries, the rest of the
server's run, and the browser's share."""
from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

ENV_VAR = "CONFLICT_TRENDS_TIMINGS"
ON = os.environ.get(ENV_VAR, "") not in ("", "0")


@contextmanager
def timed(kind: str, name: str) -> Iterator[None]:
    if not ON:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"timing: {kind} {name} {(time.perf_counter() - start) * 1000:.1f} ms", file=sys.stderr, flush=True)


def query(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)`, timed as a query when timings are on."""
    with timed("query", getattr(fn, "__name__", "?")):
        return fn(*args)


_gc_start: list[float] = []


def _gc_timed(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _gc_start[:] = [time.perf_counter()]
    elif _gc_start:
        print(f"timing: gc 2 {(time.perf_counter() - _gc_start[0]) * 1000:.1f} ms", file=sys.stderr, flush=True)


if ON and _gc_timed not in gc.callbacks:
    gc.callbacks.append(_gc_timed)
