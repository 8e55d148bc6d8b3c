"""The database's writer lock: one ETL run at a time writes a given database.

A run flocks `<db>.lock` for as long as its snapshot is open; the kernel frees the lock when
the holder dies, so a killed run never blocks the next one.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

class WriterBusy(Exception):
    """Another ETL run holds the write lock on this database."""


_HELD_LOCKS: set[int] = set()       # descriptors of the writer locks this process holds


def held_lock_fds() -> tuple[int, ...]:
    """The writer locks held here, for worker processes to close as they start: a lock
    (flock) belongs to the open file, which a forked child shares, so a worker that kept its
    copy would hold the lock after its parent died and every later run would find it taken."""
    return tuple(_HELD_LOCKS)


def take_lock(live: Path) -> int:
    """flock the database's lock file for this process; write our PID in it, so that a run
    that finds it taken can say who holds it. The kernel frees the lock when the holder dies."""
    path = str(live) + ".lock"
    lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _lock_holder(lock_fd)
        os.close(lock_fd)
        if holder is None:
            detail = "wait for it to finish"
        elif _alive(holder):
            detail = f"its PID is {holder}; wait for it to finish"
        else:
            detail = (f"the run that took the lock (PID {holder}) is gone, so a process it left is "
                      f"holding it: `fuser {path}` names it")
        raise WriterBusy(f"another ingest is writing {live}; {detail}") from None
    os.ftruncate(lock_fd, 0)
    os.pwrite(lock_fd, f"{os.getpid()}\n".encode(), 0)
    _HELD_LOCKS.add(lock_fd)
    return lock_fd


def _lock_holder(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True



def release_lock(lock_fd: int) -> None:
    _HELD_LOCKS.discard(lock_fd)
    fcntl.flock(lock_fd, fcntl.LOCK_UN)
    os.close(lock_fd)
