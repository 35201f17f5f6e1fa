"""`ossbrowse sync SRC DST`: make DST match SRC (local->OSS, OSS->local, OSS->OSS, local->local),
copying what is missing or different; extras are deleted only with --delete. Priced first;
the same command again finishes an interrupted sync."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ossbrowse.commands._priced import add_priced_arguments
from ossbrowse.commands._shared import add_parallel_arguments, check_parallel_arguments
from ossbrowse.ops.filters import add_filter_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.gateway.client import OssClient
    from ossbrowse.ops.pricing import Price
    from ossbrowse.ops.sync import SyncReport
    from ossbrowse.ops.sync_plan import CompareStats, Difference, SyncPlan
    from ossbrowse.ops.sync_sides import Tree


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", help="the source: a local folder or oss://bucket/prefix/")
    parser.add_argument("dst", help="the destination: a local folder or oss://bucket/prefix/")
    parser.add_argument(
        "--delete",
        action="store_true",
        help="delete what the destination holds that the source does not (never without it)",
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument(
        "--size-only", action="store_true", help="different means another size (times ignored)"
    )
    how.add_argument(
        "--checksum",
        action="store_true",
        help="same-size files are compared by CRC-64 (a HEAD per object, local files read)",
    )
    add_parallel_arguments(parser)  # as cp: --threads parts in flight, --jobs files at once
    parser.add_argument(
        "--json", action="store_true", help="JSON Lines: the plan and price (--dry-run), result"
    )
    add_filter_arguments(parser)
    add_priced_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import os
    import sys

    from ossbrowse.commands._priced import ProgressLine, confirm
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.ops.filters import from_args, predicate, refuse_classes_locally
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.sync import refuse_empty_source
    from ossbrowse.ops.sync_journal import SyncJournal
    from ossbrowse.ops.sync_plan import plan_sync
    from ossbrowse.ops.sync_sides import LocalTree, refuse_overlap
    from ossbrowse.tasks import Control
    from ossbrowse.text import plural, safe_text

    check_parallel_arguments(args)
    client, read_only = _client(args)
    src, dst = _tree(args.src, client), _tree(args.dst, client)
    refuse_overlap(src, dst)
    if isinstance(src, LocalTree) and not os.path.lexists(src.root):
        raise NotFoundError(f"{safe_text(args.src)} does not exist.", hint="Check the path.")
    if isinstance(src, LocalTree) and not os.path.isdir(src.root):
        raise UsageError(
            f"{safe_text(args.src)} is not a folder.",
            hint="sync makes a folder match a folder; to copy one file, use ossbrowse cp.",
        )
    filt = from_args(args)
    if isinstance(src, LocalTree):
        refuse_classes_locally(filt, args.src)
    if not args.dry_run:
        ensure_writable(read_only, "sync")
        if isinstance(dst, LocalTree):
            from ossbrowse.mount import ensure_writable as mount_writable

            mount_writable(dst.root)
    mode = "size" if args.size_only else "checksum" if args.checksum else "time"
    line = ProgressLine()
    seen = [0]

    def compared(_: Difference) -> None:
        seen[0] += 1
        if seen[0] % 100 == 0:
            line.show(f"comparing: {plural(seen[0], 'difference')} so far")

    plan = plan_sync(
        src,
        dst,
        mode=mode,
        delete=args.delete,
        select=predicate(filt),
        cancel=Control(),
        on_item=compared,
    )
    line.done()
    plan.filters = filter_argv(args)
    if not isinstance(src, LocalTree) and plan.stats.source_items == 0 and predicate(filt) is None:
        # OSS has no folders: a prefix holding nothing names nothing (a typo, the wrong bucket),
        # which every verb answers with exit 1, not "nothing to do".
        raise NotFoundError(
            f"{safe_text(args.src)} holds nothing: there is nothing to sync from it.",
            hint="Check the bucket and the prefix (ossbrowse ls shows what is there).",
        )
    refuse_empty_source(plan)
    price = _price(plan, args)
    if args.json and args.dry_run:
        _write_plan_json(plan, price)
        return 0
    journal = SyncJournal.find(plan)
    resumed = journal is not None and journal.covers(plan) and not plan.nothing_to_do
    if plan.nothing_to_do and not args.json:
        from ossbrowse.ops.sync import SyncReport, describe_report

        nothing = SyncReport(extras_kept=len(plan.extras), blocked=_blocked(plan))
        for text in describe_report(nothing):
            print(text)
        print(_requests_line(plan.stats))
        if journal is not None:
            journal.remove()  # an interrupted run that had got everything across
        return 0 if nothing.complete else 1
    if args.dry_run:
        _print_plan(plan)
    what = f"sync {safe_text(src.url)} to {safe_text(dst.url)}"
    if resumed and not args.dry_run:
        left = len(plan.copies) + len(plan.deletes)
        total = len(journal.plan.items) if journal is not None else left
        print(f"Resuming an interrupted sync: {left:,} of {total:,} left.", file=sys.stderr)
    else:
        stop = confirm(price, args, what=what)
        if stop is not None:
            return stop
    report = _execute(plan, args, client, read_only, resumed)
    if report is None:
        return 130
    if args.json:
        _write_report_json(report)
    else:
        from ossbrowse.ops.sync import describe_report

        for text in describe_report(report):
            print(text)
    return 0 if report.complete else 1


# The filter options' recorded kinds (`ops.filters._RuleAction`) and their spelling.
RULE_OPTIONS = {
    True: "--include",
    False: "--exclude",
    "filter": "--filter",
    "include-from": "--include-from",
    "exclude-from": "--exclude-from",
}


def filter_argv(args: argparse.Namespace) -> tuple[str, ...]:
    """The filter options of a parsed command line, as options again (`--exclude=*.tmp`), in
    their order: what a resume repeats, and part of the sync journal's identity. A rule file
    is named by its absolute path (a resume may run from another folder)."""
    import os

    from ossbrowse.ops.filters import RULES_DEST

    argv: list[str] = []
    for kind, text in getattr(args, RULES_DEST, None) or ():
        option = RULE_OPTIONS.get(kind)
        if option is None:
            continue
        if kind in ("include-from", "exclude-from"):
            text = os.path.abspath(text)
        argv.append(f"{option}={text}")
    for option, dest in (
        ("--min-size", "min_size"),
        ("--max-size", "max_size"),
        ("--newer", "newer"),
        ("--older", "older"),
    ):
        value = getattr(args, dest, None)
        if value is not None:
            argv.append(f"{option}={value}")
    argv.extend(f"--class={c}" for c in getattr(args, "storage_classes", None) or ())
    return tuple(argv)


def _client(args: argparse.Namespace) -> tuple[OssClient | None, bool]:
    """The OSS client when either side is OSS (the credential chain is read only then)."""
    from ossbrowse.commands._priced import client_for
    from ossbrowse.fs.url import is_oss_url

    if is_oss_url(args.src) or is_oss_url(args.dst):
        return client_for(args)
    return None, bool(args.read_only)


def _tree(text: str, client: OssClient | None) -> Tree:
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url
    from ossbrowse.ops.sync_sides import LocalTree, OssTree

    if not is_oss_url(text):
        from ossbrowse.fs.url import refuse_other_schemes

        refuse_other_schemes(text)  # s3://... is not a local folder named `s3:`
        return LocalTree(text)
    url = parse_oss_url(text)
    if not url.bucket:
        raise UsageError(f"{text} names no bucket.", hint="Write oss://BUCKET/PREFIX/.")
    assert client is not None  # made whenever a side is an oss:// URL
    return OssTree(client.bucket(url.bucket), url.key)


def _price(plan: SyncPlan, args: argparse.Namespace) -> Price:
    from ossbrowse.ops.sync_price import destination_versioning, price_sync

    return price_sync(plan, versioning=destination_versioning(plan))


def _blocked(plan: SyncPlan) -> list[tuple[str, str]]:
    return [(d.key, d.reason) for d in plan.blocked]


def _requests_line(stats: CompareStats) -> str:
    return (
        f"Compared with {stats.list_requests:,} list and {stats.head_requests:,} HEAD "
        f"requests; {stats.same:,} files the same."
    )


def _print_plan(plan: SyncPlan) -> None:
    from ossbrowse.text import safe_text

    for d in plan.copies:
        print(f"copy    {safe_text(d.key)}  ({safe_text(d.reason)})")
    for d in plan.deletes:
        print(f"delete  {safe_text(d.key)}  (only in the destination)")
    if plan.extras and not plan.delete:
        print(f"keep    {len(plan.extras):,} extras at the destination (no --delete)")


def _execute(
    plan: SyncPlan,
    args: argparse.Namespace,
    client: OssClient | None,
    read_only: bool,
    resumed: bool,
) -> SyncReport | None:
    """Run the plan with a transfer engine; None when interrupted by ctrl+c."""
    import sys

    from ossbrowse.ops.sync import run_sync
    from ossbrowse.transfer import TransferEngine

    def bucket_for(name: str) -> Any:
        assert client is not None  # the engine asks for buckets only when a side is OSS
        return client.bucket(name)

    engine = TransferEngine(bucket_for, jobs=args.jobs, threads=args.threads)
    try:
        return run_sync(plan, engine=engine, read_only=read_only, resumed=resumed)
    except KeyboardInterrupt:
        engine.shutdown(wait=True)
        sys.stderr.write("\nossbrowse: interrupted; run the same command again to finish.\n")
        return None
    finally:
        engine.shutdown(wait=True)


def _difference_fields(plan: SyncPlan, d: Difference, action: str) -> dict[str, Any]:
    from ossbrowse.commands._json import iso_time

    item = d.src if d.src is not None else d.dst
    assert item is not None
    return {
        "type": action,
        "key": d.key,
        "change": d.change.value,
        "reason": d.reason,
        "size": item.size,
        "src": plan.src.path_of(d.key) if d.src is not None else None,
        "dst": plan.dst.path_of(d.key),
        "last_modified": iso_time(item.mtime),
    }


def _write_plan_json(plan: SyncPlan, price: Price) -> None:
    """The plan, one action a line (`copy`, `delete`, `extra` kept, `blocked`), then a
    `summary` and the `price`."""
    from ossbrowse.commands._json import price_fields, write_json_line

    for d in plan.copies:
        write_json_line(_difference_fields(plan, d, "copy"))
    for d in plan.extras:
        write_json_line(_difference_fields(plan, d, "delete" if plan.delete else "extra"))
    for d in plan.blocked:
        write_json_line(_difference_fields(plan, d, "blocked"))
    stats = plan.stats
    write_json_line(
        {
            "type": "summary",
            "src": plan.src.url,
            "dst": plan.dst.url,
            "mode": plan.mode,
            "delete": plan.delete,
            "copies": len(plan.copies),
            "copy_bytes": plan.copy_bytes,
            "deletes": len(plan.deletes),
            "extras_kept": 0 if plan.delete else len(plan.extras),
            "blocked": len(plan.blocked),
            "same": stats.same,
            "filtered": stats.filtered,
            "list_requests": stats.list_requests,
            "head_requests": stats.head_requests,
        }
    )
    write_json_line(price_fields(price))


def _write_report_json(report: SyncReport) -> None:
    from ossbrowse.commands._json import write_json_line

    for key, why in report.failed:
        write_json_line({"type": "failed", "key": key, "reason": why})
    write_json_line(
        {
            "type": "result",
            "copies": report.copies,
            "copied": report.copied,
            "copied_bytes": report.copied_bytes,
            "deleted": report.deleted,
            "extras_kept": report.extras_kept,
            "failed": len(report.failed),
            "blocked": len(report.blocked),
            "cancelled": report.cancelled,
            "resumed": report.resumed,
            "complete": report.complete,
        }
    )
