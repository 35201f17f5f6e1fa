"""Copy one version of an object out: to a local file, or to another key inside OSS.

A version is a read-only source: nothing here writes to its key. A download goes to a private
temporary name beside the destination (`transfer.tempname`), is checked against the version's
CRC64, and only then takes the destination's name, so a cut download never leaves half a file
under the real name. Not resumable (the transfer engine resumes current objects, not versions).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Callable
from typing import Any

from ossbrowse.crc64 import Crc64
from ossbrowse.errors import IntegrityError, NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.retrying import DEFAULT_RETRY
from ossbrowse.ops.edit import local_name
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.versions import find_version, version_head, why_not_restorable
from ossbrowse.tasks.control import Control, check
from ossbrowse.text import safe_text
from ossbrowse.transfer.tempname import private_temp_path

CHUNK = 1024 * 1024


def local_destination(key: str, dest: str) -> str:
    """Where a version of `key` lands for `dest`: into a folder (existing, or written with a
    trailing separator) under the key's own last segment made harmless, else `dest`."""
    if dest.endswith(os.sep) or os.path.isdir(dest):
        return os.path.join(dest, local_name(key))
    return dest


def oss_destination(key: str, dst_key: str) -> str:
    """The key a version of `key` is copied to for `dst_key`: into a folder (or the bucket's
    top) under the key's last segment, else `dst_key`."""
    if dst_key.endswith("/") or not dst_key:
        return dst_key + posixpath.basename(key)
    return dst_key


def _head(bucket: Any, key: str, version_id: str) -> ObjectRecord:
    """HEAD of the version, a refusal said about the version: OSS answers 404 for a version id
    the key does not have and 405 for a delete marker, neither of which names the version."""
    try:
        return version_head(bucket, key, version_id)
    except OssBrowseError as exc:
        if not isinstance(exc, NotFoundError) and exc.status != 405:
            raise
        listed = find_version(bucket, key, version_id)  # "has no version ..." when it has not
        if listed.delete_marker:
            raise UsageError(
                f"Version {safe_text(version_id)} of oss://{bucket.bucket_name}/{safe_text(key)} "
                "is a delete marker: it has no content to copy.",
                hint="ossbrowse ls --versions lists the versions that have content.",
            ) from exc
        raise


def _readable(bucket: Any, key: str, version_id: str) -> ObjectRecord:
    record = _head(bucket, key, version_id)
    if record.archived and not record.restore.readable:
        raise UsageError(
            f"Version {safe_text(version_id)} of {safe_text(key)} is {record.storage_class} "
            "and not restored: it cannot be read.",
            hint="Restore that version from the archive first (ossbrowse restore or the r key).",
        )
    return record


def download_version(
    bucket: Any,
    key: str,
    version_id: str,
    dest: str,
    *,
    cancel: Control | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> str:
    """GET version `version_id` of `key` into the local `dest`; the path written."""
    record = _readable(bucket, key, version_id)
    target = local_destination(key, dest)
    temp = private_temp_path(target)
    crc = Crc64()
    try:
        body = DEFAULT_RETRY.call(lambda: objects.get_object(bucket, key, version_id=version_id))
        try:
            with open(temp, "wb") as out:
                while True:
                    check(cancel)
                    chunk = body.read(CHUNK)
                    if not chunk:
                        break
                    out.write(chunk)
                    crc.update(chunk)
                    if on_progress is not None:
                        on_progress(crc.length, record.size)
                out.flush()
                os.fsync(out.fileno())
        finally:
            body.close()
        expected = body.crc64 if body.crc64 is not None else record.crc64
        if crc.length != record.size or (expected is not None and crc.value != expected):
            raise IntegrityError(
                f"The download of {safe_text(key)} (version {safe_text(version_id)}) does not "
                "match what OSS holds (size or CRC64 differ); nothing was written.",
                hint="Run the command again.",
            )
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            from ossbrowse.errors import from_os_error

            raise from_os_error(exc, target, doing="write") from exc
        if isinstance(exc, (UsageError, IntegrityError)) or not isinstance(exc, Exception):
            raise
        raise oss_error(exc, action="oss:GetObject", bucket=bucket.bucket_name, key=key) from exc
    return target


def copy_version(
    bucket: Any,
    key: str,
    version_id: str,
    dst_bucket: Any,
    dst_key: str,
    *,
    read_only: bool = False,
    cancel: Control | None = None,
) -> objects.Written:
    """CopyObject of version `version_id` of `key` to `dst_key` of `dst_bucket` (its class
    kept). The source's key is not touched."""
    ensure_writable(read_only, "copy a version")
    dst_key = oss_destination(key, dst_key)
    record = _head(bucket, key, version_id)
    reason = why_not_restorable(record)
    if reason:
        raise UsageError(
            f"Version {safe_text(version_id)} of {safe_text(key)} cannot be copied: {reason}."
        )
    headers = {"x-oss-storage-class": record.storage_class} if record.storage_class else {}
    source = (str(bucket.bucket_name), key)

    def attempt() -> objects.Written:
        return objects.copy_object(
            dst_bucket, source, dst_key, headers, source_version_id=version_id
        )

    try:
        return DEFAULT_RETRY.call(attempt, cancel=cancel)
    except Exception as exc:
        raise oss_error(exc, action="oss:CopyObject", bucket=source[0], key=key) from exc
