"""Download one object to one local file: parallel ranged GETs written in place.

Every GET carries `If-Match` on the ETag the download started with, so a part of a newer
version can never be stitched to parts of the old one; a download of one version (`version_id`)
names it on every GET as well, and its checkpoint records it. Bytes land with `os.pwrite` in a
temporary file beside the destination (a fixed-length name derived from the destination and the
transfer's id, see `tempname`), locked for the whole download (`destlock`: a second run of the
same download refuses instead of taking the file over); the whole file's CRC64 (combined from
the parts) is checked against `x-oss-hash-crc64ecma`, the file is fsynced, and only then the
file this run wrote (checked by inode) is renamed to its name: a destination never holds a
half-written file, nor another run's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading

from ossbrowse.crc64 import crc64, crc64_combine
from ossbrowse.errors import OssBrowseError, Unreachable
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import RestoreStatus
from ossbrowse.fs.retrying import PartChecksumMismatch
from ossbrowse.tasks.control import Cancelled, Stopped
from ossbrowse.text import safe_text
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import checkpoint_id
from ossbrowse.transfer.context import CHUNK, Context, run_parts
from ossbrowse.transfer.failures import ChecksumMismatch, NotRestored, SourceChanged, describe
from ossbrowse.transfer.filemode import apply_final_mode
from ossbrowse.transfer.plan import Part, choose_part_size, plan_parts
from ossbrowse.transfer.tempname import transfer_temp_path


class BodyInterrupted(Unreachable):
    """The connection ended before a part's body did: transient, the part is fetched again."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The connection broke off while an object was being downloaded ({detail}).",
            hint="Check the network, then run the same command again.",
        )


def head(ctx: Context, bucket, key: str, version_id: str = "") -> ObjectRecord:
    """HEAD of the object (of one version of it with `version_id`)."""
    try:
        return ctx.retry.call(
            lambda: objects.head(bucket, key, version_id=version_id), ctx.control
        )
    except (Cancelled, Stopped):
        raise
    except Exception as exc:
        raise describe(exc, action="oss:HeadObject", bucket=bucket.bucket_name, key=key) from exc


def refuse_unrestored(info: ObjectRecord, bucket_name: str, key: str) -> None:
    """Refuse an archived object that is not readable, before any byte moves (a restored
    copy whose expiry date has passed is not readable either)."""
    if info.restore.readable:
        return
    url = f"oss://{bucket_name}/{key}"
    if info.restore.status is RestoreStatus.IN_PROGRESS:
        raise NotRestored(
            f"{url} is {info.storage_class} and its restore is still running.",
            hint="Wait until the restore completes, then copy it again.",
        )
    raise NotRestored(
        f"{url} is {info.storage_class} and has not been restored (or its restored copy has "
        "expired), so it cannot be read.",
        hint=f"Restore it first (ossbrowse restore {url}), then copy it again once it is ready.",
    )


def _pwrite_all(fd: int, piece: memoryview, offset: int, path: str | None) -> None:
    """Write all of `piece`; a failure names the local file, so a full disk (ENOSPC, EFBIG)
    is reported as the local problem it is, not retried as a network one."""
    try:
        written = os.pwrite(fd, piece, offset)
        while written < len(piece):  # pwrite to a regular file rarely comes up short, but may
            written += os.pwrite(fd, piece[written:], offset + written)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path or "the destination file") from exc


def _read_body_into(
    body: objects.ObjectBody,
    fd: int,
    offset: int,
    size: int,
    ctx: Context,
    buf: bytearray,
    path: str | None = None,
) -> int:
    """Stream a GET's body to `fd` at `offset`; returns the CRC64 of the bytes written.

    Reads go straight from the socket into one reused buffer (`ObjectBody.readinto`): no
    per-chunk allocation, one copy from the kernel.
    """
    view = memoryview(buf)
    crc = 0
    got = 0
    try:
        while got < size:
            ctx.control.check()
            want = min(len(buf), size - got)
            n = body.readinto(view[:want])
            if not n:
                raise BodyInterrupted(f"body ended after {got} of {size} bytes")
            piece = view[:n]
            _pwrite_all(fd, piece, offset + got, path)
            crc = crc64(piece, crc)
            got += n
            ctx.meter.add(n)
    except BaseException:
        ctx.meter.add(-got)
        body.abandon()
        raise
    body.release()
    return crc


def _fetch_part(
    ctx: Context,
    bucket,
    key: str,
    etag: str,
    fd: int,
    part: Part,
    expect: int | None = None,
    path: str | None = None,
    version_id: str = "",
) -> int:
    buf = bytearray(min(CHUNK, max(part.size, 1)))

    def attempt() -> int:
        try:
            body = objects.get_object(
                bucket,
                key,
                part.offset,
                part.end if part.size else None,
                if_match=etag,
                standard_range=False,
                version_id=version_id,
            )
            crc = _read_body_into(body, fd, part.offset, part.size, ctx, buf, path)
        except BodyInterrupted:
            raise
        except Exception as exc:
            if isinstance(exc, OSError) and getattr(exc, "filename", None):
                raise  # the local disk, not the network
            if isinstance(exc, OSError):
                raise BodyInterrupted(str(exc)) from exc
            raise
        if expect is not None and crc != expect:
            ctx.meter.add(-part.size)
            raise PartChecksumMismatch(key)
        return crc

    return ctx.retry.call(attempt, ctx.control)


def temp_path_for(dest: str, ident: str) -> str:
    return transfer_temp_path(dest, ident)


_DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})


def _lock_temp(temp: str, dest: str, url: str) -> int:
    """Open and lock the temporary file: one run of this download at a time (see destlock)."""
    doing = f"{safe_text(dest)} is already being downloaded from {safe_text(url)} by"
    return destlock.lock_temp(temp, dest, doing)


def _start_fresh(fd: int, size: int, dest: str) -> None:
    """Empty the locked temporary file and give it the object's size (sparse)."""
    try:
        os.ftruncate(fd, 0)
        os.ftruncate(fd, size)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, dest) from exc


def _discard(fd: int, temp: str) -> None:
    """Remove the temporary file if its name is still ours, then drop the lock."""
    destlock.release(fd, temp)


def same_source(saved, info: ObjectRecord, version_id: str) -> bool:
    """Whether a checkpoint was written for these very source bytes: the same ETag and size,
    and the same version (a resume of `cp --version-id V` continues V, never the current one)."""
    return bool(
        saved
        and saved.get("etag") == info.etag
        and saved.get("size") == info.size
        and (saved.get("version_id") or "") == version_id
    )


def _verified_parts(saved, info, fd: int, parts, version_id: str = "") -> dict[int, int]:
    """Parts the checkpoint says are in the temp file, each re-checked against its CRC64."""
    if not same_source(saved, info, version_id):
        return {}
    if os.fstat(fd).st_size != info.size:
        return {}
    recorded = saved.get("parts") or {}
    good: dict[int, int] = {}
    for part in parts:
        entry = recorded.get(str(part.number))
        if not isinstance(entry, dict) or int(entry.get("size", -1)) != part.size:
            continue
        with contextlib.suppress(TypeError, ValueError):
            if crc64(os.pread(fd, part.size, part.offset)) == int(entry["crc64"]):
                good[part.number] = int(entry["crc64"])
    return good


def _is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _DISK_FULL and bool(exc.filename)


def download_object(
    ctx: Context,
    bucket,
    key: str,
    dest: str,
    info: ObjectRecord | None = None,
    *,
    version_id: str = "",
) -> ObjectRecord:
    """Download `key` (its version `version_id`, when given) to `dest` (replaced only once the
    whole file checks out)."""
    info = info or head(ctx, bucket, key, version_id)
    refuse_unrestored(info, bucket.bucket_name, key)
    # The checkpoint's id is the object's URL and the destination, as for any download; the
    # version goes in the record, so a resume of another version starts over.
    url = f"oss://{bucket.bucket_name}/{key}"
    shown = f"{url} (version {version_id})" if version_id else url
    part_size = choose_part_size(info.size, ctx.part_size)
    parts = plan_parts(info.size, part_size)
    dest = os.path.abspath(dest)
    ident = checkpoint_id("download", url, dest)
    temp = temp_path_for(dest, ident)
    checkpoints = ctx.store if len(parts) > 1 else None  # None: this download is not resumable
    # The lock comes first: until it is held, the temporary file and the checkpoint may be
    # another run's, which must be neither read nor removed (issue 11, case 1).
    fd = _lock_temp(temp, dest, url)
    try:
        saved = checkpoints.load(ident) if checkpoints is not None else None
        if saved and (not same_source(saved, info, version_id)
                      or saved.get("part_size") != part_size):  # fmt: skip
            ctx.note(f"{shown} changed since the interrupted download: starting it over.")
        done = _verified_parts(saved, info, fd, parts, version_id) if saved else {}
        if not done:
            _start_fresh(fd, info.size, dest)
    except BaseException:
        _discard(fd, temp)
        raise
    record = {
        "kind": "download",
        "src": url,
        "dst": dest,
        "bucket": bucket.bucket_name,
        "key": key,
        "etag": info.etag,
        "size": info.size,
        "version_id": version_id,
        "part_size": part_size,
        "parts": {str(n): {"crc64": c, "size": parts[n - 1].size} for n, c in done.items()},
    }
    lock = threading.Lock()
    resumed = sum(parts[n - 1].size for n in done)
    ctx.meter.add(resumed)

    def fetch(part: Part) -> None:
        # A single part is the whole object: its CRC is known, so damage is retried at once.
        expect = info.crc64 if len(parts) == 1 else None
        crc = _fetch_part(ctx, bucket, key, info.etag, fd, part, expect, dest, version_id)
        with lock:
            done[part.number] = crc
            record["parts"][str(part.number)] = {"crc64": crc, "size": part.size}
            if checkpoints is not None:
                checkpoints.save(ident, record)

    try:
        if checkpoints is not None:
            checkpoints.save(ident, record)
        elif ctx.store is not None:
            # A single part is not resumed, but a kill would still leave its temporary file:
            # this record (no fsync: ~0.15 ms, against ~3 ms with one) lets `transfers` list
            # and clean it.
            with contextlib.suppress(OSError):  # only a listing is at stake
                ctx.store.save(ident, record, durable=False)
        run_parts(ctx, [p for p in parts if p.number not in done], fetch)
        whole = 0
        for part in parts:
            whole = crc64_combine(whole, done[part.number], part.size)
        if info.crc64 is not None and whole != info.crc64:
            raise ChecksumMismatch(
                f"The bytes downloaded from {shown} do not match its CRC64 "
                f"({whole:016x} here, {info.crc64:016x} on OSS).",
                hint="Nothing was written to the destination; copy it again.",
            )
        try:
            os.fsync(fd)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, dest) from exc
    except BaseException as exc:
        # Keep the temp file and checkpoint when a re-run can resume from them (a stop, a
        # network failure that outlasted the retries); drop them when they are worthless. A
        # full disk is one of those: the partial file holds the space that is missing, and it
        # would be a leftover the person cannot see (issue 11, case 8).
        # Without a checkpoint (a single part) nothing can resume it, even after a stop: its
        # temp file would be a leftover nobody lists.
        worthless = (
            isinstance(exc, Cancelled | ChecksumMismatch)
            or _is_precondition_failed(exc)
            or _is_disk_full(exc)
        )
        keep = checkpoints is not None and (isinstance(exc, Stopped) or not worthless)
        if keep:
            os.close(fd)
        else:
            if ctx.store is not None:
                ctx.store.delete(ident)
            _discard(fd, temp)
        if isinstance(exc, Cancelled | Stopped | ChecksumMismatch):
            raise
        if _is_precondition_failed(exc):
            raise SourceChanged(
                f"{shown} changed while it was being downloaded.",
                hint="Copy it again to get the new version.",
            ) from exc
        if isinstance(exc, PartChecksumMismatch):
            raise ChecksumMismatch(
                f"{shown} kept arriving damaged (CRC64 mismatch).",
                hint="Nothing was written to the destination; check the network, copy again.",
            ) from None
        if isinstance(exc, Exception):
            raise describe(exc, action="oss:GetObject", bucket=bucket.bucket_name, key=key) from exc
        raise
    _publish(ctx, fd, temp, dest, ident, info)
    return info


def _publish(ctx: Context, fd: int, temp: str, dest: str, ident: str, info: ObjectRecord) -> None:
    """Give the checked temporary file its mode, times and name; only the file this run wrote
    (the open descriptor's inode) is ever renamed, never whatever now has the temp name."""
    try:
        if info.mtime is not None:
            with contextlib.suppress(OSError):
                os.utime(fd, (info.mtime, info.mtime))
        with contextlib.suppress(OSError):
            apply_final_mode(fd, dest)
        # Forgotten before the rename: once the name is free, another run may start and
        # write its own checkpoint under the same id.
        if ctx.store is not None:
            ctx.store.delete(ident)
        if not destlock.same_file(fd, temp):
            raise OssBrowseError(
                f"The temporary file for {safe_text(dest)} was replaced by another program "
                "while it was being written, so nothing was published.",
                hint="Make sure nothing else writes into that folder, then copy it again.",
            )
        try:
            os.replace(temp, dest)
        except OSError as exc:
            # A folder (or something else) is in the way: report the clash, keep no temp file.
            if destlock.same_file(fd, temp):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            raise OSError(exc.errno, exc.strerror, dest) from exc
    finally:
        os.close(fd)


def _is_precondition_failed(exc: BaseException) -> bool:
    return getattr(exc, "status", None) == 412
