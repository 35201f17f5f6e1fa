"""`ossbrowse restore URL... [-r] [--days N] [--tier T] [--wait]`: restore archived objects."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ossbrowse.commands._priced import add_priced_arguments
from ossbrowse.ops.filters import add_filter_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.records import ObjectRecord


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="+", metavar="URL", help="oss://bucket/key or a prefix/")
    parser.add_argument("-r", "--recursive", action="store_true", help="restore under prefixes")
    parser.add_argument(
        "--days", type=int, default=1,
        help="days the restored copy stays readable (Archive 1-7, cold classes 1-365; default 1)",
    )  # fmt: skip
    parser.add_argument(
        "--tier", choices=["Expedited", "Standard", "Bulk"], type=str.capitalize,
        help="ColdArchive: Expedited (~1 h), Standard (2-5 h), Bulk (5-12 h); DeepColdArchive: "
        "Expedited (~12 h), Standard (~48 h). Default Standard",
    )  # fmt: skip
    parser.add_argument("--wait", action="store_true", help="wait until every object is readable")
    parser.add_argument(
        "--interval", type=float, default=10.0, help="seconds between checks with --wait"
    )
    add_filter_arguments(parser)
    add_priced_arguments(parser)


def run(args: argparse.Namespace) -> int:
    import sys

    from ossbrowse.commands._priced import (
        ProgressLine,
        check_json,
        client_for,
        confirm,
        oss_url,
        prefix_filter,
    )
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.fs.restore_state import describe_restore
    from ossbrowse.fs.storage_classes import restore_options
    from ossbrowse.ops.restore import (
        RestoreReport,
        check_choice,
        describe_restore_report,
        plan_restore,
        wait_restored,
    )
    from ossbrowse.tasks import Control
    from ossbrowse.text import plural, safe_text

    check_json(args)
    urls = [oss_url(u, "URL") for u in args.urls]
    if len({u.bucket for u in urls}) != 1:
        raise UsageError("Restore from one bucket at a time.", hint="Run restore once per bucket.")
    check_days_range(args.days)  # before any request, for one object and a prefix alike
    select = prefix_filter(args)
    client, _ = client_for(args)  # a restore changes no object: allowed when read-only
    bucket = client.bucket(urls[0].bucket)
    prefixes = [u.key for u in urls if u.key == "" or u.key.endswith("/")]
    if prefixes and not args.recursive:
        raise UsageError(
            f"{safe_text(prefixes[0]) or 'the bucket'} is a folder.",
            hint="Add -r to restore everything under it.",
        )
    keys = [u.key for u in urls if u.key and not u.key.endswith("/")]
    line = ProgressLine()
    cancel = Control()
    plan = plan_restore(bucket, keys=keys, tier=args.tier, cancel=cancel)
    for prefix in prefixes:
        more = plan_restore(
            bucket,
            prefix=prefix,
            tier=args.tier,
            cancel=cancel,
            on_progress=lambda p: line.show(f"listing: {plural(p.objects, 'object')}"),
            select=select,
        )
        plan.objects += more.objects
        plan.readable += more.readable
    line.done()
    if (
        not plan.objects and not plan.readable
    ):  # nothing there: exit 1, as stat and ls for a missing key
        raise NotFoundError(
            "Nothing to restore: " + ", ".join(safe_text(u) for u in args.urls) + " not found.",
            hint="Check the URL (ossbrowse ls shows what is there).",
        )
    if not plan.objects:
        if args.json:  # a dry run (check_json): a price of nothing, as JSON
            from ossbrowse.commands._json import price_fields, write_json_line
            from ossbrowse.ops.pricing import Price

            nothing = price_fields(Price("restore"))
            found = f"{plural(plan.readable, 'object')} found, none archived"
            write_json_line({**nothing, "what": "restore", "summary": [found]})
            return 0
        print(f"Nothing to restore: {plural(plan.readable, 'object')} found, none archived.")
        return 0
    # --days outside a class's range is an error for every object of that class, one or many,
    # said before any restore is requested (never clamped silently).
    check_days_per_class(plan.objects, args.days)
    if len(plan.objects) == 1:  # one object: a tier its class lacks is an error too
        options = restore_options(plan.objects[0].storage_class)
        if options is not None:  # always: a plan holds archived objects only
            check_choice(options, args.days, args.tier)
    from ossbrowse.ops.pricing import price_restore

    plan.price = price_restore(plan.objects, tier=args.tier)
    stop = confirm(plan.price, args, what=f"restore {plural(len(plan.objects), 'archived object')}")
    if stop is not None:
        return stop
    from ossbrowse.ops.task_bodies import restore_body, run_here
    from ossbrowse.tasks import Task

    # The restores are a task, as the UI sends them (ops.task_bodies).
    report: RestoreReport = run_here(
        Task("restore", " ".join(args.urls), unit="object"),
        restore_body(plan, days=args.days, tier=args.tier),
        on_event=lambda e: line.show(f"requested {e.job.files_done:,}/{e.job.files_total:,}"),
    )
    line.done()
    for text in describe_restore_report(report):
        print(text)
    if report.failed:
        return 1
    if not args.wait:
        return 0
    print(
        "Waiting for the restores to finish (Ctrl+C stops waiting, not the restores).",
        file=sys.stderr,
    )
    states = wait_restored(
        bucket,
        [o.key for o in plan.objects],
        interval=args.interval,
        cancel=cancel,
        on_change=lambda k, s: print(f"{safe_text(k)}: {describe_restore(s)}"),
    )
    return 0 if all(s.readable for s in states.values()) else 1


def check_days_range(days: int) -> None:
    """--days within what any archived class allows (1 to 365), checked before any request."""
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.storage_classes import RESTORE_OPTIONS

    low = min(o.min_days for o in RESTORE_OPTIONS.values())
    high = max(o.max_days for o in RESTORE_OPTIONS.values())
    if not low <= days <= high:
        raise UsageError(
            f"--days {days} is outside what any class allows ({low} to {high} days).",
            hint="Archive keeps a restored copy 1 to 7 days, ColdArchive and DeepColdArchive "
            "1 to 365.",
        )


def check_days_per_class(objects: Iterable[ObjectRecord], days: int) -> None:
    """Every archived class among `objects` must allow `days`; the first that does not is
    named with how many of its objects there are."""
    from collections import Counter

    from ossbrowse.errors import UsageError
    from ossbrowse.fs.storage_classes import restore_options
    from ossbrowse.text import plural

    counts = Counter(o.storage_class for o in objects)
    for storage_class, count in counts.items():
        options = restore_options(storage_class)
        if options is None or options.min_days <= days <= options.max_days:
            continue
        raise UsageError(
            f"{options.storage_class} objects stay restored {options.min_days} to "
            f"{options.max_days} days, not {days} "
            f"({plural(count, options.storage_class + ' object')} selected); nothing was "
            "restored.",
            hint=f"Use --days between {options.min_days} and {options.max_days}, or restore "
            "the classes separately.",
        )
