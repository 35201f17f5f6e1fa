"""`ossbrowse mv SRC DST`: move or rename objects and prefixes, priced first, resumable; with a
local end (upload, download, local to local) through `commands.mv_ends`, journaled alike."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ossbrowse.commands._priced import add_priced_arguments
from ossbrowse.ops.filters import add_filter_arguments

if TYPE_CHECKING:
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.listing import Progress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", help="oss://bucket/key, oss://bucket/prefix/ or a local path")
    parser.add_argument(
        "dst", help="the new name: oss://bucket/key, oss://bucket/prefix/ or a local path"
    )
    parser.add_argument("--threads", type=int, default=10, help="copies in parallel (default 10)")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="only finish an interrupted move of SRC to DST (running the same command again "
        "does that too)",
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
    from ossbrowse.errors import UsageError
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.ops.rename import MoveReport, describe_report, plan_move
    from ossbrowse.ops.task_bodies import planned_move_body, resumed_move_body
    from ossbrowse.tasks import Control, Event, Task, TaskRunner
    from ossbrowse.text import plural, safe_text

    check_json(args)
    if not (args.src.startswith("oss://") and args.dst.startswith("oss://")):
        from ossbrowse.commands.mv_ends import run as move_with_a_local_end

        return move_with_a_local_end(args)
    src, dst = oss_url(args.src, "source"), oss_url(args.dst, "destination")
    select = prefix_filter(args, needs_recursive=False)
    client, read_only = client_for(args)
    if not args.dry_run:
        ensure_writable(read_only, "move or rename objects")
    src_bucket, dst_bucket = client.bucket(src.bucket), client.bucket(dst.bucket)
    line = ProgressLine()
    cancel = Control()  # the listing's: Ctrl+C ends it by itself

    def moving(event: Event) -> None:
        p = event.job
        line.show(f"moved {p.files_done:,}/{p.files_total:,}  failed {len(p.failures):,}")

    # The move itself is a task on a runner, as the UI runs it (ops.task_bodies).
    runner = TaskRunner(on_event=moving)
    task = Task("move", args.src, args.dst, unit="object")

    journal = _find_journal(src.bucket, src.key, dst.bucket, dst.key)
    if journal is not None:
        left = len(journal.items) - len(journal.deleted)
        if args.dry_run and args.json:
            from ossbrowse.commands._json import write_json_line

            write_json_line({"type": "resume", "operation": "move", "objects": left,
                             "planned": len(journal.items)})  # fmt: skip
            return 0
        if args.dry_run:
            print(
                f"Dry run: an interrupted move would be finished: {left:,} of "
                f"{plural(len(journal.items), 'object')} left."
            )
            return 0
        print(
            f"Resuming an interrupted move: {left:,} of {plural(len(journal.items), 'object')} "
            "left.",
            file=sys.stderr,
        )
        body = resumed_move_body(
            journal, src_bucket, dst_bucket, threads=args.threads, read_only=read_only
        )
    else:
        if args.resume:
            raise UsageError(
                f"No interrupted move of {safe_text(args.src)} to {safe_text(args.dst)} was found.",
                hint="Run it without --resume to start it.",
            )

        def listing(p: Progress) -> None:
            line.show(f"listing: {plural(p.objects, 'object')}, {plural(p.pages, 'page')}")

        plan = plan_move(
            src_bucket,
            src.key,
            dst_bucket,
            dst.key,
            on_progress=listing,
            cancel=cancel,
            select=select,
        )
        line.done()
        what = f"move {safe_text(args.src)} to {safe_text(args.dst)}"
        stop = confirm(plan.price, args, what=what)
        if stop is not None:
            return stop
        body = planned_move_body(plan, threads=args.threads, read_only=read_only)
    runner.run_to_end(task, body)
    line.done()
    if task.exception is not None:
        raise task.exception
    report = task.result
    if not isinstance(report, MoveReport):  # pragma: no cover - a body always returns one
        raise AssertionError("the move task ended without a report")
    for text in describe_report(report):
        print(text)
    return 0 if report.complete else 1


def _find_journal(src_bucket: str, src: str, dst_bucket: str, dst: str) -> MoveJournal | None:
    """The journal of an interrupted move with these arguments (as the plan normalised them)."""
    import posixpath

    from ossbrowse.ops.journal import MoveJournal

    candidates = {(src, dst)}
    if dst == "" or dst.endswith("/"):
        candidates.add((src, dst + posixpath.basename(src)))
    if not src.endswith("/"):
        candidates.add((src + "/", dst if dst == "" or dst.endswith("/") else dst + "/"))
    for s, d in candidates:
        journal = MoveJournal.find(src_bucket, s, dst_bucket, d)
        if journal is not None:
            return journal
    return None
