"""`ossbrowse transfers [--resume ID|all] [--clean ID|all]`: unfinished transfers, from the
checkpoints earlier runs left behind."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--resume", metavar="ID|all", help="finish an interrupted transfer")
    group.add_argument(
        "--clean", metavar="ID|all", help="give one up: abort its multipart upload, remove files"
    )
    parser.add_argument("--threads", type=int, default=4, help="parts in flight (default 4)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add_connection_arguments(parser)


def _select(store, wanted: str):
    from ossbrowse.errors import UsageError

    if wanted == "all":
        return store.list()
    found = store.find(wanted)
    if not found:
        raise UsageError(
            f"No unfinished transfer has the id {wanted!r}.",
            hint="Run `ossbrowse transfers` to list them.",
        )
    if len(found) > 1:
        raise UsageError(f"{wanted!r} matches {len(found)} transfers; give more of the id.")
    return found


def run(args: argparse.Namespace) -> int:
    import sys
    import time

    from ossbrowse.text import safe_text
    from ossbrowse.transfer.checkpoint import CheckpointStore
    from ossbrowse.transfer.plan import format_size

    store = CheckpointStore()
    if not args.resume and not args.clean:
        unfinished = store.list()
        if not unfinished:
            print("No unfinished transfers.")
            return 0
        for info in unfinished:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.updated))
            done = f"{format_size(info.bytes_done)}/{format_size(info.bytes_total)}"
            print(
                f"{info.id}  {info.kind:<8} {done:>22}  {when}  "
                f"{safe_text(info.src)} -> {safe_text(info.dst)}"
            )
        return 0

    from ossbrowse.commands.cp import make_engine

    selected = _select(store, args.resume or args.clean)
    if not selected:
        print("No unfinished transfers.")
        return 0
    needs_oss = True
    engine = make_engine(args, needs_oss)
    if args.clean:
        failed = 0
        for info in selected:
            try:
                engine.clean_unfinished(info)
                print(f"cleaned {info.id}  {safe_text(info.src)} -> {safe_text(info.dst)}")
            except Exception as exc:
                failed += 1
                print(f"could not clean {info.id}: {exc}", file=sys.stderr)
        engine.shutdown()
        return 1 if failed else 0

    from ossbrowse.commands.cp import run_jobs
    from ossbrowse.transfer import ConflictPolicy

    return run_jobs(
        engine,
        [(info.src, info.dst) for info in selected],
        recursive=False,
        policy=ConflictPolicy.OVERWRITE,
        quiet=args.quiet,
    )
