"""Copy one version of an object out: where it lands, what may be copied, and the local copy a
viewer reads.

A version is a read-only source: nothing here writes to its key. The copies themselves are the
transfer engine's (`TransferEngine.submit(..., version_id=)`: ranged GETs or part copies pinned
to the version, checkpointed, CRC64 checked end to end, a private temporary name locked beside
the destination, resumed by the same command); this module only checks the version first, so
that a missing version, a delete marker or an archived version is refused with a sentence
about the version before anything is queued.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

from ossbrowse.errors import NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.edit import local_name
from ossbrowse.ops.versions import find_version, version_head, why_not_restorable
from ossbrowse.tasks.control import Control
from ossbrowse.text import safe_text


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


def readable_version(bucket: Any, key: str, version_id: str) -> ObjectRecord:
    """The version's record when it can be read (copied down or to another key); a sentence
    about the version otherwise."""
    record = _head(bucket, key, version_id)
    if record.archived and not record.restore.readable:
        raise UsageError(
            f"Version {safe_text(version_id)} of {safe_text(key)} is {record.storage_class} "
            "and not restored: it cannot be read.",
            hint="Restore that version from the archive first (ossbrowse restore or the r key).",
        )
    reason = why_not_restorable(record)
    if reason:
        raise UsageError(
            f"Version {safe_text(version_id)} of {safe_text(key)} cannot be copied: {reason}."
        )
    return record


def fetch_version(
    bucket: Any,
    key: str,
    version_id: str,
    folder: str,
    *,
    cancel: Control | None = None,
) -> str:
    """Download version `version_id` of `key` into `folder` (a private one: a viewer's local
    copy) through the transfer engine's download; the path written."""
    from ossbrowse.transfer.download import download_object
    from ossbrowse.transfer.oneshot import one_transfer

    record = readable_version(bucket, key, version_id)
    target = local_destination(key, folder.rstrip(os.sep) + os.sep)
    with one_transfer(cancel) as ctx:
        download_object(ctx, bucket, key, target, record, version_id=version_id)
    return target
