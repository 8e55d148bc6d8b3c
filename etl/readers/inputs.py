"""Finding inputs and opening them: `expand_inputs` turns command-line specs (files, folders,
globs) into file paths, refusing what must not be read (FIFOs, devices, links out of the
folders named); `open_input` opens one, gunzipping transparently (`GunzipReader`).
"""
from __future__ import annotations

import glob
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from etl import limits
from etl.errors import MalformedInput, RefusedInput, TooLarge, UnreadableInput

_GLOB_CHARS = re.compile(r"[*?\[]")


# ---- finding inputs ---------------------------------------------------------------------

def _hidden(name: str) -> bool:
    return name.startswith(".")


# Files that describe a folder rather than hold articles; skipped when walking folders (they
# still load when named explicitly).
_FOLDER_NOTES = re.compile(r"^(readme|license|licence|manifest|changelog|copying)(\.[a-z]+)?$", re.IGNORECASE)


def refused_kind_reason(mode: int) -> str:
    """Why a file of this mode is not read: what it is, in words."""
    what = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "not a regular file")
    return f"{what}, not a regular file: never read (reading one may never end)"


def _inside(target: str, allowed: tuple[set[str], list[str]]) -> bool:
    """Whether real path `target` is a named file, a named folder or inside one."""
    files, folders = allowed
    return target in files or any((target + os.sep).startswith(folder) for folder in folders)


def _walk(folder: str, refuse, allowed, anywhere: bool) -> Iterator[str]:
    """Files under `folder`, sorted, depth first (as os.walk top-down gives them), from one
    scandir per folder: the kind of each entry comes with its name, so regular files cost no
    extra call. FIFOs, sockets and devices are refused; a symbolic link is followed only to
    a regular file or folder inside what the user named (`allowed`), or anywhere with
    `anywhere`; a followed folder is walked once (links can make loops)."""
    stack = [folder]
    walked = {os.path.realpath(folder)}
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            refuse(UnreadableInput(current, f"cannot list folder: {exc.strerror or exc}"))
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if _hidden(name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append(entry.path)
                    continue
                if entry.is_file(follow_symlinks=False):
                    if not _FOLDER_NOTES.match(name):
                        yield entry.path
                    continue
                if not entry.is_symlink():
                    refuse(RefusedInput(entry.path, refused_kind_reason(entry.stat(follow_symlinks=False).st_mode)))
                    continue
                target = os.path.realpath(entry.path)
                if not anywhere and not _inside(target, allowed):
                    refuse(RefusedInput(entry.path, f"symbolic link to {target}, outside the folders and files "
                                                    f"named on the command line (--follow-symlinks-anywhere "
                                                    f"follows it)"))
                    continue
                st = os.stat(target)
            except OSError as exc:
                refuse(UnreadableInput(entry.path, f"cannot inspect: {exc.strerror or exc}"))
                continue
            if stat.S_ISDIR(st.st_mode):
                # a link to a folder inside a named one is walked there already
                if anywhere and not _inside(target, allowed) and target not in walked:
                    walked.add(target)
                    subdirs.append(entry.path)
            elif stat.S_ISREG(st.st_mode):
                if not _FOLDER_NOTES.match(name):
                    yield entry.path
            else:
                refuse(RefusedInput(entry.path, f"symbolic link to {target}: " + refused_kind_reason(st.st_mode)))
        stack.extend(reversed(subdirs))


def _allowed(specs: list[str]) -> tuple[set[str], list[str]]:
    """Where symbolic links found in a walk may lead: the real paths of the files named, and
    of the folders named (or holding a glob's matches), each folder with a trailing separator."""
    files: set[str] = set()
    folders: list[str] = []
    for spec in specs:
        spec = os.path.expanduser(spec)
        magic = _GLOB_CHARS.search(spec)
        if magic and not os.path.exists(spec):
            spec = os.path.dirname(spec[:magic.start()]) or "."
        real = os.path.realpath(spec)
        if os.path.isdir(real):
            folders.append(os.path.join(real, ""))
        else:
            files.add(real)
    return files, folders


def _ignore(exc: Exception) -> None:
    pass


def expand_inputs(specs: list[str], refuse=_ignore, follow_symlinks_anywhere: bool = False) -> Iterator[str]:
    """Absolute file paths for files, folders (recursive, sorted; hidden entries and README /
    LICENSE / MANIFEST notes skipped) and globs. A spec that names nothing is passed through so
    that reading it reports the error.

    What a walk finds but must not read goes to `refuse(error)` (a RefusedInput) instead:
    FIFOs, sockets and devices, and symbolic links that lead out of the folders and files
    named (a link to /etc/passwd or /dev/zero dropped into an archive folder), unless
    `follow_symlinks_anywhere`. Inputs named directly are the user's choice and pass through
    (the ingest still refuses one that is not a regular file)."""
    # Each path once, without remembering every path of a folder (a million files would hold
    # ~140 MB): a walk never repeats itself, so only folders walked so far and the paths of
    # file and glob specs are kept.
    allowed = _allowed(specs)
    anywhere = follow_symlinks_anywhere
    roots: list[str] = []
    seen: set[str] = set()
    for spec in specs:
        spec = os.path.expanduser(spec)
        folder = os.path.isdir(spec)
        if folder:
            # walked from its absolute path, a folder yields absolute, normalised paths
            # (os.path.abspath on each of a million files asks for the working directory
            # a million times: ~9 µs a file on the ingest's main thread)
            candidates = _walk(os.path.abspath(spec), refuse, allowed, anywhere)
        elif os.path.exists(spec) or not _GLOB_CHARS.search(spec):
            candidates = iter([spec])
        else:
            matches = sorted(glob.glob(spec, recursive=True))
            found: list[str] = []
            for match in matches:
                if _hidden(os.path.basename(match.rstrip(os.sep))):
                    continue
                if os.path.islink(match) and not anywhere and not _inside(os.path.realpath(match), allowed):
                    refuse(RefusedInput(os.path.abspath(match), f"symbolic link to {os.path.realpath(match)}, "
                                        f"outside the folder the pattern names (--follow-symlinks-anywhere "
                                        f"follows it)"))
                    continue
                found.extend(_walk(os.path.abspath(match), refuse, allowed, anywhere)
                             if os.path.isdir(match) else [match])
            candidates = iter(found if matches else [spec])
        for candidate in candidates:
            path = candidate if folder else os.path.abspath(candidate)
            if path in seen or any(path.startswith(root) for root in roots):
                continue
            if not folder:
                seen.add(path)
            yield path
        if folder:
            roots.append(os.path.join(os.path.abspath(spec), ""))


# ---- opening and gunzipping -------------------------------------------------------------

class GunzipReader(io.RawIOBase):
    """A gzip file as a stream, with errors that say where the compressed data went wrong.

    Inflated a few MiB at a time, and refused (TooLarge) as soon as the output passes `limit`
    bytes, or passes limits.MAX_GZIP_RATIO times the compressed bytes used (beyond its first
    limits.GZIP_RATIO_FLOOR bytes): a gzip bomb is never held, nor inflated for minutes."""

    def __init__(self, path: str, raw: BinaryIO, chunk: int = 1 << 20, limit: int | None = None):
        self.path, self.raw, self.chunk, self.limit = path, raw, chunk, limit
        self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.consumed = 0          # compressed bytes fed so far
        self.produced = 0          # bytes inflated so far
        self.buffer = b""
        self.finished = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self.buffer and not self.finished:
            if self.decompressor.eof:
                # a gzip file may hold several members back to back; trailing NULs are padding
                data = self.decompressor.unused_data or self._read_raw()
                if not data.strip(b"\x00") and not self.raw.peek(1):
                    self.finished = True
                    return
                self.decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                data = self.decompressor.unconsumed_tail or self._read_raw()
                if not data:
                    raise MalformedInput(self.path, f"gzip stream truncated at byte {self.consumed}: "
                                                    f"the compressed data ends before its end-of-stream marker")
            try:
                self.buffer = self.decompressor.decompress(data, self.chunk * 4)
            except zlib.error as exc:
                raise MalformedInput(self.path, f"invalid gzip data near compressed byte {self.consumed}: {exc}") from exc
            self.produced += len(self.buffer)
            self._check_size()

    def _check_size(self) -> None:
        used = max(1, self.consumed - len(self.decompressor.unconsumed_tail))
        if self.limit is not None and self.produced > self.limit:
            raise TooLarge(self.path, f"too large after decompression: more than {self.limit:,} bytes "
                                      f"(the limit, CONFLICT_TRENDS_MAX_INPUT_MB) from {used:,} compressed bytes")
        if self.produced > limits.GZIP_RATIO_FLOOR and self.produced > used * limits.MAX_GZIP_RATIO:
            raise TooLarge(self.path, f"too large after decompression: {self.produced:,} bytes from the first "
                                      f"{used:,} compressed bytes, over {limits.MAX_GZIP_RATIO:g} times as many "
                                      f"(CONFLICT_TRENDS_MAX_GZIP_RATIO): a gzip bomb, or data to decompress first")

    def _read_raw(self) -> bytes:
        data = self.raw.read(self.chunk)
        self.consumed += len(data)
        return data

    def readinto(self, target) -> int:
        self._fill()
        n = min(len(target), len(self.buffer))
        target[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_input(path: str, limit: int | None = None) -> BinaryIO:
    """A buffered binary stream of the input's content, gunzipped when it is gzip data (refused
    past `limit` bytes of output, and past the ratio limit: see GunzipReader)."""
    try:
        raw = open(path, "rb")
    except FileNotFoundError:
        raise UnreadableInput(path, "no such file or directory") from None
    except IsADirectoryError:
        raise UnreadableInput(path, "is a directory, not a file") from None
    except PermissionError:
        raise UnreadableInput(path, "permission denied") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot open: {exc.strerror or exc}") from None
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if magic == b"\x1f\x8b":
        return io.BufferedReader(GunzipReader(path, raw, limit=limit), buffer_size=1 << 20)
    if path.lower().endswith(".gz"):
        raw.close()
        raise MalformedInput(path, f"named .gz but not gzip data (starts with bytes {magic.hex() or 'none'})")
    return raw
