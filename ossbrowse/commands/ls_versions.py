"""`ossbrowse ls --versions oss://bucket/prefix/`: every version and delete marker, page by page.

One line a version, newest first under each key (OSS's order):

    2026-01-31 12:00:00   1.2 KiB  Standard        CAEQ...  latest         report.csv
    2026-01-30 09:00:00         -  -               CAEQ...  delete marker  old.txt

Folders (common prefixes) as `name/` without -r; with -r the whole tree, names relative to the
prefix. The first page is small so the first lines come at once on a prefix of millions.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ossbrowse.fs.records import ObjectRecord
    from ossbrowse.ops.filters import Filter

TIME_WIDTH = 19
SIZE_WIDTH = 9
BYTES_WIDTH = 14
VERSION_WIDTH = 32  # OSS's version ids are up to 64 characters; most shown whole


def state_of(record: ObjectRecord) -> str:
    """latest, delete marker, or both, for one listed version."""
    if record.delete_marker:
        return "delete marker (latest)" if record.is_latest else "delete marker"
    return "latest" if record.is_latest else "old version"


def version_line(record: ObjectRecord, name: str, exact: bool = False) -> str:
    from ossbrowse.commands._shared import format_time
    from ossbrowse.text import human_size, safe_text

    if record.delete_marker:
        size, storage = "-", "-"
    else:
        size = str(record.size) if exact else human_size(record.size)
        storage = record.storage_class or "-"
    width = BYTES_WIDTH if exact else SIZE_WIDTH
    return (
        f"{format_time(record.last_modified):<{TIME_WIDTH}}  {size:>{width}}  {storage:<14} "
        f"{safe_text(record.version_id):<{VERSION_WIDTH}}  {state_of(record):<22} "
        f"{safe_text(name)}"
    )


def _json_page(bucket: str, base: str, prefixes: list[str], records: list[ObjectRecord]) -> int:
    """JSON Lines: a folder as `type` "folder"; a version with ls --json's object fields and
    `version_id`, `is_latest`, `delete_marker` (a marker's size and etag are null)."""
    from ossbrowse.commands._json import folder_fields, record_fields, write_json_line

    for found in prefixes:  # as ls --json writes a folder
        write_json_line(folder_fields(bucket, found, found[len(base) :]))
    for record in records:
        fields = record_fields(record, bucket, record.key[len(base) :])
        fields["version_id"] = record.version_id
        fields["is_latest"] = record.is_latest
        fields["delete_marker"] = record.delete_marker
        if record.delete_marker:
            fields.update(size=None, etag=None, storage_class=None, restore=None)
        write_json_line(fields)
    return len(prefixes) + len(records)


def _selected(filt: Filter, record: ObjectRecord, relative: str) -> bool:
    """A version is selected as an object is; a delete marker has no size or class, so only
    its path (the rules, --name, --regex) and its time can choose it."""
    if record.delete_marker:
        if filt.min_size is not None or filt.max_size is not None or filt.classes:
            return False
        return filt.matches_facts(0, record.last_modified, None) and filt.matches_path(relative)
    return filt.select(relative, record)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._priced import client_for
    from ossbrowse.commands._shared import write_lines
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url
    from ossbrowse.ops.filters import from_args
    from ossbrowse.ops.versions import version_pages
    from ossbrowse.text import safe_text

    if not is_oss_url(args.path):
        raise UsageError("--versions lists an OSS prefix: give an oss://bucket/prefix/ URL.")
    url = parse_oss_url(args.path)
    if not url.bucket:
        raise UsageError("--versions needs a bucket: oss://BUCKET/prefix/.")
    client, _ = client_for(args)
    bucket = client.bucket(url.bucket)
    exact = bool(getattr(args, "bytes", False))
    prefix = url.key
    # A key without a trailing slash lists that object's versions (and any key it prefixes,
    # as ossutil does); the names shown stay relative to the folder it is in.
    head, slash, _ = prefix.rpartition("/")
    base = head + slash
    shown = 0
    as_json = bool(getattr(args, "json", False))
    filt = from_args(args)
    for page in version_pages(bucket, prefix, delimiter="" if args.recursive else "/"):
        prefixes, records = page.prefixes, page.records
        if filt.active:  # the filters ls takes choose versions as they choose objects
            prefixes = [p for p in prefixes if filt.matches_folder(p[len(base) :])]
            records = [r for r in records if _selected(filt, r, r.key[len(base) :])]
        if as_json:
            shown += _json_page(url.bucket, base, prefixes, records)
            continue
        lines = [f"{safe_text(p[len(base) :])}" for p in prefixes]
        lines += [version_line(r, r.key[len(base) :], exact) for r in records]
        write_lines(lines)
        shown += len(lines)
    if shown == 0 and prefix and not prefix.endswith("/") and not filt.active:
        from ossbrowse.errors import NotFoundError  # exit 1, as ls says of a missing key

        raise NotFoundError(
            f"oss://{url.bucket}/{safe_text(prefix)} has no versions.",
            hint="Check the name (ossbrowse ls --versions shows what the folder holds).",
        )
    return 0
