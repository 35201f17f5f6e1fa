"""`ossbrowse mount-check [DIR]`: what an OSS mount shows beside what its prefix holds, and why.

Exit status: 0 in sync, 1 not in sync, 2 on error (so a script can tell "differs" from
"could not check"). Text output lists the differences and notes, one line each, names escaped;
`--json` streams one JSON document (entries first, the summary last).
"""

from __future__ import annotations

import argparse
import sys

from ossbrowse.cli import add_connection_arguments, add_mount_argument, add_read_only_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dir",
        nargs="?",
        help="the mount point or a folder inside it (default: the current folder if it is in "
        "a mount, else the only OSS mount found)",
    )
    parser.add_argument(
        "--against",
        metavar="oss://BUCKET/PREFIX",
        help="the prefix DIR mirrors, when it cannot be read from the system",
    )
    parser.add_argument(
        "--crc",
        action="store_true",
        help="compare content by CRC-64 (reads every same-size file; one HEAD per object)",
    )
    parser.add_argument(
        "--meta",
        action="store_true",
        help="HEAD every object to find those without ossfs metadata (one request each)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    parser.add_argument("--all", action="store_true", help="also list entries that are the same")
    add_mount_argument(parser)
    parser.add_argument(
        "--fc-config",
        action="append",
        default=[],
        metavar="FILE",
        help="a Serverless Devs s.yaml or a function configuration JSON with ossMountConfig",
    )
    parser.add_argument(
        "--no-writers",
        action="store_true",
        help="do not look for processes writing files in the mount (/proc/*/fd)",
    )
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.errors import OssBrowseError

    try:
        return _check(args)
    except OssBrowseError as exc:
        # Exit 1 means "not in sync" here, so every error is 2, whatever its usual code.
        print(f"ossbrowse: {exc}", file=sys.stderr)
        return 2


def _bucket_for(args: argparse.Namespace, mapping):
    from ossbrowse.commands._shared import settings_from_args
    from ossbrowse.config import normalize_endpoint, region_from_endpoint
    from ossbrowse.fs.oss import OssClient

    settings = settings_from_args(args)
    if not settings.endpoint and mapping.endpoint:
        # The mount's own endpoint (ossfs -ourl, FC's endpoint) when none was configured.
        settings.endpoint = normalize_endpoint(mapping.endpoint)
        settings.sources["endpoint"] = f"the mount ({mapping.origin})"
        if not settings.region:
            settings.region = region_from_endpoint(settings.endpoint)
    return OssClient(settings).bucket(mapping.bucket)


def _check(args: argparse.Namespace) -> int:
    from ossbrowse.mount.bucket_side import BucketSide
    from ossbrowse.mount.compare import MountCompare
    from ossbrowse.mount.locate import known_mounts, locate
    from ossbrowse.mount.writers import find_writers

    if args.against:
        from ossbrowse.fs.url import parse_oss_url

        parse_oss_url(args.against)  # a bad URL is refused before anything else is read
    mappings = known_mounts(args.mount, args.fc_config)
    folder, mapping = locate(args.dir, mappings, against=args.against)
    import os

    prefetch = os.environ.get("OSSBROWSE_MOUNT_PREFETCH", "1") != "0"
    side = BucketSide(_bucket_for(args, mapping), mapping.prefix, prefetch=prefetch)
    writers = {} if args.no_writers else find_writers(folder)
    compare = MountCompare(folder, side, writers=writers, crc=args.crc, meta=args.meta)
    out = sys.stdout
    if args.json:
        _write_json(out, folder, mapping, compare, show_all=args.all)
    else:
        _write_text(out, folder, mapping, compare, show_all=args.all)
    return 0 if compare.stats.in_sync else 1


def _write_text(out, folder: str, mapping, compare, *, show_all: bool) -> None:
    from ossbrowse.mount.compare import Mark
    from ossbrowse.text import plural, safe_text

    mode = " (read-only mount: ossbrowse will not write through it)" if mapping.read_only else ""
    out.write(f"Comparing {safe_text(folder)} with {safe_text(mapping.url)}{mode}\n")
    out.flush()
    lines: list[str] = []
    for entry in compare.entries():
        if entry.mark is Mark.SAME and not show_all:
            continue
        lines.append(f"{entry.mark.label:<15} {safe_text(entry.key)}  {safe_text(entry.reason)}")
        if len(lines) >= 200:  # flush in pages so a pipe sees progress, memory stays flat
            out.write("\n".join(lines) + "\n")
            out.flush()
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    stats = compare.stats
    counts = ", ".join(
        f"{count} {mark.label}"
        for mark, count in sorted(stats.counts.items(), key=lambda item: list(Mark).index(item[0]))
    )
    differences = plural(stats.differences, "difference")
    verdict = "in sync" if stats.in_sync else f"NOT in sync ({differences})"
    requests = f"{plural(stats.list_requests, 'listing request')}, {stats.head_requests} HEAD"
    out.write(f"{plural(stats.entries, 'entry')}: {counts or 'nothing'}. {verdict}. ({requests})\n")
    if stats.uploads_unchecked:
        out.write(f"Incomplete multipart uploads not checked: {stats.uploads_unchecked}\n")
    out.flush()


def _entry_json(entry) -> dict:
    local, remote = entry.local, entry.remote
    return {
        "key": entry.key,
        "mark": entry.mark.value,
        "marks": [m.value for m in entry.marks],
        "in_sync": entry.in_sync,
        "reason": entry.reason,
        "mount": None
        if local is None
        else {"size": local.size, "mtime": local.mtime, "folder": local.is_dir},
        "bucket": None
        if remote is None
        else {
            "size": remote.size,
            "last_modified": remote.mtime,
            "etag": remote.etag,
            "storage_class": remote.storage_class,
            "object_type": remote.object_type,
            "meta_mtime": (
                int(entry.head.meta_mtime)
                if entry.head and entry.head.meta_mtime is not None
                else None
            ),
            "crc64": str(entry.head.crc64) if entry.head and entry.head.crc64 else None,
        },
        "writers": [{"pid": w.pid, "name": w.name, "fd": w.fd} for w in entry.writers],
        "upload": None
        if entry.upload is None
        else {"upload_id": entry.upload.upload_id, "initiated": entry.upload.initiated},
    }


def _write_json(out, folder: str, mapping, compare, *, show_all: bool) -> None:
    import json

    from ossbrowse.mount.compare import Mark

    head = {
        "local": folder,
        "against": mapping.url,
        "bucket": mapping.bucket,
        "prefix": mapping.prefix,
        "read_only": mapping.read_only,
        "mapping_from": mapping.origin,
    }
    # Streamed: the entries can be many; the summary, known only at the end, comes last.
    out.write(json.dumps(head)[:-1] + ', "entries": [')
    first = True
    for entry in compare.entries():
        if entry.mark is Mark.SAME and not show_all:
            continue
        out.write(("\n  " if first else ",\n  ") + json.dumps(_entry_json(entry)))
        first = False
    stats = compare.stats
    summary = {
        "in_sync": stats.in_sync,
        "total": stats.entries,
        "differences": stats.differences,
        "counts": {mark.value: count for mark, count in stats.counts.items()},
        "requests": {"list": stats.list_requests, "head": stats.head_requests},
        "uploads_unchecked": stats.uploads_unchecked,
    }
    out.write("\n], " + json.dumps(summary)[1:] + "\n")
    out.flush()
