"""`ossbrowse stat URL`: everything known about one object, folder, bucket or local file."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments, add_read_only_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="oss://bucket/key, oss://bucket/folder/, or a local path")
    parser.add_argument(
        "--version-id", metavar="VERSION", help="one version of the object (ls --versions)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object (README: fields)")
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "version_id", None):
        from ossbrowse.commands.stat_version import run as stat_version

        return stat_version(args)
    from ossbrowse.commands._shared import filesystem_for, write_lines

    fs = filesystem_for(args.path, args)
    try:
        entry = fs.stat(args.path)
        headers = _object_headers(fs, entry)
    finally:
        fs.close()
    if getattr(args, "json", False):
        from ossbrowse.commands._json import stat_fields, write_json_line

        write_json_line(stat_fields(entry, _shown_headers(headers)))
        return 0
    write_lines(describe(entry, headers))
    return 0


def _shown_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers `stat` shows (SHOWN_HEADERS), by their lower-case HTTP names."""
    lower = {name.lower(): value for name, value in headers.items()}
    return {name: lower[name] for name, _ in SHOWN_HEADERS if lower.get(name)}


# HTTP headers of an object worth a line, in this order (the rest of the answer is either in
# the lines above already, or transport detail).
SHOWN_HEADERS = (
    ("content-type", "content type"),
    ("content-encoding", "content encoding"),
    ("content-language", "content language"),
    ("content-disposition", "content disposition"),
    ("cache-control", "cache control"),
    ("expires", "expires"),
    ("x-oss-server-side-encryption", "server-side encryption"),
    ("x-oss-server-side-encryption-key-id", "encryption key id"),
    ("x-oss-version-id", "version id"),
    ("x-oss-tagging-count", "tags"),
    ("x-oss-expiration", "lifecycle expiration"),
    ("x-oss-next-append-position", "next append position"),
)


def _object_headers(fs, entry) -> dict[str, str]:
    """The object's headers (Content-Type, Cache-Control, ...), which an Entry does not keep.

    One more HEAD, for OSS objects only; an object that cannot be asked (an archived one on a
    server that refuses HEAD) is described from what `stat` already knows."""
    from ossbrowse.errors import OssBrowseError
    from ossbrowse.fs.url import is_oss_url

    if entry.is_dir or not is_oss_url(entry.path):
        return {}
    try:
        headers: dict[str, str] = fs.object_headers(entry.path)
    except OssBrowseError:
        return {}
    return headers


def describe(entry, headers: dict[str, str] | None = None) -> list[str]:
    """`field: value` lines, one fact a line, names escaped: easy to grep and to cut."""
    from ossbrowse.commands._shared import format_size, format_time
    from ossbrowse.fs.base import RestoreStatus
    from ossbrowse.text import safe_text

    lines = [
        f"path: {safe_text(entry.path)}",
        f"name: {safe_text(entry.name)}",
        f"kind: {entry.kind.value}",
    ]
    if not entry.is_dir:
        lines.append(f"size: {entry.size} ({format_size(entry)})")
    lines.append(f"modified: {format_time(entry.mtime)}")
    if entry.link_target is not None:
        lines.append(f"link target: {safe_text(entry.link_target)}")
    if entry.region:
        lines.append(f"region: {safe_text(entry.region)}")
    if entry.storage_class:
        lines.append(f"storage class: {safe_text(entry.storage_class)}")
    if entry.object_type:
        lines.append(f"object type: {safe_text(entry.object_type)}")
    if entry.etag:
        lines.append(f"etag: {safe_text(entry.etag)}")
    if entry.crc64 is not None:
        lines.append(f"crc64: {entry.crc64}")
    if entry.kind.value == "file" and entry.storage_class:
        restore = entry.restore
        text = restore.status.value
        if restore.status is RestoreStatus.RESTORED and restore.expires:
            text += f" until {restore.expires.isoformat()}"
        lines.append(f"restore: {text}")
    for name, label in SHOWN_HEADERS:
        if (headers or {}).get(name):
            lines.append(f"{label}: {safe_text(headers[name])}")  # type: ignore[index]
    for key, value in sorted(entry.user_meta.items()):
        lines.append(f"meta {safe_text(key)}: {safe_text(_meta_value(key, value))}")
    return lines


# ossfs, ossutil and ossbrowse's own mount writer keep a file's modification time as epoch
# seconds in `x-oss-meta-mtime`; a person wants a date (the raw number stays in brackets).
_TIME_META = frozenset({"mtime", "atime", "ctime", "last-modified"})


def _meta_value(key: str, value: str) -> str:
    from ossbrowse.commands._shared import format_time

    if key.lower() not in _TIME_META:
        return value
    try:
        seconds = float(value.strip())
    except ValueError:
        return value
    try:
        return f"{format_time(seconds)} ({value.strip()})"
    except (OverflowError, OSError, ValueError):
        return value
