"""Memory storage backend: object bodies are bytes-like objects, nothing survives a restart.

A blob is never mutated once written (AppendObject makes a new one), so readers may keep a
memoryview of it while writers replace it.
"""

from __future__ import annotations

import mmap
import socket
from collections.abc import Iterable, Iterator

_CHUNK = 1 << 20
_RING = 4  # chunks stay untouched while call.receive's helper thread hashes them


def _new_buffer(size: int):
    """A writable buffer of `size` bytes for a body to be read into.

    bytearray(n) zero-fills every byte before the first one is read: 0.1-0.25 s for 256 MiB
    here (a quarter of a profiled PUT), with the client waiting. An anonymous mapping's pages
    come zeroed from the kernel as they are first written, inside the receive loop, which
    overlaps with the MD5 thread. Small bodies keep the plain bytearray.
    """
    if size >= _CHUNK:
        return mmap.mmap(-1, size)
    return bytearray(size)


class MemoryWriter:
    """Collects a body. With a known size the socket reads straight into one buffer.

    `get_buffer` + `commit` run in the reading thread, `advance` (keep a filled chunk) may
    run in call.receive's helper thread; `write` is the plain sequential form of both.
    """

    def __init__(self, size_hint: int | None = None) -> None:
        self._fixed = _new_buffer(size_hint) if size_hint else None
        self._view = memoryview(self._fixed) if self._fixed is not None else None
        self._chunks: list[bytes] = []
        self._reserved = 0  # handed out to the reader (fixed buffer)
        self._pos = 0  # kept
        self._scratch: list[bytearray] = []  # a ring, made on first use (size unknown)
        self._next = 0

    def get_buffer(self, limit: int) -> memoryview:
        if self._view is not None:
            return self._view[self._reserved : min(self._reserved + limit, len(self._view))]
        if not self._scratch:
            self._scratch = [bytearray(_CHUNK) for _ in range(_RING)]
        buffer = self._scratch[self._next]
        self._next = (self._next + 1) % _RING
        return memoryview(buffer)[: min(limit, _CHUNK)]

    def commit(self, n: int) -> None:
        """The reader filled `n` bytes of the last buffer."""
        if self._view is not None:
            self._reserved += n

    def advance(self, data) -> None:
        """Keep `data`: a chunk filled from `get_buffer`, or any bytes."""
        if self._view is None:
            self._chunks.append(bytes(data))
        elif not (isinstance(data, memoryview) and data.obj is self._fixed):
            self._view[self._pos : self._pos + len(data)] = data
        self._pos += len(data)

    def write(self, data) -> None:
        self.advance(data)
        self._reserved = self._pos

    def finish(self):
        if self._fixed is None:
            return b"".join(self._chunks)
        if self._pos == len(self._fixed):
            return self._fixed
        return self._fixed[: self._pos]

    def abort(self) -> None:
        self._fixed = self._view = None
        self._chunks = []


class MemoryBackend:
    persistent = False

    def new_writer(self, size_hint: int | None = None) -> MemoryWriter:
        return MemoryWriter(size_hint)

    # Placing a finished body under a key or a part costs nothing in memory.
    def place(self, bucket: str, key: str, tmp):
        return tmp

    def place_part(self, bucket: str, upload_id: str, number: int, tmp):
        return tmp

    def discard(self, ref) -> None:
        pass

    # A blob is never mutated, so holding the reference is as good as an open file.
    def open_body(self, ref):
        return ref

    def close_body(self, ref) -> None:
        pass

    def iter_range(self, ref, start: int, length: int, chunk: int = _CHUNK) -> Iterator:
        view = memoryview(ref)
        end = start + length
        for pos in range(start, end, chunk):
            yield view[pos : min(pos + chunk, end)]

    def send_range(self, sock: socket.socket, ref, start: int, length: int) -> None:
        sock.sendall(memoryview(ref)[start : start + length])

    def copy_range(self, ref, start: int, length: int):
        if start == 0 and length == len(ref):
            return ref  # blobs are never mutated: a copy may share the body
        return bytes(memoryview(ref)[start : start + length])

    def concat(self, refs: Iterable):
        return b"".join(refs)

    def append(self, ref, position: int, tmp):
        return bytes(memoryview(ref)[:position]) + bytes(tmp)

    # Persistence hooks: nothing to persist.
    def load(self) -> list:
        return []

    def save_bucket(self, bucket) -> None:
        pass

    def delete_bucket(self, name: str) -> None:
        pass

    def save_object(self, bucket: str, meta, old_ref=None) -> None:
        pass

    def delete_object(self, bucket: str, meta) -> None:
        pass

    def save_upload(self, bucket: str, upload) -> None:
        pass

    def save_part(self, bucket: str, upload, part, old_ref=None) -> None:
        pass

    def delete_upload(self, bucket: str, upload) -> None:
        pass
