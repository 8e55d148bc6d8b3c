"""Reading, extraction and enrichment on a Dask distributed cluster (`ingest --cluster ADDRESS`).

The cluster runs the same task functions the local worker pool runs (read a group of files or a
chunk of a big table, enrich every article, pack the rows as Arrow tables); the parent keeps
everything that needs the one database: the walk and the unchanged-input check, the writer, the
deduplication, the full-text index and the snapshot swap. Results are taken in submission
order, as from the local pool, so the same inputs give the same database with or without a
cluster.

What the cluster brings and what it does not:
* a worker that dies (killed, out of memory, its machine lost) is noticed by the scheduler,
  which runs its tasks again on the others; a task whose workers died three times (Dask's
  `distributed.scheduler.allowed-failures`) comes back failed and is recorded against its
  inputs, as a task the local pool gave up on is;
* a task that raises is retried once as single inputs (the local pool's rule), so one bad file
  does not fail its neighbours;
* the local pool's per-input time limit is not applied: a cluster's workers are bounded by
  its own settings (`dask worker --memory-limit`; the nanny restarts a worker past it).

Every worker must import this project (same code, same gazetteer build: run `dask worker` from
a checkout, or with it on PYTHONPATH) and read the inputs at the paths the parent names
(shared storage mounted at the same place). Each worker process builds the extractors once per
distinct set-up (taxonomy content and sidecar), on its first task.
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from collections import deque
from typing import Callable, Iterator

from etl.workers import TaskFailed

CONNECT_SECONDS = 30          # to reach the scheduler
WINDOW_PER_THREAD = 3         # tasks in flight per worker thread (the local pool's 3 per worker)
MIN_WINDOW = 4

_state_lock = threading.Lock()
_state_key: str | None = None


def _run(key: str, initializer: Callable, initargs: tuple, fn: Callable, args: tuple):
    """On a worker: build the extractors for this set-up once, then run the task."""
    global _state_key
    if _state_key != key:
        with _state_lock:
            if _state_key != key:
                initializer(*initargs)
                _state_key = key
    return fn(*args)


class ClusterUnavailable(RuntimeError):
    """The scheduler could not be reached, or has no workers to run tasks."""


class ClusterExecutor:
    """The local executor's interface (submit / drain / close, results in submission order, a
    workers.TaskFailed for a task that failed twice) over a Dask distributed scheduler.

    `state_key` names the worker set-up `initializer(*initargs)` builds; workers that have
    built it for an earlier run reuse it."""

    def __init__(self, address: str, initializer: Callable, initargs: tuple, state_key: str = ""):
        try:
            from distributed import Client
        except ImportError as exc:      # pinned in requirements.txt; say what is missing
            raise ClusterUnavailable(f"--cluster needs dask[distributed] ({exc})") from exc
        try:
            self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise ClusterUnavailable(f"the Dask scheduler at {address} has no workers") from exc
        self.init = (initializer, initargs)
        self.key = hashlib.sha256(pickle.dumps((initializer, initargs)) + state_key.encode()).hexdigest()
        self.order: deque = deque()
        self.window = max(MIN_WINDOW, WINDOW_PER_THREAD * self.threads())

    def threads(self) -> int:
        """Worker threads the scheduler knows of now."""
        return sum(self.client.nthreads().values())

    def _submit(self, fn: Callable, args: tuple):
        return self.client.submit(_run, self.key, *self.init, fn, args, pure=False)

    def submit(self, tag, fn: Callable, *args, size: int = 0, split: Callable | None = None) -> Iterator:
        """Queue `fn(*args)` on the cluster; yields (tag, result) of the oldest tasks while the
        window is full. `size` is accepted for the local pool's interface (its time limit)."""
        self.order.append((tag, self._submit(fn, args), fn, args, split))
        while len(self.order) >= self.window:
            yield from self._pop()

    def drain(self) -> Iterator:
        while self.order:
            yield from self._pop()

    def _pop(self) -> Iterator:
        tag, future, fn, args, split = self.order.popleft()
        result, failure = _outcome(future)
        if failure is None:
            yield tag, result
            return
        pieces = split(args) if split is not None else None
        if pieces is None or len(pieces) < 2:
            pieces = [(args, 0)]
        # the retry: one input at a time, so only the input at fault fails
        retries = [(piece_args, self._submit(fn, piece_args)) for piece_args, _size in pieces]
        for piece_args, retry in retries:
            result, again = _outcome(retry)
            yield tag, (result if again is None else TaskFailed(*again, fn, piece_args))

    def close(self) -> None:
        for _tag, future, *_ in self.order:
            future.cancel()
        self.order.clear()
        self.client.close()


def _outcome(future) -> tuple[object, tuple[str, str] | None]:
    """(result, None) when the task succeeded, else (None, (kind, reason)) in the local pool's
    terms. The result is fetched once and the future released."""
    from distributed import KilledWorker
    try:
        return future.result(), None
    except KilledWorker as exc:
        return None, ("worker_died", f"the cluster's workers running it died ({exc})")
    except MemoryError:
        return None, ("memory", "a cluster worker ran out of memory reading it")
    except Exception as exc:  # noqa: BLE001 - the task's own failure, reported against its inputs
        text = f"{type(exc).__name__}: {exc}"
        return None, ("unreadable_input", f"the cluster worker failed reading it ({text[:300]})")
    finally:
        future.release()
