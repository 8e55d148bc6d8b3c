"""Worker processes with limits per task: the ingest's process pool.

Why not concurrent.futures: a ProcessPoolExecutor cannot say which task a dead worker was
running, cannot stop one task that runs too long, and breaks as a whole when one worker dies,
so one hostile input (a decompression bomb, a parser crash, a pipe that never ends) took the
whole run with it. Here each worker runs one task at a time (plus one queued behind it, so it
never waits for the parent), and a manager thread in the parent knows at every moment which
task each worker is running:

* a task that runs past its time limit has its worker killed and replaced;
* a worker that dies (a signal, a crash in a native library, the memory limit) takes only the
  task it was running; the tasks queued behind it go to another worker;
* a failed task is tried once more alone: a task of several inputs is split into single
  inputs first, so the retry names the culprit; a second failure is the task's result
  (`TaskFailed`), which the caller records against its inputs, and the run goes on;
* workers limit their own address space (RLIMIT_AS), so a runaway allocation is a
  MemoryError in that worker rather than the machine's memory;
* workers die with the parent (Linux's parent-death signal, plus a liveness check where that
  is missing), so a killed ingest leaves no orphans holding files or locks.

Results come back in submission order, through a bounded window, as with the executor this
replaces.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Callable, Iterator

PR_SET_PDEATHSIG = 1           # <linux/prctl.h>
QUEUED_BYTES = 64 * 1024       # a task is queued behind a busy worker only when this small
                               # (bigger ones would block the manager on a full socket buffer)
LIVENESS_SECONDS = 1.0         # how often a worker checks its parent is still there
BYTES_PER_SECOND = 100_000     # the time limit grows by a second for each 100 KB of input
START_SECONDS = 300.0          # a worker that has not finished its initializer by then is stuck
READY = b"ready"               # a worker's first message: its initializer is done


@dataclass(frozen=True)
class Limits:
    """Per-input limits of an ingest: seconds a task may run (plus a second per 100 KB of
    input, BYTES_PER_SECOND), and the memory a worker may add to what it holds after start-up
    (MB; 0 = no limit)."""
    input_seconds: float = 120.0
    worker_memory_mb: int = 2048


@dataclass
class TaskFailed:
    """A task that failed twice (the second time alone). `kind` is "timeout", "memory" or
    "worker_died"; `reason` says what happened, in words."""
    kind: str
    reason: str
    fn: Callable | None = None
    args: tuple = ()


@dataclass
class _Task:
    id: int
    tag: object
    fn: Callable
    args: tuple
    payload: bytes
    limit: float                         # seconds
    split: Callable | None = None        # args -> [(args, size), ...] of single inputs
    attempt: int = 0
    parts: list | None = None            # sub-tasks after a split, in order
    done: bool = False
    result: object = None


@dataclass
class _Worker:
    process: object
    conn: object
    assigned: deque = field(default_factory=deque)     # tasks sent, in order; [0] is running
    started: float = 0.0                               # when assigned[0] started
    ready: bool = False                                # its initializer has finished
    born: float = field(default_factory=time.monotonic)


class WorkerStartFailed(RuntimeError):
    """A worker's initializer failed (e.g. a broken taxonomy file): no task can run."""


class Pool:
    """`workers` processes, each built by `initializer(*initargs)` once. `task_seconds` is the
    time limit of a task (grown by BYTES_PER_SECOND of its stated input size); `memory_bytes`
    the address space a worker may add to what it holds after its initializer."""

    def __init__(self, workers: int, initializer: Callable, initargs: tuple, *, task_seconds: float,
                 memory_bytes: int | None, close_fds: tuple[int, ...] = ()):
        self.ctx = multiprocessing.get_context("fork")
        self.n_workers = workers
        self.init = (initializer, initargs)
        self.task_seconds, self.memory_bytes = task_seconds, memory_bytes
        self.close_fds = close_fds
        self.window = max(2, workers * 3)
        self.order: deque[_Task] = deque()          # submitted, not yet yielded
        self.queue: deque[_Task] = deque()          # waiting for a worker
        self.workers: list[_Worker] = []
        self.lock = threading.Condition()
        self.failure: BaseException | None = None
        self.closing = False
        self.next_id = 0
        self.replaced = 0                           # workers killed or found dead
        self.wake_r, self.wake_w = os.pipe()
        for _ in range(workers):
            self.workers.append(self._start_worker())
        self.manager = threading.Thread(target=self._manage, name="worker-manager", daemon=True)
        self.manager.start()

    # -- the caller's side ---------------------------------------------------------------------
    def submit(self, tag, fn: Callable, *args, size: int = 0, split: Callable | None = None) -> Iterator:
        """Queue `fn(*args)` (`size`: bytes of input it reads, for its time limit; `split`:
        args -> [(args, size), ...], how to cut it into single inputs for a retry). Yields (tag, result) of the oldest
        tasks while the window is full; a result is a TaskFailed when the task failed twice."""
        payload = pickle.dumps((fn, args), pickle.HIGHEST_PROTOCOL)
        with self.lock:
            task = _Task(self.next_id, tag, fn, args, payload, self.task_seconds + size / BYTES_PER_SECOND,
                         split)
            self.next_id += 1
            self.order.append(task)
            self.queue.append(task)
        self._wake()
        while len(self.order) >= self.window:
            yield from self._pop()

    def drain(self) -> Iterator:
        while self.order:
            yield from self._pop()

    def _pop(self) -> Iterator:
        with self.lock:
            task = self.order[0]
            while not self._finished(task):
                if self.failure is not None:
                    raise self.failure
                self.lock.wait(0.5)
            self.order.popleft()
        for part in task.parts if task.parts is not None else [task]:
            yield task.tag, part.result

    def _finished(self, task: _Task) -> bool:
        return all(p.done for p in task.parts) if task.parts is not None else task.done

    def close(self) -> None:
        self.closing = True
        self._wake()
        self.manager.join(timeout=5)
        for w in self.workers:
            self._stop(w)
        self.workers = []
        for fd in (self.wake_r, self.wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _wake(self) -> None:
        try:
            os.write(self.wake_w, b"x")
        except OSError:     # closed, or its buffer is full of wake-ups already
            pass

    # -- the manager thread --------------------------------------------------------------------
    def _manage(self) -> None:
        try:
            while not self.closing:
                self._assign()
                now = time.monotonic()
                # A task's clock starts when its worker is free to read it: a worker started to
                # replace a lost one spends seconds in its initializer (more on a loaded machine),
                # which must not count against the inputs queued for it.
                deadlines = [w.started + w.assigned[0].limit - now for w in self.workers
                             if w.assigned and w.ready]
                deadlines += [w.born + START_SECONDS - now for w in self.workers if not w.ready]
                timeout = max(0.0, min(deadlines + [LIVENESS_SECONDS]))
                ready = wait([self.wake_r] + [w.conn for w in self.workers]
                             + [w.process.sentinel for w in self.workers], timeout)
                if self.wake_r in ready:
                    os.read(self.wake_r, 4096)
                for w in list(self.workers):
                    if w.conn in ready:
                        self._receive(w)
                    if w.process.sentinel in ready and not w.process.is_alive():
                        self._receive_rest(w)
                        code = w.process.exitcode
                        why = f"was killed by {_signal_name(-code)}" if code and code < 0 else \
                            f"exited with status {code}"
                        self._lost(w, "worker_died", f"the worker process reading it {why}")
                now = time.monotonic()
                for w in list(self.workers):
                    if not w.ready and now - w.born > START_SECONDS:
                        raise WorkerStartFailed(f"a worker had not started after {START_SECONDS:.0f} s")
                    if w.ready and w.assigned and now - w.started > w.assigned[0].limit:
                        self._lost(w, "timeout", f"still reading after {w.assigned[0].limit:.0f} s "
                                                 f"(the per-input time limit); its worker was replaced")
        except BaseException as exc:    # the callers waiting in _pop re-raise it
            with self.lock:
                self.failure = exc
                self.lock.notify_all()

    def _assign(self) -> None:
        sends = []
        with self.lock:
            for w in self.workers:
                while self.queue and len(w.assigned) < 2:
                    task = self.queue[0]
                    if w.assigned and (len(task.payload) > QUEUED_BYTES or task.attempt
                                       or w.assigned[0].attempt):
                        break      # a retry runs alone; a big task waits for an idle worker
                    self.queue.popleft()
                    if not w.assigned:
                        w.started = time.monotonic()
                    w.assigned.append(task)
                    sends.append((w, task))
        for w, task in sends:      # outside the lock: a big task is sent while the worker reads it
            try:
                w.conn.send_bytes(task.id.to_bytes(8, "little") + task.payload)
            except OSError:
                pass               # the worker died: its sentinel says so, and the task goes back

    def _receive(self, w: _Worker) -> bool:
        """Take one result from worker `w`; False when its pipe is closed (the worker died)."""
        try:
            message = w.conn.recv_bytes()
        except (EOFError, OSError):
            return False    # the worker died: its sentinel says so
        if message == READY:
            w.ready, w.started = True, time.monotonic()
            return True
        ok, result = pickle.loads(message)
        if isinstance(result, WorkerStartFailed):
            raise result
        task = w.assigned.popleft()
        w.started = time.monotonic()
        if ok:
            self._done(task, result)
        else:
            kind = "memory" if result.startswith("MemoryError") else "unreadable_input"
            self._failed(task, kind, f"the worker failed reading it ({result})")
        return True

    def _receive_rest(self, w: _Worker) -> None:
        """Results a worker sent before it died are still in its pipe."""
        try:
            while w.assigned and w.conn.poll() and self._receive(w):
                pass
        except OSError:
            pass

    def _lost(self, w: _Worker, kind: str, reason: str) -> None:
        """Replace worker `w`; its running task failed, the ones queued behind it go back."""
        self.workers.remove(w)
        self._stop(w)
        self.replaced += 1
        if w.assigned:
            running = w.assigned.popleft()
            with self.lock:
                self.queue.extendleft(reversed(w.assigned))
            self._failed(running, kind, reason)
        if not self.closing:
            self.workers.append(self._start_worker())

    def _failed(self, task: _Task, kind: str, reason: str) -> None:
        with self.lock:
            if task.attempt == 0:
                pieces = task.split(task.args) if task.split is not None else None
                if pieces is not None and len(pieces) > 1:
                    task.parts = []
                    for args, size in pieces:
                        part = _Task(self.next_id, task.tag, task.fn, args,
                                     pickle.dumps((task.fn, args), pickle.HIGHEST_PROTOCOL),
                                     self.task_seconds + size / BYTES_PER_SECOND, None, attempt=1)
                        self.next_id += 1
                        task.parts.append(part)
                    self.queue.extendleft(reversed(task.parts))
                else:
                    task.attempt = 1
                    self.queue.appendleft(task)
                return
            task.done, task.result = True, TaskFailed(kind, reason, task.fn, task.args)
            task.payload = b""
            self.lock.notify_all()

    def _done(self, task: _Task, result) -> None:
        with self.lock:
            task.done, task.result, task.payload, task.args = True, result, b"", ()
            self.lock.notify_all()

    # -- starting and stopping workers ---------------------------------------------------------
    def _start_worker(self) -> _Worker:
        parent_end, child_end = self.ctx.Pipe(duplex=True)
        others = [w.conn.fileno() for w in self.workers] + [self.wake_r, self.wake_w]
        process = self.ctx.Process(
            target=_worker_main, daemon=True, name="etl-worker",
            args=(child_end, os.getpid(), *self.init, self.memory_bytes,
                  (*self.close_fds, *others, parent_end.fileno())))
        process.start()
        child_end.close()
        return _Worker(process, parent_end)

    def _stop(self, w: _Worker) -> None:
        if w.process.is_alive():
            try:
                os.kill(w.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        w.process.join(timeout=5)
        w.conn.close()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# -- the worker's side ----------------------------------------------------------------------------

def die_with_parent(parent_pid: int) -> None:
    """Make this process die when `parent_pid` does: Linux's parent-death signal, plus a thread
    that checks the parent is still there (other systems; and the parent might have died
    before the signal was asked for)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(LIVENESS_SECONDS)
        os._exit(1)

    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def limit_memory(extra_bytes: int | None) -> None:
    """Cap this process's address space at its current size plus `extra_bytes`: past it,
    allocations fail (a MemoryError in Python) instead of growing until the machine swaps or
    its out-of-memory killer picks a process."""
    if not extra_bytes:
        return
    try:
        with open("/proc/self/status") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    except (OSError, StopIteration):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = size + extra_bytes
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _worker_main(conn, parent_pid: int, initializer, initargs, memory_bytes, close_fds) -> None:
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C is the parent's to handle
    for fd in close_fds:                              # the writer's lock, the other workers' pipes
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        initializer(*initargs)
    except BaseException as exc:
        conn.send_bytes(pickle.dumps((False, WorkerStartFailed(
            f"a worker could not start: {type(exc).__name__}: {exc}"))))
        return
    limit_memory(memory_bytes)
    conn.send_bytes(READY)
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            fn, args = pickle.loads(message[8:])
            out = pickle.dumps((True, fn(*args)), pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            out = pickle.dumps((False, "MemoryError: past the worker's memory limit"))
        except BaseException as exc:  # reported as the task's failure; the worker goes on
            last = traceback.extract_tb(exc.__traceback__)[-1:] or None
            where = f" at {os.path.basename(last[0].filename)}:{last[0].lineno}" if last else ""
            out = pickle.dumps((False, f"{type(exc).__name__}: {exc}{where}"[:500]))
        del message
        conn.send_bytes(out)
