"""`ossbrowse rm URL... [-r]`: delete objects or prefixes, priced first, in batches of 1000."""

from __future__ import annotations

import argparse

from ossbrowse.commands._priced import add_priced_arguments
from ossbrowse.ops.filters import add_filter_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="+", metavar="URL", help="oss://bucket/key or a prefix/")
    parser.add_argument("-r", "--recursive", action="store_true", help="delete under prefixes")
    parser.add_argument(
        "--all-versions",
        action="store_true",
        help="versioned bucket: delete every version and delete marker for good (irreversible)",
    )
    parser.add_argument(
        "--version-id", metavar="VERSION", help="delete this one version for good (irreversible)"
    )
    add_filter_arguments(parser)
    add_priced_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "all_versions", False) or getattr(args, "version_id", None):
        from ossbrowse.commands.rm_versions import run as delete_versions

        return delete_versions(args)
    from ossbrowse.commands._priced import (
        ProgressLine,
        check_json,
        client_for,
        confirm,
        oss_url,
        prefix_filter,
    )
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.ops.delete import DeleteReport, plan_delete
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.task_bodies import delete_body, run_here
    from ossbrowse.tasks import Control, Task
    from ossbrowse.text import plural, safe_text

    check_json(args)
    urls = [oss_url(u, "URL") for u in args.urls]
    if len({u.bucket for u in urls}) != 1:
        raise UsageError("Delete from one bucket at a time.", hint="Run rm once per bucket.")
    if any(u.key == "" for u in urls) and not args.recursive:
        raise UsageError("That is a whole bucket.", hint="Add -r to delete everything in it.")
    select = prefix_filter(args)
    client, read_only = client_for(args)
    if not args.dry_run:
        ensure_writable(read_only, "delete objects")
    bucket = client.bucket(urls[0].bucket)
    line = ProgressLine()
    cancel = Control()
    keys = [u.key for u in urls if u.key]
    whole = any(u.key == "" for u in urls)
    plan = plan_delete(
        bucket,
        prefix="" if whole else None,
        keys=[] if whole else keys,
        recursive=args.recursive,
        on_progress=lambda p: line.show(f"listing: {plural(p.objects, 'object')}"),
        cancel=cancel,
        select=select,
    )
    line.done()
    if not plan.objects:  # nothing there: exit 1, as stat and ls for a missing key
        raise NotFoundError(
            "Nothing to delete: " + ", ".join(safe_text(u) for u in args.urls) + " not found.",
            hint="Check the URL (ossbrowse ls shows what is there).",
        )
    what = "delete " + ", ".join(safe_text(u) for u in args.urls)
    stop = confirm(plan.price, args, what=what)
    if stop is not None:
        return stop
    # The delete is a task, as the UI runs it (ops.task_bodies).
    task = Task("delete", " ".join(args.urls), unit="object")
    report: DeleteReport = run_here(
        task,
        delete_body(plan, read_only=read_only),
        on_event=lambda e: line.show(f"deleted {e.job.files_done:,}/{e.job.files_total:,}"),
    )
    line.done()
    print(f"Deleted {report.deleted:,} of {plural(report.total, 'object')}.")
    if plan.price.versioning:  # nothing was freed: say where the data still is
        print(
            "Versioning is on: each got a delete marker; its versions stay billed "
            "(ossbrowse ls --versions lists them, ossbrowse revert brings one back)."
        )
    for key, why in report.failed[:10]:
        print(f"  not deleted: {safe_text(key)}: {why}")
    return 0 if not report.failed and not report.cancelled else 1
