"""`ossbrowse mv` with a local end: upload, download or local-to-local moves, journaled.

The same task the UI submits (`ops.task_bodies.move_body`): copy, verify (size and CRC64),
journal, re-check, then delete each source; run again after a kill, it finds its journal and
finishes the move. A destination ending in `/` (or an existing local folder, or a bucket's
top) receives the source under its own name, as with `cp`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def _target(src: Any, dst: Any) -> Any:
    from ossbrowse.transfer.locations import Location

    into = dst.path.endswith("/") or (dst.is_oss and not dst.path)
    if not dst.is_oss:
        into = into or dst.path.endswith(os.sep) or os.path.isdir(dst.path)
    if not into:
        return dst
    name = src.name + ("/" if src.is_oss and src.path.endswith("/") and dst.is_oss else "")
    return dst.child(name) if dst.is_oss else Location(None, os.path.join(dst.path, src.name))


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._priced import ProgressLine, client_for, confirm
    from ossbrowse.errors import NotFoundError, UsageError
    from ossbrowse.ops.filters import from_args
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.move_ends import journal_names, plan_ends_move
    from ossbrowse.ops.pricing import Price
    from ossbrowse.ops.rename import MoveReport, describe_report
    from ossbrowse.ops.task_bodies import move_body, run_here
    from ossbrowse.tasks import Event, Task
    from ossbrowse.text import plural, safe_text
    from ossbrowse.transfer.locations import parse_location

    if from_args(args).active:
        raise UsageError(
            "Filters choose among what an OSS prefix holds; a move with a local end takes "
            "the whole folder.",
            hint="Drop the filter options, or move inside OSS.",
        )
    src = parse_location(args.src)
    dst = _target(src, parse_location(args.dst))
    if src.is_oss or dst.is_oss:
        client, read_only = client_for(args)
        bucket_for = client.bucket
    else:
        read_only = bool(args.read_only)

        def bucket_for(name: str) -> Any:
            raise AssertionError("no OSS in a local move")

    if not args.dry_run:
        ensure_writable(read_only, "move")
    line = ProgressLine()

    def moving(event: Event) -> None:
        p = event.job
        line.show(f"moved {p.files_done:,}/{p.files_total:,}  failed {len(p.failures):,}")

    plan = None
    journal = MoveJournal.find(*journal_names(src, dst))
    if journal is not None:
        left = len(journal.items) - len(journal.deleted)
        if args.dry_run:
            print(f"Dry run: an interrupted move would be finished: {left:,} of "
                  f"{plural(len(journal.items), 'object')} left.")  # fmt: skip
            return 0
        print(f"Resuming an interrupted move: {left:,} of "
              f"{plural(len(journal.items), 'object')} left.", file=sys.stderr)  # fmt: skip
    else:
        if args.resume:
            raise UsageError(
                f"No interrupted move of {safe_text(args.src)} to {safe_text(args.dst)} was found.",
                hint="Run it without --resume to start it.",
            )
        plan = plan_ends_move(src, dst, bucket_for)
        if not plan.items and not plan.blocked:
            raise NotFoundError(f"Nothing to move under {safe_text(src.url)}.")
        size = sum(i.size for i in plan.items)
        price = Price("move", objects=len(plan.items), bytes=size, non_atomic=True)
        price.upload_bytes = size if dst.is_oss else 0
        price.download_bytes = size if src.is_oss else 0
        what = f"move {safe_text(src.url)} to {safe_text(dst.url)}"
        stop = confirm(price, args, what=what)
        if stop is not None:
            return stop
    body = move_body(
        src.url, dst.url, bucket_for=bucket_for, read_only=read_only, threads=args.threads,
        plan=plan,
    )  # fmt: skip
    report: MoveReport = run_here(Task("move", src.url, dst.url, unit="object"), body, moving)
    line.done()
    for text in describe_report(report):
        print(text)
    return 0 if report.complete else 1
