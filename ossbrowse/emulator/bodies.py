"""Request bodies in (Content-Length or chunked) and response bodies out, streamed.

Reading goes straight into the caller's buffer (`readinto`), so a large PUT is never copied
more than the store needs. Fault injection hooks in here: a reset after N body bytes.
"""

from __future__ import annotations

import io
import socket
import struct


class ConnectionReset(Exception):
    """Raised to make the server drop the connection abruptly (RST), as a fault asks."""


class BadRequestBody(Exception):
    """The body framing is broken (bad chunk size, early end of stream)."""


class BodyReader:
    """The body of one request, whichever framing the client used."""

    def __init__(self, rfile: io.BufferedIOBase, content_length: int | None, chunked: bool) -> None:
        self._rfile = rfile
        self.chunked = chunked
        self.length = None if chunked else (content_length or 0)
        self._left_in_chunk = 0
        self._remaining = self.length
        self.done = not chunked and not self.length
        self.consumed = 0
        self.reset_after: int | None = None  # fault: drop the connection after this many bytes

    def readinto(self, view: memoryview) -> int:
        """Fill up to len(view) bytes; 0 at the end of the body."""
        if self.done or not len(view):
            return 0
        if self.reset_after is not None and self.consumed >= self.reset_after:
            raise ConnectionReset
        if self.reset_after is not None:
            view = view[: self.reset_after - self.consumed]
        if self.chunked:
            if self._left_in_chunk == 0:
                self._left_in_chunk = self._next_chunk_size()
                if self._left_in_chunk == 0:
                    self._finish_chunked()
                    return 0
            view = view[: self._left_in_chunk]
        else:
            view = view[: self._remaining]
        n = self._rfile.readinto(view)
        if not n:
            raise BadRequestBody("the body ended early")
        self.consumed += n
        if self.chunked:
            self._left_in_chunk -= n
            if self._left_in_chunk == 0:
                self._rfile.readline(65537)  # CRLF after the chunk data
        elif self._remaining is not None:  # always when not chunked
            self._remaining -= n
            self.done = self._remaining == 0
        return n

    def _next_chunk_size(self) -> int:
        line = self._rfile.readline(65537)
        if not line:
            raise BadRequestBody("the chunked body ended early")
        try:
            return int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequestBody("bad chunk size") from None

    def _finish_chunked(self) -> None:
        while True:  # trailers, up to the empty line
            line = self._rfile.readline(65537)
            if line in (b"\r\n", b"\n", b""):
                break
        self.done = True

    def read_all(self, limit: int) -> bytes:
        """The whole body (small XML documents); BadRequestBody beyond `limit` bytes."""
        out = bytearray()
        buf = bytearray(65536)
        view = memoryview(buf)
        while True:
            n = self.readinto(view)
            if not n:
                return bytes(out)
            out += view[:n]
            if len(out) > limit:
                raise BadRequestBody("the body is too large")

    def drain(self, limit: int = 64 << 20) -> bool:
        """Read and drop what is left, so the connection can be reused; False if too much."""
        if self.done:
            return True
        if self._remaining is not None and self._remaining > limit:  # None: chunked
            return False
        buf = memoryview(bytearray(1 << 20))
        total = 0
        try:
            while n := self.readinto(buf):
                total += n
                if total > limit:
                    return False
        except (BadRequestBody, OSError):
            return False
        return True


def hard_close(sock: socket.socket) -> None:
    """Close with an RST instead of a FIN, as a failed network or proxy would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
