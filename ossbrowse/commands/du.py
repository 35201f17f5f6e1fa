"""`ossbrowse du URL [--depth N] [--json] [--all-versions]`: where the bytes (and the money) go.

Objects, bytes and the split by storage class, unfinished multipart uploads and the bytes
their parts hold, and objects still inside their class's minimum storage duration (deleting
them now is billed for the rest) -- for the URL and each prefix down to `--depth` levels
below it, in a table or as JSON Lines. A bucket, a prefix or a local folder; list requests
only (`ops.usage`).

JSON Lines (`--json`), one object a line, fields stable:
  a row per prefix, the URL itself first (`type` "prefix"): `path` (oss://bucket/prefix/ or
  the local folder), `name` (the prefix below the URL asked for, "" for the URL itself),
  `depth` (0 for the URL), `objects`, `bytes` (everything below, subfolders included),
  `classes` ({class: {"objects": n, "bytes": n}}; {} for a local folder),
  `multipart_uploads`, `multipart_bytes`, `early_deletion_objects`, `early_deletion_bytes`,
  `early_deletion_byte_days` (size x days left of each, summed: what deleting them now is
  billed), `delete_markers` (counted with --all-versions, else 0);
  then one summary (`type` "summary"): `path`, `depth` (null: every level), `counted_at`
  (ISO 8601 UTC: the time early deletion was counted at), `all_versions`, `requests`
  ({"ListObjectsV2": n, "ListMultipartUploads": n, "ListParts": n, ...}), `unreadable`
  (local files or folders that could not be read).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from ossbrowse.cli import add_connection_arguments, add_read_only_argument

if TYPE_CHECKING:
    from ossbrowse.ops.usage import UsageReport
    from ossbrowse.ops.usage_tally import Usage, UsageRow


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="oss://bucket/, oss://bucket/prefix/ or a local folder")
    parser.add_argument(
        "--depth",
        type=_depth,
        default=1,
        metavar="N",
        help="a row for each prefix down to N levels below the URL (default 1; 0: the URL "
        "only; all: every level)",
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, for scripts")
    parser.add_argument(
        "--all-versions",
        action="store_true",
        help="count every version of a versioned bucket (default: current versions only)",
    )
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def _depth(text: str) -> int | None:
    if text.lower() == "all":
        return None
    try:
        value = int(text)
    except ValueError:
        message = f"{text!r} is not a depth: give 0, 1, 2, ... or all"
        raise argparse.ArgumentTypeError(message) from None
    if value < 0:
        raise argparse.ArgumentTypeError("the depth must be 0 or more")
    return value


def run(args: argparse.Namespace) -> int:
    from ossbrowse.fs.url import is_oss_url, refuse_other_schemes
    from ossbrowse.ops.usage import usage_of

    path = args.path
    refuse_other_schemes(path)  # s3://... is not a local folder named `s3:`
    if is_oss_url(path):
        report = usage_of(
            path, _bucket_opener(args), depth=args.depth, all_versions=args.all_versions
        )
        if _nothing(report.total):
            _check_is_folder(path, args)
    else:
        if args.all_versions:
            print("ossbrowse: --all-versions applies to OSS only; ignored.", file=sys.stderr)
        report = usage_of(os.path.abspath(path), None, depth=args.depth)
    if args.json:
        from ossbrowse.commands._json import write_json_lines

        write_json_lines([*(row_fields(report, row) for row in report.rows), summary(report)])
    else:
        from ossbrowse.commands._shared import write_lines

        write_lines(table(report))
    return 0


def _nothing(total: Usage) -> bool:
    return not (total.objects or total.uploads or total.delete_markers)


def _check_is_folder(path: str, args: argparse.Namespace) -> None:
    """Nothing counted: as ls, a prefix that is not there is an error (exit 1), and so is a
    URL naming one object (du counts what is under a prefix); an empty bucket is 0."""
    from ossbrowse.commands._shared import filesystem_for
    from ossbrowse.errors import NotAFolder
    from ossbrowse.text import safe_text

    fs = filesystem_for(path, args)
    try:
        entry = fs.stat(path)  # NoSuchKey when nothing is there
    finally:
        fs.close()
    if not entry.is_dir:
        raise NotAFolder(
            f"{safe_text(path)} is an object, not a folder: du counts what is under a prefix.",
            hint="ossbrowse stat shows its size.",
        )


def _bucket_opener(args: argparse.Namespace) -> Any:
    from ossbrowse.commands._shared import settings_from_args
    from ossbrowse.fs.gateway.client import OssClient
    from ossbrowse.fs.url import parse_oss_url

    parse_oss_url(args.path)  # a bad URL is refused before credentials are looked for
    return OssClient(settings_from_args(args)).bucket


def _row_path(report: UsageReport, row: UsageRow) -> str:
    if report.local:
        return os.path.join(report.url, row.path) if row.path else report.url
    return report.url + row.path


def row_fields(report: UsageReport, row: UsageRow) -> dict[str, Any]:
    """One prefix's documented JSON fields."""
    u = row.usage
    return {
        "type": "prefix",
        "path": _row_path(report, row),
        "name": row.path,
        "depth": row.depth,
        "objects": u.objects,
        "bytes": u.bytes,
        "classes": {name: {"objects": n, "bytes": b} for name, (n, b) in _classes(u)},
        "multipart_uploads": u.uploads,
        "multipart_bytes": u.upload_bytes,
        "early_deletion_objects": u.early_objects,
        "early_deletion_bytes": u.early_bytes,
        "early_deletion_byte_days": u.early_byte_days,
        "delete_markers": u.delete_markers,
    }


def summary(report: UsageReport) -> dict[str, Any]:
    from ossbrowse.commands._json import iso_time

    return {
        "type": "summary",
        "path": report.url,
        "depth": report.depth,
        "counted_at": iso_time(report.now),
        "all_versions": report.all_versions,
        "requests": dict(report.requests),
        "unreadable": report.unreadable,
    }


def _classes(usage: Usage) -> list[tuple[str, list[int]]]:
    """The classes in the table's order (Standard, IA, Archive, ...), unknown ones after."""
    from ossbrowse.fs.storage_classes import CLASSES

    order = {name: i for i, name in enumerate(CLASSES)}
    return sorted(usage.classes.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


SIZE = 9  # text.human_size is at most 9 characters


def table(report: UsageReport) -> list[str]:
    """The human table: a row per prefix, then the sentences that explain it."""
    from ossbrowse.text import human_size, safe_text

    total = report.total
    classes = [name for name, _ in _classes(total)]
    oss = not report.local
    head = [f"{'OBJECTS':>12}", f"{'SIZE':>{SIZE}}"]
    head += [f"{name[:SIZE]:>{SIZE}}" for name in classes]
    if oss:
        head += [f"{'UPLOADS':>18}", f"{'EARLY DELETION':>18}"]
    lines = ["  ".join([*head, "PREFIX" if oss else "FOLDER"])]
    for row in report.rows:
        u = row.usage
        cells = [f"{u.objects:>12,}", f"{human_size(u.bytes):>{SIZE}}"]
        for name in classes:
            counts = u.classes.get(name)
            cells.append(f"{human_size(counts[1]) if counts else '-':>{SIZE}}")
        if oss:
            cells.append(f"{_count_and_size(u.uploads, u.upload_bytes):>18}")
            cells.append(f"{_count_and_size(u.early_objects, u.early_bytes):>18}")
        lines.append("  ".join([*cells, safe_text(_row_path(report, row))]))
    lines += _sentences(report, total)
    return lines


def _count_and_size(count: int, size: int) -> str:
    from ossbrowse.text import human_size

    return f"{count:,} ({human_size(size)})" if count else "-"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _sentences(report: UsageReport, total: Usage) -> list[str]:
    from ossbrowse.ops.pricing import human_bytes
    from ossbrowse.text import human_size

    noun = "file" if report.local else "object"
    what = "current versions only" if not report.local and not report.all_versions else ""
    if report.all_versions:
        what = "every version counted"
        if total.delete_markers:
            what += f", and {_plural(total.delete_markers, 'delete marker')}"
    lines = [
        "",
        f"Total: {_plural(total.objects, noun)}, {human_bytes(total.bytes)}"
        + (f"; {what}." if what else "."),
    ]
    if total.uploads:
        lines.append(
            f"Unfinished multipart uploads: {total.uploads:,} holding "
            f"{human_size(total.upload_bytes)}; they are billed until aborted "
            "(a lifecycle rule can abort them)."
        )
    if total.early_objects:
        gib_days = total.early_byte_days / 1024**3
        amount = f"{gib_days:,.2f}" if gib_days >= 0.01 else "under 0.01"
        lines.append(
            f"Early deletion: {_plural(total.early_objects, 'object')} of "
            f"{human_size(total.early_bytes)} are inside their class's minimum storage "
            f"duration; deleting or overwriting them now is billed as {amount} GiB-days "
            "more (cold classes counted from their last modification)."
        )
    if report.unreadable:
        lines.append(f"Could not read {_plural(report.unreadable, 'file or folder')}: not counted.")
    if report.requests:
        parts = ", ".join(f"{n:,} {kind}" for kind, n in report.requests.items())
        lines.append(f"Requests: {parts} (list requests only).")
    return lines
