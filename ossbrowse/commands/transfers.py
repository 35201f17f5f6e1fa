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
    parser.add_argument(
        "-y",
        "--yes",
        action="store_true",
        help="resuming a sync that now does more than was confirmed: go ahead without asking",
    )
    parser.add_argument(
        "--json", action="store_true", help="the list as JSON Lines, one transfer a line"
    )
    add_connection_arguments(parser)


def _select(store, wanted: str, *, include_damaged: bool = False):
    from ossbrowse.errors import UsageError

    if wanted == "all":
        return store.list(include_damaged=include_damaged)
    found = store.find(wanted, include_damaged=include_damaged)
    if not found:
        raise UsageError(
            f"No unfinished transfer has the id {wanted!r}.",
            hint="Run `ossbrowse transfers` to list them.",
        )
    if len(found) > 1:
        raise UsageError(f"{wanted!r} matches {len(found)} transfers; give more of the id.")
    return found


def run(args: argparse.Namespace) -> int:
    import time

    from ossbrowse.commands.sync_transfers import (
        clean_syncs,
        resume_syncs,
        selected_syncs,
        sync_lines,
        sync_records,
    )
    from ossbrowse.text import safe_text
    from ossbrowse.transfer.checkpoint import CheckpointStore
    from ossbrowse.transfer.plan import format_size

    store = CheckpointStore()
    if not args.resume and not args.clean:
        # Damaged checkpoints are listed too: what they left behind must be seen to be cleaned.
        unfinished = store.list(include_damaged=True)
        if args.json:
            from ossbrowse.commands._json import checkpoint_fields, write_json_lines
            from ossbrowse.transfer.leftovers import temp_bytes

            write_json_lines(checkpoint_fields(i, temp_bytes(i)) for i in unfinished)
            write_json_lines(sync_records())  # interrupted syncs: kind "sync"
            return 0
        sync_rows = sync_lines()
        if not unfinished and not sync_rows:
            print("No unfinished transfers.")
            return 0
        for info in unfinished:
            print(_line(info, time, safe_text, format_size))
        for line in sync_rows:
            print(line)
        return 0

    # An interrupted sync's id is resumed (run again) or cleaned (its journal) by its own rule;
    # "all" takes the transfers, then the syncs.
    wanted = args.clean or args.resume
    syncs = selected_syncs(wanted)
    if syncs and (wanted != "all" or not store.list(include_damaged=True)):
        return clean_syncs(syncs) if args.clean else resume_syncs(args, syncs)
    if syncs:
        code = _clean(args, store, safe_text) if args.clean else _resume(args, store)
        return max(code, clean_syncs(syncs) if args.clean else resume_syncs(args, syncs))
    if args.clean:
        return _clean(args, store, safe_text)
    return _resume(args, store)


def _resume(args: argparse.Namespace, store) -> int:
    from ossbrowse.commands.cp import make_engine

    selected = _select(store, args.resume)
    if not selected:
        print("No unfinished transfers.")
        return 0
    engine = make_engine(args, True)
    from ossbrowse.commands.cp import run_jobs
    from ossbrowse.transfer import ConflictPolicy

    return run_jobs(
        engine,
        [(info.src, info.dst, info.version_id) for info in selected],
        recursive=False,
        policy=ConflictPolicy.OVERWRITE,
        quiet=args.quiet,
    )


def _line(info, time, safe_text, format_size) -> str:
    from ossbrowse.transfer.leftovers import temp_bytes

    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.updated))
    on_disk = temp_bytes(info)
    if info.damaged:
        done = "damaged"
        kind = info.kind if info.kind != "?" else "unknown"
        tail = "  (checkpoint damaged: cannot be resumed; --clean removes it"
        tail += ", and its temporary file)" if info.temp_path else ")"
        if info.bucket and not info.upload_id:
            tail += "  (its upload id cannot be read: --clean aborts no upload, it names them)"
        elif info.bucket:
            tail += "  (--clean aborts its upload if OSS still lists it)"
    else:
        done = f"{format_size(info.bytes_done)}/{format_size(info.bytes_total)}"
        kind = info.kind
        tail = ""
    if on_disk is not None:
        tail += f"  [{format_size(on_disk)} in {safe_text(info.temp_path)}]"
    src, dst = safe_text(info.src) or "?", safe_text(info.dst) or "?"
    if info.version_id:  # `cp --version-id`: resumed as that version
        src += f" (version {safe_text(info.version_id)})"
    return f"{info.id}  {kind:<8} {done:>22}  {when}  {src} -> {dst}{tail}"


def _clean(args, store, safe_text) -> int:
    """Give up the selected transfers: abort their multipart uploads (through the engine, which
    needs OSS), remove their temporary files and checkpoints (here, without OSS). A transfer
    that is running is left alone and named."""
    import sys

    from ossbrowse.transfer.leftovers import clean_locally, has_upload_on_oss

    selected = _select(store, args.clean, include_damaged=True)
    if not selected:
        print("No unfinished transfers.")
        return 0
    engine = None
    failed = 0
    for info in selected:
        try:
            left = None
            if has_upload_on_oss(info):
                if engine is None:
                    from ossbrowse.commands.cp import make_engine

                    engine = make_engine(args, True)
                # under the transfer's lock (leftovers.give_up)
                left = engine.clean_unfinished(info)
            else:
                clean_locally(store, info)
            print(f"cleaned {info.id}  {safe_text(info.src)} -> {safe_text(info.dst)}")
            if left:
                print(left, file=sys.stderr)
        except Exception as exc:
            failed += 1
            print(f"could not clean {info.id}: {exc}", file=sys.stderr)
    if engine is not None:
        engine.shutdown()
    return 1 if failed else 0
