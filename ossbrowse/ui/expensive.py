"""The one place that builds the confirm dialogs for move, rename, delete and edit.

When the entries are on OSS and the caller passes `fs_for` (path -> FileSystem), the dialog is
a `PricedDialog` (ossbrowse.ui.priced_dialogs) that enumerates what the operation touches and
shows its price from `ossbrowse.ops` before asking; otherwise a plain confirmation. Each
returns a `ModalScreen` whose result is truthy to go ahead.
"""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen

from ossbrowse.fs.base import Entry
from ossbrowse.text import safe_text
from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import describe_sources
from ossbrowse.ui.rows import human_size
from ossbrowse.ui.sides import is_oss_path

NOT_ATOMIC = (
    "OSS has no rename: every object is copied, then the original deleted. "
    "If it stops half way, some objects exist under both names."
)


def _bucket_for(fs_for, path: str):
    """The gateway's bucket handle behind an oss:// path (from the OSS side), and its URL."""
    from ossbrowse.fs.url import parse_oss_url

    url = parse_oss_url(path)
    return fs_for(path).bucket(url.bucket), url


def _all_oss(entries: list[Entry]) -> bool:
    return bool(entries) and all(is_oss_path(e.path) for e in entries)


def priced_delete_dialog(entries: list[Entry], fs_for) -> ModalScreen:
    """Priced; the plan it made is kept on the dialog (`dialog.plans`) for the caller to run."""
    from ossbrowse.ops.delete import plan_delete
    from ossbrowse.ui.priced_dialogs import PricedDialog

    def planner(progress, token):
        bucket, _ = _bucket_for(fs_for, entries[0].path)
        keys = [_bucket_for(fs_for, e.path)[1].key + ("/" if e.is_dir and not
                e.path.endswith("/") else "") for e in entries]  # fmt: skip
        plan = plan_delete(bucket, keys=keys, recursive=True, on_progress=progress, cancel=token)
        dialog.plans[:] = [plan]
        return plan.price

    lines = [describe_sources(entries), "Deleted objects cannot be recovered unless the "
             "bucket keeps versions."]  # fmt: skip
    dialog = PricedDialog("Delete?", lines, planner=planner, yes="Delete", danger=True)
    return dialog


def priced_move_dialog(entries: list[Entry], destination: str, fs_for) -> ModalScreen:
    """Priced; one `MovePlan` per entry is kept on the dialog (`dialog.plans`) to be run."""
    from ossbrowse.ops.pricing import Price
    from ossbrowse.ops.rename import plan_move
    from ossbrowse.ui.priced_dialogs import PricedDialog

    def planner(progress, token):
        total = None
        plans = []
        for entry in entries:
            src_bucket, src = _bucket_for(fs_for, entry.path)
            dst_bucket, dst = _bucket_for(fs_for, destination)
            target = dst.key
            if len(entries) > 1 or destination.endswith("/"):
                name = entry.name.rstrip("/")
                target = dst.key if dst.key == "" or dst.key.endswith("/") else dst.key + "/"
                target += name + ("/" if entry.is_dir else "")
            key = src.key + ("/" if entry.is_dir and not src.key.endswith("/") else "")
            plan = plan_move(src_bucket, key, dst_bucket, target, on_progress=progress,
                             cancel=token)  # fmt: skip
            plans.append(plan)
            # Into a fresh Price: each plan keeps its own (_merge adds into its first argument).
            total = _merge(total or Price("move"), plan.price)
        dialog.plans[:] = plans
        return total or Price("move")

    lines = [describe_sources(entries), f"to {safe_text(destination)}"]
    dialog = PricedDialog("Move?", lines, planner=planner, yes="Move")
    return dialog


def _merge(a, b):
    a.objects += b.objects
    a.bytes += b.bytes
    for kind, n in b.requests.items():
        a.add_requests(kind, n)
    a.multipart_copies += b.multipart_copies
    a.blocked += b.blocked
    a.early_deletions += b.early_deletions
    a.overwrites += b.overwrites
    a.non_atomic = a.non_atomic or b.non_atomic
    a.restore_waits.update(b.restore_waits)
    return a


def delete_dialog(entries: list[Entry], fs_for=None) -> ModalScreen[Any]:
    if fs_for is not None and _all_oss(entries):
        return priced_delete_dialog(entries, fs_for)
    lines = [describe_sources(entries)]
    if any(e.is_dir for e in entries):
        lines.append("Folders are deleted with everything inside them.")
    if any(is_oss_path(e.path) for e in entries):
        lines.append("Deleted objects cannot be recovered unless the bucket keeps versions.")
    return ConfirmDialog("Delete?", lines, yes="Delete", danger=True)


def upload_move_dialog(entries: list[Entry], destination: str) -> ModalScreen:
    """Local files into OSS: priced like the OSS moves (the requests the upload sends)."""
    from ossbrowse.ui.priced_dialogs import PricedDialog
    from ossbrowse.ui.upload_price import UPLOAD_NOTE, price_upload

    lines = [describe_sources(entries), f"to {safe_text(destination)}", UPLOAD_NOTE]
    return PricedDialog("Move?", lines, planner=lambda progress, token: price_upload(
        entries, progress, token), yes="Move")  # fmt: skip


def move_dialog(entries: list[Entry], destination: str, fs_for=None) -> ModalScreen[Any]:
    if fs_for is not None and _all_oss(entries) and is_oss_path(destination):
        return priced_move_dialog(entries, destination, fs_for)
    if is_oss_path(destination) and not any(is_oss_path(e.path) for e in entries):
        return upload_move_dialog(entries, destination)
    lines = [describe_sources(entries), f"to {safe_text(destination)}"]
    if any(is_oss_path(e.path) for e in entries) or is_oss_path(destination):
        lines.append(NOT_ATOMIC)
    return ConfirmDialog("Move?", lines, yes="Move")


def edit_dialog(entry: Entry, fs_for=None) -> ModalScreen[Any]:
    if is_oss_path(entry.path):
        from ossbrowse.fs.records import ObjectRecord
        from ossbrowse.ops.pricing import price_edit
        from ossbrowse.ui.priced_dialogs import PricedDialog

        obj = ObjectRecord(entry.name, entry.size, entry.etag or "", entry.mtime or 0.0,
                         storage_class=entry.storage_class or "Standard",
                         restore=entry.restore)  # fmt: skip
        lines = [
            f"{safe_text(entry.path)} ({human_size(entry.size)})",
            "OSS cannot edit in place: the object is downloaded, opened in your editor, "
            "and uploaded again whole if you save a change (its new size is shown then).",
        ]
        return PricedDialog("Edit an object?", lines, price=price_edit(obj), yes="Edit")
    lines = [
        f"{safe_text(entry.path)} ({human_size(entry.size)})",
        "OSS cannot edit in place: the object is downloaded, opened in your editor, "
        "and uploaded again whole if you save a change.",
    ]
    return ConfirmDialog("Edit an object?", lines, yes="Edit")
