"""`ossbrowse rm --all-versions URL... [-r]` and `rm URL --version-id V`: delete versions for
good. Irreversible, so always priced and asked: without a terminal, only with --yes."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._priced import (
        VERSIONS_HINT,
        ProgressLine,
        check_json,
        client_for,
        confirm,
        oss_url,
    )
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.ops.filters import from_args
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.version_plans import plan_delete_versions, run_delete_versions
    from ossbrowse.ops.versions import find_version
    from ossbrowse.tasks import Control
    from ossbrowse.text import plural, safe_text

    check_json(args)  # --json is for a dry run's price
    if from_args(args).active:
        # Never ignored in silence: these deletes cannot be undone.
        raise UsageError(
            "Filters do not choose versions to delete for good: --all-versions and --version-id "
            "take whole keys and prefixes.",
            hint="ossbrowse ls --versions -r with the same filters lists the keys; "
            "give their URLs to rm --all-versions.",
        )
    urls = [oss_url(u, "URL", hint=VERSIONS_HINT) for u in args.urls]
    if len({u.bucket for u in urls}) != 1:
        raise UsageError("Delete from one bucket at a time.", hint="Run rm once per bucket.")
    folders = [u for u in urls if not u.key or u.key.endswith("/")]
    if folders and not args.recursive:
        raise UsageError(
            f"{safe_text(folders[0].key) or 'That'} is a folder.",
            hint="Add -r to delete every version under it.",
        )
    if args.version_id and (len(urls) != 1 or folders):
        raise UsageError("--version-id names one object's version: give one object's URL.")
    client, read_only = client_for(args)
    if not args.dry_run:
        ensure_writable(read_only, "delete versions")
    bucket = client.bucket(urls[0].bucket)
    line = ProgressLine()
    cancel = Control()
    if args.version_id:
        version = find_version(bucket, urls[0].key, args.version_id, cancel=cancel)
        plan = plan_delete_versions(bucket, versions=[version], cancel=cancel)
    else:
        whole = any(not u.key for u in urls)
        plan = plan_delete_versions(
            bucket,
            prefixes=[""] if whole else [u.key for u in folders],
            keys=[] if whole else [u.key for u in urls if u not in folders],
            cancel=cancel,
            on_scan=lambda n: line.show(f"listing versions: {plural(n, 'object')}"),
        )
    line.done()
    if not plan.versions:  # nothing there: exit 1, as stat and ls for a missing key
        raise NotFoundError(
            "Nothing to delete: "
            + ", ".join(safe_text(u) for u in args.urls)
            + " has no versions.",
            hint="Check the URL (ossbrowse ls --versions shows what is there).",
        )
    what = "delete for good every version of " + ", ".join(safe_text(u) for u in args.urls)
    if args.version_id:
        what = f"delete version {safe_text(args.version_id)} of {safe_text(args.urls[0])} for good"
    stop = confirm(plan.price, args, what=what)
    if stop is not None:
        return stop
    report = run_delete_versions(
        plan,
        cancel=cancel,
        on_progress=lambda d, t: line.show(f"deleted {d:,}/{t:,}"),
        read_only=read_only,
    )
    line.done()
    print(f"Deleted {report.done:,} of {plural(report.total, 'version')} for good.")
    for name, why in report.failed[:10]:
        print(f"  not deleted: {safe_text(name)}: {why}")
    return 0 if not report.failed and not report.cancelled else 1
