"""Upload one local file to one object: PutObject under the threshold, parallel multipart above.

Each part is read (`os.pread`) by the worker that sends it, so memory is bounded by the parts in
flight. Each part's CRC64 is checked against the one OSS answers with, and the whole object's
CRC64, combined from the parts, against the one CompleteMultipartUpload reports: also after a
resume, where a part of the earlier run is reused only if the file's bytes still have the CRC64
the checkpoint recorded (or, when the checkpoint missed it, the MD5 that is the part's ETag).
While a multipart upload runs, a lock beside its checkpoint keeps a second run of it away.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from dataclasses import dataclass

from ossbrowse.crc64 import crc64, crc64_combine
from ossbrowse.errors import NoSuchUpload
from ossbrowse.fs.gateway import multipart, objects
from ossbrowse.fs.gateway.multipart import complete_multipart_upload, list_parts
from ossbrowse.fs.records import MTIME_HEADER
from ossbrowse.fs.retrying import PartChecksumMismatch
from ossbrowse.tasks.control import Cancelled
from ossbrowse.text import safe_text
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import checkpoint_id
from ossbrowse.transfer.context import CHUNK, Context, run_parts
from ossbrowse.transfer.failures import ChecksumMismatch, SourceChanged, describe
from ossbrowse.transfer.plan import Part, choose_part_size, content_md5, plan_parts


@dataclass(frozen=True, slots=True)
class Uploaded:
    size: int
    crc64: int
    etag: str | None
    resumed_bytes: int = 0  # bytes that an earlier, interrupted run had already sent


class _PartBody:
    """A part's bytes as requests sends them: length known up front (Content-Length), handed
    over in 1 MiB memoryview slices (no copy) so cancel and progress act between them."""

    def __init__(self, data: bytes, ctx: Context) -> None:
        self._data = memoryview(data)
        self._ctx = ctx
        self.sent = 0

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self):
        for start in range(0, len(self._data), CHUNK):
            self._ctx.control.check()
            chunk = self._data[start : start + CHUNK]
            yield chunk
            self.sent += len(chunk)
            self._ctx.meter.add(len(chunk))


def _identity(st: os.stat_result) -> dict:
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _check_unchanged(path: str, before: os.stat_result) -> None:
    now = os.stat(path)
    if _identity(now) != _identity(before):
        raise SourceChanged(
            f"{path} changed while it was being uploaded.",
            hint="Wait until nothing writes to it, then copy it again.",
        )


def mtime_headers(st: os.stat_result) -> dict[str, str]:
    # Whole seconds, as ossfs writes and reads x-oss-meta-mtime.
    return {MTIME_HEADER: str(int(st.st_mtime))}


def _send_part(ctx: Context, bucket, key: str, upload_id: str, part: Part, data: bytes):
    local_crc = crc64(data)

    def attempt():
        body = _PartBody(data, ctx)
        try:
            result = multipart.upload_part(bucket, key, upload_id, part.number, body)
        except BaseException:
            ctx.meter.add(-body.sent)  # these bytes will be sent again (or never arrive)
            raise
        if result.crc is not None and result.crc != local_crc:
            ctx.meter.add(-body.sent)
            raise PartChecksumMismatch(f"part {part.number}")
        return result

    result = ctx.retry.call(attempt, ctx.control)
    return result.etag, local_crc


def upload_file(
    ctx: Context, path: str, bucket, key: str, *, threshold: int | None = None
) -> Uploaded:
    """Upload `path` to `key` in `bucket` (the gateway's BucketHandle)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        st = os.fstat(fd)
        part_size = choose_part_size(st.st_size, ctx.part_size)
        limit = threshold if threshold is not None else part_size
        if st.st_size < limit or st.st_size <= part_size:
            return _put_small(ctx, fd, st, bucket, key)
        return _put_multipart(ctx, fd, st, path, bucket, key, part_size)
    finally:
        os.close(fd)


def _put_small(ctx: Context, fd: int, st: os.stat_result, bucket, key: str) -> Uploaded:
    ctx.control.gate()
    data = os.pread(fd, st.st_size, 0)
    if len(data) != st.st_size:
        raise SourceChanged(f"The file for {key} shrank while it was being read.")
    local_crc = crc64(data)
    # Content-MD5: a body damaged on the way is refused (InvalidDigest, retried) instead of
    # replacing the object under its name with wrong bytes until the CRC check notices.
    headers = {**mtime_headers(st), "Content-MD5": content_md5(data)}

    def attempt():
        body = _PartBody(data, ctx)
        try:
            result = objects.put_object(bucket, key, body, headers)
        except BaseException:
            ctx.meter.add(-body.sent)
            raise
        if result.crc is not None and result.crc != local_crc:
            ctx.meter.add(-body.sent)
            raise PartChecksumMismatch(key)
        return result

    try:
        result = ctx.retry.call(attempt, ctx.control)
    except PartChecksumMismatch:
        raise ChecksumMismatch(
            f"oss://{bucket.bucket_name}/{key} kept arriving damaged (CRC64 mismatch).",
            hint="Check the network path to the endpoint, then copy again.",
        ) from None
    except Cancelled:
        raise
    except Exception as exc:
        if _is_control(exc):
            raise
        raise describe(exc, action="oss:PutObject", bucket=bucket.bucket_name, key=key) from exc
    return Uploaded(st.st_size, local_crc, result.etag)


def _is_control(exc: BaseException) -> bool:
    from ossbrowse.tasks.control import Stopped

    return isinstance(exc, Cancelled | Stopped)


CHECKPOINT_INTERVAL = 0.5  # seconds between checkpoint saves while parts finish


def _save_latest(ctx, ident: str, record: dict, lock) -> None:
    """Write the checkpoint with every part finished so far (saves are throttled while parts
    finish); a failure to write it only costs a ListParts on resume."""
    if ctx.store is None:
        return
    with lock, contextlib.suppress(OSError):
        ctx.store.save(ident, record)


def _list_parts(bucket, key: str, upload_id: str) -> dict[int, tuple[str, int]]:
    return {p.number: (p.etag.upper(), p.size) for p in list_parts(bucket, key, upload_id)}


def _resume_state(ctx, ident, fd, st, path, bucket, key, part_size, parts):
    """(upload_id, {part number: (etag, crc)}) from an earlier run, or (None, {})."""
    if ctx.store is None:
        return None, {}
    saved = ctx.store.load(ident)
    if not saved or not saved.get("upload_id"):
        return None, {}
    upload_id = saved["upload_id"]
    same_source = saved.get("source") == _identity(st) and saved.get("part_size") == part_size
    if not same_source:
        ctx.note(f"{path} changed since the interrupted upload: starting it over.")
        with contextlib.suppress(Exception):
            multipart.abort_upload(bucket, key, upload_id)
        ctx.store.delete(ident)
        return None, {}
    try:
        on_server = ctx.retry.call(lambda: _list_parts(bucket, key, upload_id), ctx.control)
    except NoSuchUpload:
        ctx.note(f"The interrupted upload of {path} is gone from OSS: starting it over.")
        ctx.store.delete(ident)
        return None, {}
    done: dict[int, tuple[str, int]] = {}
    recorded = saved.get("parts") or {}
    by_number = {p.number: p for p in parts}
    for number, (etag, size) in on_server.items():
        part = by_number.get(number)
        if part is None or size != part.size:
            continue
        # The local bytes are read again either way: a file rewritten in place with its
        # mtime put back looks unchanged to `_identity`, and a part is reused only if what is
        # on disk now is what was sent (issue 11, case 7). CRC64 runs at GB/s; the network
        # send it may save is far slower.
        data = os.pread(fd, part.size, part.offset)
        entry = recorded.get(str(number))
        if isinstance(entry, dict) and str(entry.get("etag", "")).upper() == etag:
            local = crc64(data)
            with contextlib.suppress(TypeError, ValueError):
                if local == int(entry["crc64"]):
                    done[number] = (etag, local)
            continue
        # Sent by the killed run after its last checkpoint write: a part's ETag is the MD5 of
        # its bytes, so re-reading them locally proves the server holds the right ones.
        if hashlib.md5(data).hexdigest().upper() == etag:
            done[number] = (etag, crc64(data))
    return upload_id, done


def _put_multipart(ctx, fd, st, path, bucket, key, part_size) -> Uploaded:
    url = f"oss://{bucket.bucket_name}/{key}"
    ident = checkpoint_id("upload", os.path.abspath(path), url)
    lock = _lock_upload(ctx, ident, path, url)
    try:
        return _put_multipart_locked(ctx, fd, st, path, bucket, key, part_size, ident)
    finally:
        if lock is not None:
            destlock.release(lock, ctx.store.lock_path(ident))


def _lock_upload(ctx, ident: str, path: str, url: str) -> int | None:
    """Two runs of one upload would share its checkpoint and its multipart upload, and each
    complete it with the other's parts (issue 11, case 1): the second one refuses. Without a
    checkpoint nothing is shared, so nothing needs a lock."""
    if ctx.store is None:
        return None
    try:
        return destlock.acquire(ctx.store.lock_path(ident))
    except BlockingIOError as exc:
        raise destlock.busy(
            exc, f"{safe_text(url)} is already being uploaded from {safe_text(path)} by"
        ) from None
    except OSError:
        return None  # the state folder cannot hold a lock: the checkpoint write will say why


def _put_multipart_locked(ctx, fd, st, path, bucket, key, part_size, ident) -> Uploaded:
    parts = plan_parts(st.st_size, part_size)
    url = f"oss://{bucket.bucket_name}/{key}"
    try:
        upload_id, done = _resume_state(ctx, ident, fd, st, path, bucket, key, part_size, parts)
        if upload_id is None:
            upload_id = ctx.retry.call(
                lambda: multipart.init_upload(bucket, key, mtime_headers(st)), ctx.control
            )
    except Exception as exc:
        if _is_control(exc):
            raise
        raise describe(
            exc, action="oss:InitiateMultipartUpload", bucket=bucket.bucket_name, key=key
        ) from exc

    record = {
        "kind": "upload",
        "src": os.path.abspath(path),
        "dst": url,
        "bucket": bucket.bucket_name,
        "key": key,
        "upload_id": upload_id,
        "source": _identity(st),
        "size": st.st_size,
        "part_size": part_size,
        "parts": {
            str(n): {"etag": e, "crc64": c, "size": parts[n - 1].size} for n, (e, c) in done.items()
        },
    }
    if ctx.store is not None:
        ctx.store.save(ident, record)
    resumed = sum(parts[n - 1].size for n in done)
    ctx.meter.add(resumed)

    import threading

    record_lock = threading.Lock()
    last_save = [time.monotonic()]

    def send(part: Part) -> None:
        data = os.pread(fd, part.size, part.offset)
        if len(data) != part.size:
            raise SourceChanged(f"{path} shrank while it was being uploaded.")
        etag, crc = _send_part(ctx, bucket, key, upload_id, part, data)
        del data
        with record_lock:
            done[part.number] = (etag, crc)
            record["parts"][str(part.number)] = {"etag": etag, "crc64": crc, "size": part.size}
            # Saved at most every CHECKPOINT_INTERVAL: a save (JSON of every part, fsync) per
            # part serialised ~10% of the workers' time, and grows with the part count. Parts
            # finished since the last save are not lost: a resume finds them with ListParts
            # and proves them by the MD5 of the local bytes (`_resume_state`).
            # While paused, every finished part is saved: the pause may last, and
            # `ossbrowse transfers` shows what the checkpoint holds.
            now = time.monotonic()
            due = now - last_save[0] >= CHECKPOINT_INTERVAL or ctx.control.paused
            if ctx.store is not None and due:
                last_save[0] = now
                ctx.store.save(ident, record)

    abort = _abort_on_cancel(ctx, ident, bucket, key, upload_id)
    forget = ctx.add_cleanup(abort) if ctx.add_cleanup is not None else None
    try:
        run_parts(ctx, [p for p in parts if p.number not in done], send)
        _check_unchanged(path, st)
        result = _complete(ctx, bucket, key, upload_id, [(n, e) for n, (e, _) in done.items()])
    except Cancelled:
        if forget is None:
            abort(locked=True)  # no task to leave it to: now, under this run's lock
        raise  # the task's clean-up aborts it once the task has ended
    except Exception as exc:
        if forget is not None:
            forget()  # not cancelled: kept to resume, or aborted below
        if _is_control(exc):
            _save_latest(ctx, ident, record, record_lock)  # paused or stopped: resumable
            raise
        # Without a checkpoint nobody can resume (or find) this upload again, and a changed
        # source makes its parts worthless: abort it, or it keeps costing storage unseen.
        if ctx.store is None or isinstance(exc, SourceChanged):
            with contextlib.suppress(Exception):
                # Retried (without the job's control: it may be the reason we stop).
                ctx.retry.call(lambda: multipart.abort_upload(bucket, key, upload_id))
            if ctx.store is not None:
                ctx.store.delete(ident)
        else:
            _save_latest(ctx, ident, record, record_lock)
        if isinstance(exc, PartChecksumMismatch):
            raise ChecksumMismatch(
                f"A part of {url} kept arriving damaged (CRC64 mismatch).",
                hint="Check the network path to the endpoint, then run the same command again.",
            ) from None
        raise describe(exc, action="oss:UploadPart", bucket=bucket.bucket_name, key=key) from exc

    if forget is not None:
        forget()
    whole = 0
    for part in parts:
        whole = crc64_combine(whole, done[part.number][1], part.size)
    if ctx.store is not None:
        ctx.store.delete(ident)
    if result is not None and result.crc is not None and result.crc != whole:
        raise ChecksumMismatch(
            f"{url} does not match {path}: CRC64 {result.crc:016x} on OSS, {whole:016x} here.",
            hint="Copy it again; if it happens again, the file changed during the upload.",
        )
    return Uploaded(st.st_size, whole, result.etag if result else None, resumed)


def _abort_on_cancel(ctx, ident: str, bucket, key: str, upload_id: str):
    """The clean-up of a cancelled upload: abort it on OSS (its parts cost storage unseen) and
    forget its checkpoint. Registered with the task (`Context.add_cleanup`), so the runner runs
    it when the task ends cancelled or failed and the upload has not finished or been kept."""

    def abort(locked: bool = False) -> None:
        lock = None
        if not locked and ctx.store is not None:
            # The upload's lock again: a run of the same upload started since this one ended
            # resumes it, so it is that run's now and stays.
            try:
                lock = destlock.acquire(ctx.store.lock_path(ident))
            except BlockingIOError:
                return
            except OSError:
                lock = None
        try:
            with contextlib.suppress(Exception):
                # Retried without the task's control: the cancel is why it runs.
                ctx.retry.call(lambda: multipart.abort_upload(bucket, key, upload_id))
            if ctx.store is not None:
                ctx.store.delete(ident)
        finally:
            if lock is not None:
                destlock.release(lock, ctx.store.lock_path(ident))

    return abort


def _complete(ctx, bucket, key, upload_id, parts):
    """CompleteMultipartUpload; when a retry finds the upload already gone (the first attempt
    completed but its answer was lost), the object's HEAD stands in for the answer (its CRC64
    is then checked against the file's by the caller)."""
    return complete_multipart_upload(
        bucket, key, upload_id, parts, policy=ctx.retry, control=ctx.control
    )
