"""One request as the handlers see it (`Call`) and what they answer (`Response`), with the
shared helpers: streaming a body into storage while hashing it, and OSS's common headers."""

from __future__ import annotations

import base64
import hashlib
import queue
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ossbrowse.crc64 import crc64
from ossbrowse.emulator.bodies import BodyReader
from ossbrowse.emulator.errors import OssError

# Reads of 1 MiB: hashlib and fastcrc release the GIL on them, and little MD5 is left to do
# once the last one arrives (with 4 MiB, an 8 MiB part was hashed mostly after its receive).
_READ_CHUNK = 1 << 20
_PIPELINE_ABOVE = 4 << 20  # smaller bodies are hashed inline: a thread is not worth it


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    blob: Any = None  # streamed from the backend instead of `body`
    blob_start: int = 0
    blob_length: int = 0


@dataclass
class Received:
    size: int
    md5: bytes
    crc64: int
    blob: Any

    @property
    def etag(self) -> str:
        return self.md5.hex().upper()


class Call:
    """Everything a handler needs: the parsed request, the server's state, the body."""

    def __init__(self, server, *, method, bucket, key, params, headers, body: BodyReader,
                 request_id: str, host: str, operation: str) -> None:  # fmt: skip
        self.server = server
        self.store = server.store
        self.backend = server.store.backend
        self.method = method
        self.bucket = bucket
        self.key = key
        self.params = params
        self.headers = headers
        self.body = body
        self.request_id = request_id
        self.host = host
        self.operation = operation
        self.corrupt_request = False  # fault: flip a byte of what is stored
        self.virtual_host = False  # the bucket came from `Host` (b.domain), not the path

    @property
    def service_host(self) -> str:
        """The host (and port) the client reached, without a virtual-host bucket prefix: the
        endpoint as OSS names it (`oss-cn-hangzhou.aliyuncs.com`)."""
        if self.virtual_host and self.bucket and self.host.lower().startswith(self.bucket + "."):
            return self.host[len(self.bucket) + 1 :]
        return self.host

    def object_url(self, key: str) -> str:
        """The object's URL as OSS writes it in an answer (CompleteMultipartUpload's
        <Location>): `http://b.domain/dir/name` for a virtual-host request, the path-style
        `http://host/b/dir/name` otherwise; the key percent-encoded except its slashes."""
        path = quote(key, safe="/")
        if self.virtual_host:
            return f"http://{self.host}/{path}"
        return f"http://{self.host}/{self.bucket}/{path}"

    def header(self, name: str, default: str = "") -> str:
        value = self.headers.get(name)
        return default if value is None else value

    def read_xml_body(self, limit: int = 2 << 20) -> bytes:
        from ossbrowse.emulator.bodies import BadRequestBody

        try:
            return self.body.read_all(limit)
        except BadRequestBody:
            raise OssError(400, "MalformedXML", "The XML you provided was too large.") from None

    def receive(self, size_hint: int | None = None) -> Received:
        """Stream the request body into a new blob, computing MD5 and CRC-64 on the way.

        MD5 (~0.4-0.7 GB/s here, and one stream cannot be split) bounds a large PUT: it runs
        alone in a helper thread, while this thread reads the socket, computes the CRC
        (~6 GB/s) and writes to the store. hashlib, fastcrc, socket reads and file writes
        all release the GIL, so on two cores the PUT goes at about the speed of MD5.
        """
        if size_hint is None and self.body.length is not None:
            size_hint = self.body.length
        writer = self.backend.new_writer(size_hint)
        sink = _Sink(writer, self.corrupt_request)
        pipelined = size_hint is None or size_hint > _PIPELINE_ABOVE
        worker = None
        if pipelined:
            worker = threading.Thread(target=sink.run, name="oss-emulator-md5", daemon=True)
            worker.start()
        try:
            while not sink.failed:
                view = writer.get_buffer(_READ_CHUNK)
                n = self.body.readinto(view)
                if not n:
                    break
                writer.commit(n)
                chunk = sink.store(view[:n])
                if worker is not None:
                    sink.queue.put(chunk)
                else:
                    sink.md5.update(chunk)
        except BaseException:
            if worker is not None:
                sink.queue.put(None)
                worker.join()
            writer.abort()
            raise
        if worker is not None:
            sink.queue.put(None)
            worker.join()
        if sink.failed:
            writer.abort()
            raise sink.failed
        blob = writer.finish()
        received = Received(sink.size, sink.md5.digest(), sink.crc, blob)
        expected = self.header("Content-MD5")
        if expected and expected != base64.b64encode(received.md5).decode():
            self.backend.discard(blob)
            raise OssError(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
                **{"Content-MD5": expected},
            )
        return received


class _Sink:
    """Stores and CRCs chunks in the reading thread; MD5s them, inline or in a helper thread
    fed by `queue`."""

    def __init__(self, writer, corrupt: bool) -> None:
        self.writer = writer
        self.corrupt = corrupt
        self.md5 = hashlib.md5()
        self.crc = 0
        self.size = 0
        # Small: the writer rotates a few buffers, so a queued chunk is never overwritten.
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.failed: BaseException | None = None

    def store(self, chunk: memoryview) -> memoryview:
        """Keep and CRC `chunk`; returns what must be MD5'd (the stored bytes)."""
        if self.corrupt and self.size == 0 and len(chunk):
            # Fault: what is stored (and hashed) differs from what the client sent.
            chunk = memoryview(bytes([chunk[0] ^ 0xFF]) + bytes(chunk[1:]))
        self.crc = crc64(chunk, self.crc)
        self.writer.advance(chunk)
        self.size += len(chunk)
        return chunk

    def run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.failed is None:
                try:
                    self.md5.update(chunk)
                except BaseException as exc:  # reported by the reading thread
                    self.failed = exc
