"""What an unfinished transfer left on the local disk, and giving it up safely.

A clean-up takes the same lock the transfer holds (`destlock`), so it never removes a temporary
file or checkpoint that a running transfer is still writing; it removes only a temporary file
whose name we derived (`tempname`), never a path a checkpoint names.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from ossbrowse.fs.gateway import multipart
from ossbrowse.fs.gateway.handle import BucketHandle
from ossbrowse.text import safe_text
from ossbrowse.transfer import destlock
from ossbrowse.transfer.checkpoint import CheckpointInfo, CheckpointStore
from ossbrowse.transfer.destlock import TransferBusy
from ossbrowse.transfer.failures import describe
from ossbrowse.transfer.tempname import is_temp_name


def temp_bytes(info: CheckpointInfo) -> int | None:
    """Bytes the transfer's temporary file holds on disk now (None: it has none)."""
    if not info.temp_path:
        return None
    try:
        st = os.lstat(info.temp_path)
    except OSError:
        return None
    # A download's temporary file is created at full size, sparse: what it occupies is what
    # arrived (and what removing it frees).
    return min(st.st_size, st.st_blocks * 512)


def _busy(info: CheckpointInfo, exc: BlockingIOError) -> TransferBusy:
    return destlock.busy(
        exc,
        f"{info.id} ({safe_text(info.src)} -> {safe_text(info.dst)}) is running in",
        hint="Stop that transfer first, then clean it.",
    )


@contextlib.contextmanager
def claimed(store: CheckpointStore, info: CheckpointInfo) -> Iterator[None]:
    """Hold the transfer's lock while it is given up; TransferBusy if it is running."""
    if info.temp_path and is_temp_name(os.path.basename(info.temp_path)):
        try:
            fd = destlock.acquire(info.temp_path)
        except BlockingIOError as exc:
            raise _busy(info, exc) from None
        except FileNotFoundError:
            fd = None  # its folder is gone, and the temporary file with it
        try:
            yield
        finally:
            if fd is not None:
                destlock.release(fd, info.temp_path)  # removes the temporary file
        return
    if info.kind == "upload":
        path = store.lock_path(info.id)
        try:
            fd = destlock.acquire(path)
        except BlockingIOError as exc:
            raise _busy(info, exc) from None
        try:
            yield
        finally:
            destlock.release(fd, path)
        return
    yield


def give_up(
    store: CheckpointStore,
    info: CheckpointInfo,
    abort: Callable[[CheckpointInfo], str | None] | None = None,
) -> str | None:
    """Give up an unfinished transfer under its lock: `abort` its multipart upload (when it has
    one on OSS), then its temporary file (removed by `claimed`) and its checkpoint. The one way
    every clean-up goes (the command line's and the engine's). TransferBusy if it is running.
    Returns what `abort` said was left on OSS (a sentence), if anything."""
    with claimed(store, info):
        left = abort(info) if abort is not None else None
        store.delete(info.id)
    return left


def has_upload_on_oss(info: CheckpointInfo) -> bool:
    """Whether giving `info` up may have a multipart upload to abort (so needs OSS)."""
    return bool(info.upload_id) or (info.damaged and bool(info.bucket and info.key))


def abort_upload_of(bucket: BucketHandle, info: CheckpointInfo) -> str | None:
    """Abort the multipart upload a checkpoint recorded. A damaged checkpoint's upload id is
    not trusted as it reads: it is aborted only when OSS lists that very id for that very
    object (then it is the one this client started). When the id cannot be read, nothing is
    aborted -- any upload of that object may be someone else's -- and the sentence returned
    names what OSS still holds there."""
    if not info.key:
        return None
    if not info.damaged:
        if info.upload_id:
            _abort(bucket, info.key, info.upload_id)
        return None
    listed = unfinished_uploads(bucket, info.key)
    if info.upload_id:
        if any(u.upload_id == info.upload_id for u in listed):
            _abort(bucket, info.key, info.upload_id)
        return None  # not listed: it was completed or aborted since
    if not listed:
        return None
    many = len(listed) != 1
    count = f"{len(listed)} unfinished multipart upload{'s' if many else ''}"
    return (
        f"The checkpoint {info.id} is too damaged to tell which upload it started, so none "
        f"was aborted: {safe_text(info.dst)} has {count}, billed until aborted. If "
        f"{'they are' if many else 'it is'} yours, abort {'them' if many else 'it'} in the OSS "
        "console or with a lifecycle rule (`ossbrowse du` counts what they hold)."
    )


def unfinished_uploads(bucket: BucketHandle, key: str) -> list[multipart.ListedUpload]:
    """Every unfinished multipart upload of exactly `key` (not of keys it is a prefix of)."""
    found: list[multipart.ListedUpload] = []
    key_marker = upload_marker = ""
    while True:
        try:
            page = multipart.list_uploads(
                bucket,
                prefix=key,
                key_marker=key_marker,
                upload_id_marker=upload_marker,
                max_uploads=1000,
            )
        except Exception as exc:
            raise describe(
                exc, action="oss:ListMultipartUploads", bucket=bucket.bucket_name, key=key
            ) from exc
        found.extend(u for u in page.uploads if u.key == key)
        if not page.truncated or any(u.key > key for u in page.uploads):
            return found
        key_marker, upload_marker = page.next_key_marker, page.next_upload_id_marker


def _abort(bucket: BucketHandle, key: str, upload_id: str) -> None:
    try:
        multipart.abort_upload(bucket, key, upload_id)
    except Exception as exc:
        if getattr(exc, "status", None) != 404:  # already gone: fine
            raise describe(
                exc, action="oss:AbortMultipartUpload", bucket=bucket.bucket_name, key=key
            ) from exc


def clean_locally(store: CheckpointStore, info: CheckpointInfo) -> None:
    """Give up a transfer that has nothing on OSS to abort."""
    give_up(store, info)
