"""Flush-on-close file objects on OSS, with the semantics of a Function Compute OSS mount:
written content reaches OSS only when the file is flushed or closed.

- `"rb"`: seekable; ranged GETs pinned to the ETag seen at open, with read-ahead of the next
  block in the background while the caller consumes the current one.
- `"wb"`: nothing is visible until `flush()` or `close()`. Full parts go up in the background
  as a multipart upload (memory: the parts in flight plus one part of buffer). `flush()`
  publishes what was written so far; a later flush publishes the grown object without sending
  the published bytes again: the new upload's first parts are UploadPartCopy ranges of the
  published version (OSS needs every part but the last to be >= 100 KB, so a published head
  smaller than that is simply re-uploaded with the new bytes). Leaving a `with` block through an
  exception publishes nothing new and aborts the upload in progress.
- `"ab"`: AppendObject at each flush, on a new or an Appendable object.
"""

from __future__ import annotations

import contextlib
import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from ossbrowse.crc64 import crc64, crc64_combine
from ossbrowse.errors import NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.gateway import multipart, objects
from ossbrowse.fs.gateway.multipart import complete_multipart_upload
from ossbrowse.fs.retrying import DEFAULT_RETRY, PartChecksumMismatch, RetryPolicy
from ossbrowse.transfer.failures import ChecksumMismatch, SourceChanged, describe
from ossbrowse.transfer.plan import DEFAULT_PART_SIZE, MIN_PART_SIZE, content_md5

READ_BLOCK = 1024 * 1024
COPY_RANGE = 1024 * 1024 * 1024  # UploadPartCopy range size when re-publishing (<= 5 GB)


def open_object(
    url: str,
    mode: str = "rb",
    *,
    bucket_for,
    part_size: int | None = None,
    threads: int = 4,
    read_block: int = READ_BLOCK,
    retry: RetryPolicy = DEFAULT_RETRY,
):
    from ossbrowse.transfer.locations import parse_location

    loc = parse_location(url)
    if not loc.is_oss or not loc.path or loc.path.endswith("/"):
        raise UsageError(f"{url} does not name an object.", hint="Use oss://bucket/key.")
    bucket = bucket_for(loc.bucket)
    if mode in ("r", "rb"):
        raw = ObjectReader(bucket, loc.path, block=read_block, retry=retry)
        return io.BufferedReader(raw, buffer_size=read_block)
    if mode in ("w", "wb"):
        return ObjectWriter(bucket, loc.path, part_size=part_size, threads=threads, retry=retry)
    if mode in ("a", "ab"):
        return ObjectAppender(bucket, loc.path, retry=retry)
    raise UsageError(f"Mode {mode!r} is not supported.", hint="Use 'rb', 'wb' or 'ab'.")


# --- reading -------------------------------------------------------------------------------


class ObjectReader(io.RawIOBase):
    """Ranged reads of one object version, a block at a time, the next block fetched ahead."""

    def __init__(self, bucket, key: str, *, block: int = READ_BLOCK, retry=DEFAULT_RETRY):
        super().__init__()
        self._bucket, self._key, self._block, self._retry = bucket, key, max(block, 4096), retry
        try:
            head = retry.call(lambda: objects.head(bucket, key))
        except Exception as exc:
            raise describe(
                exc, action="oss:HeadObject", bucket=bucket.bucket_name, key=key
            ) from exc
        self.size = head.size
        self.etag = head.etag
        self._pos = 0
        self._cache: tuple[int, bytes] | None = None  # (offset, data)
        self._ahead: tuple[int, Future[bytes]] | None = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="ossbrowse-readahead")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def _fetch(self, offset: int) -> bytes:
        end = min(self.size, offset + self._block) - 1

        def attempt() -> bytes:
            body = objects.get_object(
                self._bucket, self._key, offset, end + 1, if_match=self.etag, standard_range=False
            )
            return body.read()

        try:
            return self._retry.call(attempt)
        except Exception as exc:
            if getattr(exc, "status", None) == 412:
                raise SourceChanged(
                    f"oss://{self._bucket.bucket_name}/{self._key} changed while being read.",
                    hint="Open it again to read the new version.",
                ) from exc
            raise describe(
                exc, action="oss:GetObject", bucket=self._bucket.bucket_name, key=self._key
            ) from exc

    def _block_at(self, start: int) -> bytes:
        if self._cache and self._cache[0] == start:
            return self._cache[1]
        if self._ahead and self._ahead[0] == start:
            data = self._ahead[1].result()
        else:
            data = self._fetch(start)
        self._cache = (start, data)
        following = start + self._block
        self._ahead = None
        if following < self.size:  # read ahead: the next block arrives while this is consumed
            self._ahead = (following, self._executor.submit(self._fetch, following))
        return data

    def readinto(self, buffer) -> int:
        if self._pos >= self.size:
            return 0
        start = self._pos - self._pos % self._block
        data = self._block_at(start)
        inner = self._pos - start
        n = min(len(buffer), len(data) - inner)
        buffer[:n] = data[inner : inner + n]
        self._pos += n
        return n

    def close(self) -> None:
        if not self.closed:
            self._executor.shutdown(wait=False, cancel_futures=True)
        super().close()


# --- writing -------------------------------------------------------------------------------


class ObjectWriter(io.RawIOBase):
    """See the module docstring. `published` is how many bytes a reader of OSS sees."""

    def __init__(
        self, bucket, key: str, *, part_size: int | None = None, threads: int = 4, retry=None
    ):
        super().__init__()
        self._bucket, self._key = bucket, key
        self._part_size = max(part_size or DEFAULT_PART_SIZE, MIN_PART_SIZE)
        self._retry = retry or DEFAULT_RETRY
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="ossbrowse-writer")
        self._slots = threading.Semaphore(max(1, threads))
        self._buffer = bytearray()  # written, not yet sent as a part
        self._written = 0
        self._crc = 0  # of everything written: what OSS must report once it is published
        self.published = 0
        self._published_etag: str | None = None
        self._upload_id: str | None = None
        self._parts: list[Future[tuple[int, str]]] = []
        self._next_part = 1
        self._failed = False

    @property
    def name(self) -> str:
        return f"oss://{self._bucket.bucket_name}/{self._key}"

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.closed:
            raise ValueError("write to a closed file")
        self._raise_part_errors()
        view = memoryview(data).cast("B")
        self._buffer += view
        self._written += len(view)
        self._crc = crc64(view, self._crc)
        while len(self._buffer) >= self._part_size:
            chunk = bytes(self._buffer[: self._part_size])
            del self._buffer[: self._part_size]
            self._send_part(chunk)
        return len(view)

    def _where(self) -> dict:
        return {"bucket": self._bucket.bucket_name, "key": self._key}

    def _start_upload(self) -> None:
        bucket, key = self._bucket, self._key
        upload_id = self._retry.call(lambda: multipart.init_upload(bucket, key))
        self._upload_id = upload_id
        self._next_part = 1
        self._parts = []
        if self.published >= MIN_PART_SIZE:
            # The published version becomes the first parts, copied inside OSS.
            etag = self._published_etag
            if etag is None:  # pragma: no cover - defensive: set whenever `published` is
                raise AssertionError("published bytes without an ETag")
            ranges = []
            offset = 0
            while offset < self.published:
                end = min(self.published, offset + COPY_RANGE)
                if self.published - end < MIN_PART_SIZE:
                    end = self.published  # never leave a copy range under 100 KB
                ranges.append((offset, end))
                offset = end
            for start, end in ranges:
                number = self._next_part
                self._next_part += 1

                def copy(number=number, start=start, end=end) -> tuple[int, str]:
                    result = self._retry.call(
                        lambda: multipart.upload_part_copy(
                            bucket,
                            key,
                            upload_id,
                            number,
                            (bucket.bucket_name, key),
                            (start, end - 1),
                            headers={"x-oss-copy-source-if-match": etag},
                        )
                    )
                    return number, result.etag

                self._submit(copy)

    def _submit(self, fn) -> None:
        self._slots.acquire()
        try:
            future = self._pool.submit(fn)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        self._parts.append(future)

    def _send_part(self, data: bytes) -> None:
        if self._upload_id is None:
            self._start_upload()
        number = self._next_part
        self._next_part += 1
        bucket, key, upload_id = self._bucket, self._key, self._upload_id
        expected = crc64(data)

        def send() -> tuple[int, str]:
            def attempt():
                result = multipart.upload_part(bucket, key, upload_id, number, data)
                if result.crc is not None and result.crc != expected:
                    raise PartChecksumMismatch(f"part {number}")
                return result

            return number, self._retry.call(attempt).etag

        self._submit(send)

    def _raise_part_errors(self) -> None:
        for future in self._parts:
            exc = future.exception() if future.done() else None
            if exc is not None:
                self._failed = True
                raise self._translate(exc)

    def _translate(self, exc: BaseException) -> OssBrowseError:
        if isinstance(exc, PartChecksumMismatch):
            return ChecksumMismatch(f"A part of {self.name} kept arriving damaged (CRC64).")
        return describe(exc, action="oss:UploadPart", **self._where())

    def flush(self) -> None:
        """Publish everything written so far (a no-op when nothing new was written)."""
        # An empty file is published too: `open(url, "wb")` then close makes a 0-byte object.
        unchanged = self._written == self.published and self._published_etag is not None
        if self.closed or self._failed or unchanged:
            return
        bucket, key = self._bucket, self._key
        try:
            if self._upload_id is None and self.published < MIN_PART_SIZE:
                # Small: the whole content (a small published head included) in one PutObject.
                if self._written > len(self._buffer):  # pragma: no cover - defensive
                    raise AssertionError("lost the head of a small object")
                data = bytes(self._buffer)
                # Content-MD5: a body damaged on the way is refused (InvalidDigest, retried)
                # instead of replacing the object with wrong bytes.
                headers = {"Content-MD5": content_md5(data)}
                result = self._retry.call(lambda: objects.put_object(bucket, key, data, headers))
            else:
                if self._upload_id is None:
                    self._start_upload()
                if self._buffer or self._next_part == 1:
                    self._send_part(bytes(self._buffer))
                done = [f.result() for f in self._parts]
                upload_id = self._upload_id
                if upload_id is None:  # pragma: no cover - defensive: started just above
                    raise AssertionError("the multipart upload was not started")
                # Safe to repeat: a lost success answer is told apart by CRC64.
                result = complete_multipart_upload(
                    bucket, key, upload_id, done, expect_crc=self._crc, policy=self._retry
                )
                self._upload_id = None
                self._parts = []
        except Exception as exc:
            self._failed = True
            self._abort()
            raise self._translate(exc) from exc
        if result.crc is not None and result.crc != self._crc:
            self._failed = True
            raise ChecksumMismatch(
                f"{self.name} does not hold what was written (CRC64 mismatch).",
                hint="Write it again.",
            )
        self.published = self._written
        self._published_etag = result.etag
        if self.published >= MIN_PART_SIZE:
            self._buffer = bytearray()  # from now on the published bytes are copied, not sent
        # else: the buffer keeps the small head, to be sent again with what follows

    def _abort(self) -> None:
        for future in self._parts:
            future.cancel()
        upload_id, self._upload_id = self._upload_id, None
        if upload_id:
            for future in self._parts:
                with contextlib.suppress(Exception):
                    future.result()
            with contextlib.suppress(Exception):
                # Retried: an abort lost to a transient error leaves the upload costing storage.
                self._retry.call(lambda: multipart.abort_upload(self._bucket, self._key, upload_id))
        self._parts = []

    def discard(self) -> None:
        """Close without publishing anything new; the upload in progress is aborted."""
        if self.closed:
            return
        self._failed = True
        self._abort()
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().close()

    def close(self) -> None:
        if self.closed:
            return
        try:
            if not self._failed:
                self.flush()
        finally:
            if self._upload_id:
                self._abort()
            self._pool.shutdown(wait=True)
            super().close()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()
        else:
            self.close()


class ObjectAppender(io.RawIOBase):
    """`"ab"`: writes are buffered and sent with AppendObject at each flush."""

    def __init__(self, bucket, key: str, *, retry=None) -> None:
        super().__init__()
        self._bucket, self._key = bucket, key
        self._retry = retry or DEFAULT_RETRY
        self._buffer = bytearray()
        try:
            head = self._retry.call(lambda: objects.head(bucket, key))
        except NotFoundError:
            self.position, self._crc = 0, 0
        else:
            if head.object_type != "Appendable":
                raise UsageError(
                    f"oss://{bucket.bucket_name}/{key} is a {head.object_type} object; only "
                    "Appendable objects can be appended to.",
                    hint="Open it with 'wb' to replace it, or append to a new key.",
                )
            self.position, self._crc = head.size, head.crc64 or 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.closed:
            raise ValueError("write to a closed file")
        view = memoryview(data).cast("B")
        self._buffer += view
        return len(view)

    def flush(self) -> None:
        if self.closed or not self._buffer:
            return
        data = bytes(self._buffer)
        expected = crc64_combine(self._crc, crc64(data), len(data))
        bucket, key, position = self._bucket, self._key, self.position
        try:
            # Not retried blindly: an append that succeeded but whose answer was lost would
            # be appended twice; PositionNotEqualToLength on a retry tells exactly that.
            result = objects.append_object(bucket, key, position, data)
        except Exception as exc:
            raise describe(
                exc, action="oss:AppendObject", bucket=bucket.bucket_name, key=key
            ) from exc
        if result.crc is not None and result.crc != expected:
            raise ChecksumMismatch(
                f"oss://{bucket.bucket_name}/{key}: CRC64 mismatch after append."
            )
        self.position = result.next_position
        self._crc = expected
        self._buffer.clear()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self.flush()
        finally:
            super().close()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self._buffer.clear()  # publish nothing new
        self.close()
