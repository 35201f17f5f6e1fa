"""Interrupted syncs in `ossbrowse transfers`: listed beside the unfinished transfers (kind
"sync", with how much is left), resumed by `--resume ID` (the same sync, run again: its
listing finds what was copied before) and forgotten by `--clean ID` (its journal removed;
nothing at either side is touched)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from typing import Any

from ossbrowse.errors import UsageError
from ossbrowse.ops.sync_journal import SyncInfo, find_syncs, list_syncs
from ossbrowse.text import safe_text


def selected_syncs(wanted: str) -> list[SyncInfo]:
    """The syncs `wanted` ("all" or the start of an id) names; [] when it names none."""
    found = find_syncs(wanted)
    if wanted != "all" and len(found) > 1:
        raise UsageError(f"{wanted!r} matches {len(found)} syncs; give more of the id.")
    return found


def options_of(info: SyncInfo) -> list[str]:
    """The sync's options as its command line gave them."""
    options = info.journal.plan.options
    argv = ["--delete"] if options.get("delete") is True else []
    mode = options.get("mode")
    if mode == "size":
        argv.append("--size-only")
    elif mode == "checksum":
        argv.append("--checksum")
    return argv + list(info.journal.filters)


def sync_line(info: SyncInfo) -> str:
    """One line of the `transfers` list, in the columns of a transfer's."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info.updated))
    left = f"{info.left:,} of {info.total:,} left"
    options = " ".join(safe_text(o) for o in options_of(info))
    tail = f"  [{options}]" if options else ""
    src, dst = safe_text(info.journal.plan.src), safe_text(info.journal.plan.dst)
    return f"{info.id}  {'sync':<8} {left:>22}  {when}  {src} -> {dst}{tail}"


def sync_lines() -> list[str]:
    return [sync_line(info) for info in list_syncs()]


def sync_fields(info: SyncInfo) -> dict[str, Any]:
    """`transfers --json` for a sync: the fields of a transfer's (`_json.checkpoint_fields`;
    `bytes_done` is what the last run had sent, no upload id, no temporary file), plus
    `items_total` and `items_left` (files to copy and extras to delete), `delete`, `mode`
    and `filters` (the options it was confirmed with)."""
    from ossbrowse.commands._json import iso_time

    options = info.journal.plan.options
    return {
        "id": info.id,
        "kind": "sync",
        "src": info.journal.plan.src,
        "dst": info.journal.plan.dst,
        "bytes_done": info.bytes_done,
        "bytes_total": info.bytes_total,
        "updated": iso_time(info.updated),
        "damaged": False,
        "upload_id": None,
        "temp_path": None,
        "temp_bytes": None,
        "items_total": info.total,
        "items_left": info.left,
        "delete": options.get("delete") is True,
        "mode": options.get("mode", "time"),
        "filters": list(info.journal.filters),
    }


def sync_records() -> Iterator[dict[str, Any]]:
    return (sync_fields(info) for info in list_syncs())


def resume_syncs(args: argparse.Namespace, syncs: list[SyncInfo]) -> int:
    """Run each sync again as its command did (the connection options are this command's);
    the highest exit status."""
    from ossbrowse.cli import add_connection_arguments
    from ossbrowse.commands import sync

    code = 0
    for info in syncs:
        parser = argparse.ArgumentParser(prog="ossbrowse sync")
        sync.add_arguments(parser)
        argv = [*options_of(info), "--threads", str(getattr(args, "threads", 4))]
        if getattr(args, "yes", False):
            argv.append("--yes")  # more than the confirmed plan is priced and asked again
        argv += ["--", info.journal.plan.src, info.journal.plan.dst]
        given = parser.parse_args(argv)
        connection = argparse.ArgumentParser(add_help=False)
        add_connection_arguments(connection)
        for action in connection._actions:
            if hasattr(args, action.dest):
                setattr(given, action.dest, getattr(args, action.dest))
        src, dst = safe_text(info.journal.plan.src), safe_text(info.journal.plan.dst)
        print(f"Resuming sync {info.id}: {src} -> {dst}")
        code = max(code, sync.run(given))
    return code


def clean_syncs(syncs: list[SyncInfo]) -> int:
    """Forget the syncs: their journals go; what they copied stays where it is."""
    for info in syncs:
        info.journal.remove()
        src, dst = safe_text(info.journal.plan.src), safe_text(info.journal.plan.dst)
        print(f"cleaned {info.id}  {src} -> {dst} (its journal; what it copied stays)")
    return 0
