"""`ossbrowse stat oss://bucket/key --version-id V`: everything known about one version.

The key's versions are listed first (whether it is the latest, or a delete marker, which has
no headers to HEAD), then the version is HEADed for its headers (CRC64, metadata, restore).
"""

from __future__ import annotations

import argparse
from typing import Any


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._priced import VERSIONS_HINT, client_for, oss_url
    from ossbrowse.commands._shared import format_time, write_lines
    from ossbrowse.commands.ls_versions import state_of
    from ossbrowse.commands.stat import describe
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.base import Entry
    from ossbrowse.fs.gateway.objects import head_answer
    from ossbrowse.fs.retrying import DEFAULT_RETRY
    from ossbrowse.ops.failures import oss_error
    from ossbrowse.ops.versions import find_version
    from ossbrowse.text import safe_text

    url = oss_url(args.path, "URL", hint=VERSIONS_HINT)
    if not url.key or url.key.endswith("/"):
        raise UsageError("--version-id names one object's version: give the object's URL.")
    client, _ = client_for(args)
    bucket = client.bucket(url.bucket)
    listed = find_version(bucket, url.key, args.version_id)
    path = f"oss://{url.bucket}/{url.key}"
    state = [f"version: {safe_text(listed.version_id)} ({state_of(listed)})"]
    as_json = bool(getattr(args, "json", False))
    if listed.delete_marker and as_json:
        _write_json(listed, url.bucket, None, None)
        return 0
    if listed.delete_marker:
        write_lines(
            [
                f"path: {safe_text(path)}",
                f"name: {safe_text(url.key.rsplit('/', 1)[-1])}",
                "kind: delete marker (no content: undelete removes it)",
                f"modified: {format_time(listed.last_modified)}",
                *state,
            ]
        )
        return 0
    try:
        answer = DEFAULT_RETRY.call(
            lambda: head_answer(bucket, url.key, version_id=args.version_id)
        )
    except Exception as exc:
        raise oss_error(exc, action="oss:HeadObject", bucket=url.bucket, key=url.key) from exc
    entry = Entry.from_record(answer.record, url.key.rsplit("/", 1)[-1], path)
    headers = {k.lower(): v for k, v in answer.headers.items()}
    if as_json:
        _write_json(listed, url.bucket, entry, headers)
        return 0
    write_lines(describe(entry, headers) + state)
    return 0


def _write_json(listed: Any, bucket: str, entry: Any, headers: dict[str, str] | None) -> None:
    """`stat --json` for one version: stat's fields (a delete marker has no headers to read:
    ls --versions --json's fields), with `version_id`, `is_latest` and `delete_marker`."""
    from ossbrowse.commands._json import record_fields, stat_fields, write_json_line
    from ossbrowse.commands.stat import _shown_headers

    if entry is None:
        fields = record_fields(listed, bucket, listed.key.rsplit("/", 1)[-1])
        fields.update(size=None, etag=None, storage_class=None, restore=None)
    else:
        fields = stat_fields(entry, _shown_headers(headers or {}))
    fields.update(
        version_id=listed.version_id,
        is_latest=listed.is_latest,
        delete_marker=listed.delete_marker,
    )
    write_json_line(fields)
