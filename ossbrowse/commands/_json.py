"""JSON Lines output for the verbs' `--json`: one JSON object a line, flushed as it is written,
and the documented field names of an object or file.

A reader on a pipe (jq, a script) sees each record as soon as the verb has it. Text is kept as
it is (UTF-8, `é` stays `é`), except what could act on a terminal or fail the write: control
characters (C0, DEL, C1 such as the 8-bit CSI), the line and paragraph separators, and lone
surrogates (a local file name that is not UTF-8) are written as `\\uXXXX` escapes, which every
JSON reader turns back into the very same string. So a hostile key is in the JSON exactly as
OSS holds it, and `ossbrowse ls --json` on a terminal cannot drive that terminal.

Fields of an object or file (`entry_fields`, `record_fields`; stable, documented in the
README): `path` (oss://bucket/key or the absolute local path), `key` (OSS only), `name` (the
name shown: the entry's name, or the path below the URL for a recursive walk), `type`
(`file`, `folder`, `bucket`), `size` (bytes; null for folders and buckets), `last_modified`
(ISO 8601 UTC, `2026-01-31T12:00:00Z`, or null), `etag`, `storage_class`, `restore`
(`not-needed`, `not-restored`, `in-progress`, `restored`; null locally), `restore_expires`
(ISO 8601 UTC or null) and, only when there is one, `version_id`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ossbrowse.fs.base import Entry
    from ossbrowse.fs.records import ObjectRecord
    from ossbrowse.ops.pricing import Price

# json.dumps(ensure_ascii=False) escapes C0 controls itself; these it would leave raw.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(record: Mapping[str, Any]) -> str:
    """One line of JSON: text kept, terminal-active characters escaped."""
    return _UNSAFE.sub(_escape, json.dumps(record, ensure_ascii=False))


def write_json_line(record: Mapping[str, Any], out: TextIO | None = None) -> None:
    """Write `record` as one line of JSON and flush."""
    out = out or sys.stdout
    out.write(dumps(record) + "\n")
    out.flush()


def write_json_lines(records: Iterable[Mapping[str, Any]], out: TextIO | None = None) -> None:
    """Write each record as one line of JSON, flushing after each."""
    for record in records:
        write_json_line(record, out)


def iso_time(when: float | datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, to the second; None stays None."""
    if when is None:
        return None
    moment = when if isinstance(when, datetime) else datetime.fromtimestamp(when, UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _key_of(path: str) -> str | None:
    if not path.startswith("oss://"):
        return None
    rest = path[len("oss://") :]
    return rest.split("/", 1)[1] if "/" in rest else None


def entry_fields(entry: Entry, name: str | None = None) -> dict[str, Any]:
    """The documented fields of a pane row (an OSS object, a folder, a bucket, a local file)."""
    path = entry.path
    is_file = not entry.is_dir
    oss = path.startswith("oss://")
    fields: dict[str, Any] = {
        "path": path,
        "name": entry.name if name is None else name,
        "type": entry.kind.value,
        "size": entry.size if is_file else None,
        "last_modified": iso_time(entry.mtime),
        "etag": entry.etag if is_file else None,
        "storage_class": entry.storage_class,
        "restore": entry.restore.status.value if oss and is_file else None,
        "restore_expires": iso_time(entry.restore.expires),
    }
    key = _key_of(path)
    if key is not None:
        fields["key"] = key
    version = getattr(entry, "version_id", None)
    if version:  # "" and None: an unversioned object
        fields["version_id"] = version
    return fields


def folder_fields(bucket: str, prefix: str, name: str) -> dict[str, Any]:
    """A folder (common prefix) from a listing page, with the fields `entry_fields` gives a
    folder row (`ls --json`): its name without the trailing slash, no size, time or class."""
    return {
        "path": f"oss://{bucket}/{prefix}",
        "name": name.rstrip("/"),
        "type": "folder",
        "size": None,
        "last_modified": None,
        "etag": None,
        "storage_class": None,
        "restore": None,
        "restore_expires": None,
        "key": prefix,
    }


def record_fields(record: ObjectRecord, bucket: str, name: str | None = None) -> dict[str, Any]:
    """The documented fields of an object from a listing page or a HEAD (fs.records)."""
    fields: dict[str, Any] = {
        "path": f"oss://{bucket}/{record.key}",
        "key": record.key,
        "name": record.key if name is None else name,
        "type": "file",
        "size": record.size,
        "last_modified": iso_time(record.last_modified),
        "etag": record.etag or None,
        "storage_class": record.storage_class,
        "restore": record.restore.status.value,
        "restore_expires": iso_time(record.restore.expires),
    }
    version = getattr(record, "version_id", None)
    if version:  # "" and None: an unversioned object
        fields["version_id"] = version
    return fields


def stat_fields(entry: Entry, headers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """`stat --json`: the fields of `entry_fields`, and `object_type`, `crc64` (a decimal
    string: a 64-bit number a JavaScript reader would round), `user_meta` (x-oss-meta-* without
    the prefix), `headers` (the object's other HTTP headers worth knowing, lower-case names),
    `region` (buckets) and `link_target` (local symbolic links), null when unknown."""
    fields = entry_fields(entry)
    fields.update(
        object_type=entry.object_type,
        crc64=None if entry.crc64 is None else str(entry.crc64),
        user_meta=dict(entry.user_meta),
        headers=dict(headers or {}),
        region=entry.region,
        link_target=entry.link_target,
    )
    return fields


def bucket_fields(entry: Entry) -> dict[str, Any]:
    """`buckets --json`: `name`, `path` (oss://name/), `type` "bucket", `region`,
    `storage_class`, `created` (ISO 8601 UTC or null)."""
    return {
        "name": entry.name,
        "path": entry.path,
        "type": "bucket",
        "region": entry.region,
        "storage_class": entry.storage_class,
        "created": iso_time(entry.mtime),
    }


def checkpoint_fields(info: Any, temp_bytes: int | None = None) -> dict[str, Any]:
    """`transfers --json`: one unfinished transfer (`transfer.checkpoint.CheckpointInfo`): `id`,
    `kind` (upload, download, copy), `src`, `dst`, `bytes_done`, `bytes_total`, `updated`
    (ISO 8601 UTC), `damaged` (cannot be resumed, only cleaned), `upload_id` (an unfinished
    multipart upload on OSS, or null), `temp_path` and `temp_bytes` (what it left on disk)."""
    return {
        "id": info.id,
        "kind": info.kind,
        "src": info.src,
        "dst": info.dst,
        "bytes_done": info.bytes_done,
        "bytes_total": info.bytes_total,
        "updated": iso_time(info.updated),
        "damaged": info.damaged,
        "upload_id": info.upload_id,
        "temp_path": info.temp_path,
        "temp_bytes": temp_bytes,
    }


def price_fields(price: Price) -> dict[str, Any]:
    """The documented fields of a `--dry-run` price (`ops.pricing.Price`): counts, never money.

    `type` "price", `operation`, `objects`, `bytes`, `requests` (kind -> count),
    `total_requests`, `upload_bytes`, `download_bytes`, `overwrites`, `deletes`,
    `delete_bytes`, `early_deletion_objects`, `charged_object_days`, `charged_byte_days`,
    `blocked` (count), `versioning` ("" when never enabled), `delete_markers`, `freed_bytes`,
    `kept_versions`, `kept_bytes`, `expensive` (whether a script needs --yes),
    `multipart_copies` (objects over 1 GB copied in parts), `restore_waits` (storage class ->
    the wait in words), `non_atomic` (a folder move others may see half done). A verb's
    `--dry-run --json` adds `what` (the operation in words) and `summary` (the lines the text
    output shows)."""
    return {
        "type": "price",
        "operation": price.operation,
        "objects": price.objects,
        "bytes": price.bytes,
        "requests": dict(price.requests),
        "total_requests": price.total_requests,
        "upload_bytes": price.upload_bytes,
        "download_bytes": price.download_bytes,
        "overwrites": price.overwrites,
        "deletes": price.deletes,
        "delete_bytes": price.delete_bytes,
        "early_deletion_objects": len(price.early_deletions),
        "charged_object_days": price.charged_object_days,
        "charged_byte_days": price.charged_byte_days,
        "blocked": len(price.blocked),
        "versioning": price.versioning,
        "delete_markers": price.delete_markers,
        "freed_bytes": price.freed_bytes,
        "kept_versions": price.kept_versions,
        "kept_bytes": price.kept_bytes,
        "expensive": price.expensive,
        "multipart_copies": len(price.multipart_copies),
        "restore_waits": dict(price.restore_waits),
        "non_atomic": price.non_atomic,
    }
