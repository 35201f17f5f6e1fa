"""`ossbrowse stat URL`: everything known about one object, folder, bucket or local file."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="oss://bucket/key, oss://bucket/folder/, or a local path")
    add_connection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._shared import filesystem_for, write_lines

    fs = filesystem_for(args.path, args)
    try:
        entry = fs.stat(args.path)
    finally:
        fs.close()
    write_lines(describe(entry))
    return 0


def describe(entry) -> list[str]:
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
    for key, value in sorted(entry.user_meta.items()):
        lines.append(f"meta {safe_text(key)}: {safe_text(value)}")
    return lines
