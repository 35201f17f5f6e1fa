"""`ossbrowse revert URL [--to VERSION | --before TIME] [-r]`: bring objects of a versioned
bucket back to an older version, priced first.

`--to VERSION` copies that version of one object over its current one (ossutil's revert).
`--before TIME` makes an object, or with -r everything under a prefix, read as it did just
before TIME: the version current then is copied over the current one, and what did not exist
then is deleted (a delete marker: undeletable). Without --to or --before, the version before
the current one (undo the last change; a deleted object is undeleted).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ossbrowse.commands._priced import add_priced_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.records import ObjectRecord


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="oss://bucket/key, or a prefix/ with -r")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--to", metavar="VERSION", help="the version id to bring back")
    which.add_argument(
        "--before",
        metavar="TIME",
        help="the state just before TIME: 2026-01-31, 2026-01-31T12:00:00Z (UTC without a "
        "zone), or an age such as 2h, 3d",
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="everything under a prefix (with --before)"
    )
    add_priced_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import time

    from ossbrowse.commands._priced import (
        VERSIONS_HINT,
        ProgressLine,
        check_json,
        client_for,
        confirm,
        oss_url,
    )
    from ossbrowse.errors import UsageError
    from ossbrowse.ops.filters import parse_time
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.version_plans import plan_revert, run_revert
    from ossbrowse.ops.versions import key_versions
    from ossbrowse.tasks import Control
    from ossbrowse.text import plural, safe_text

    check_json(args)  # --json is for a dry run's price
    url = oss_url(args.url, "URL", hint=VERSIONS_HINT)
    if args.to and args.recursive:
        raise UsageError("--to names one object's version: give the object's URL, without -r.")
    before = parse_time(args.before, time.time()) if args.before else None
    client, read_only = client_for(args)
    if not args.dry_run:
        ensure_writable(read_only, "revert objects")
    bucket = client.bucket(url.bucket)
    line = ProgressLine()
    cancel = Control()
    version = args.to
    if version is None and before is None:
        if not url.key or url.key.endswith("/"):
            raise UsageError("A folder is reverted to a time.", hint="Add --before TIME (and -r).")
        version = _previous_version(key_versions(bucket, url.key, cancel=cancel), args.url)
    plan = plan_revert(
        bucket,
        url.key,
        before=before,
        version_id=version,
        recursive=args.recursive,
        cancel=cancel,
        on_scan=lambda n: line.show(f"listing versions: {plural(n, 'object')}"),
    )
    line.done()
    if not plan.items:
        print(f"Nothing to revert: {safe_text(args.url)} already reads as asked.")
        return 0
    stop = confirm(plan.price, args, what=f"revert {safe_text(args.url)}")
    if stop is not None:
        return stop
    report = run_revert(
        plan,
        cancel=cancel,
        on_progress=lambda d, t: line.show(f"reverted {d:,}/{t:,}"),
        read_only=read_only,
    )
    line.done()
    print(f"Reverted {report.done:,} of {plural(report.total, 'object')}.")
    for name, why in report.failed[:10]:
        print(f"  not reverted: {safe_text(name)}: {why}")
    return 0 if not report.failed and not report.cancelled else 1


def _previous_version(history: list[ObjectRecord], url: str) -> str:
    """The version under the current one (the newest version under a delete marker)."""
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.text import safe_text

    if not history:  # nothing there: exit 1, as stat and ls say of a missing key
        raise NotFoundError(
            f"{safe_text(url)} has no versions.",
            hint="Check the key (keys are case-sensitive); ossbrowse ls --versions lists a folder.",
        )
    older = [v for v in history[1:] if not v.delete_marker]
    if not older:
        raise UsageError(
            f"{safe_text(url)} has no older version to go back to.",
            hint="ossbrowse ls --versions lists its versions.",
        )
    return str(older[0].version_id)
