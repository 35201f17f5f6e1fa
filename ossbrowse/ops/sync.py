"""Run a sync plan: copy what is missing or different through the transfer engine, then delete
the destination's extras (only when the plan was made with `delete`), never outside it.

Plan (`ops.sync_plan.plan_sync`), price (`ops.sync_price.price_sync`), confirm, then
`run_sync`. The copies go to the transfer engine as one job over the chosen files
(`TransferEngine.submit_items`): the same uploads, downloads and server-side copies as `cp`,
with their checks, checkpoints and retries. The confirmed plan is journaled first
(`ops.sync_journal`); an interrupted sync is finished by running the same command again.

Deletes stay inside the destination: an OSS key must start with the destination prefix (which
always ends in `/`, so `dst/` never reaches `dst2/`); a local path must be a safe relative key
below the destination folder that passes through no symbolic link (`transfer.confine`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ossbrowse.errors import UsageError
from ossbrowse.fs.delete_batch import delete_keys
from ossbrowse.ops.classes import DELETE_BATCH
from ossbrowse.ops.failures import oss_error
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.sync_journal import SyncJournal
from ossbrowse.ops.sync_plan import SyncPlan
from ossbrowse.ops.sync_sides import LocalTree, OssTree, Tree
from ossbrowse.tasks import TaskState
from ossbrowse.tasks.model import Task
from ossbrowse.text import plural, safe_text
from ossbrowse.transfer.confine import Confinement
from ossbrowse.transfer.engine import TransferEngine
from ossbrowse.transfer.locations import Location, safe_relative_key
from ossbrowse.transfer.walk import WalkItem

POLL = 0.2  # seconds between looks at the copy job (progress and cancel)
NOTE_EVERY = 1.0  # seconds between progress notes beside the journal


@dataclass
class SyncReport:
    copies: int = 0  # planned
    copied: int = 0
    copied_bytes: int = 0
    deleted: int = 0
    extras_kept: int = 0  # extras left because --delete was not given
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key or path, why)
    blocked: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    resumed: bool = False

    @property
    def complete(self) -> bool:
        return not self.failed and not self.cancelled and not self.blocked


def refuse_empty_source(plan: SyncPlan) -> None:
    """An empty source with --delete would empty the destination: a mistyped source path, an
    unmounted disk or a wrong prefix. That is refused; `rm -r` says it on purpose."""
    if plan.deletes and plan.stats.source_items == 0:
        raise UsageError(
            f"Refused: {safe_text(plan.src.url)} holds nothing, so --delete would delete "
            f"everything at {safe_text(plan.dst.url)} ({len(plan.deletes):,} files).",
            hint="Check the source. To empty the destination on purpose, use ossbrowse rm -r.",
        )


def location(tree: Tree, key: str) -> Location:
    """Where the item `key` (relative to the tree's top) is, as the transfer engine names it."""
    if isinstance(tree, OssTree):
        return Location(tree.bucket_name, tree.path_of(key))
    return Location(None, tree.path_of(key))


def copy_items(plan: SyncPlan) -> Iterator[WalkItem]:
    """The plan's copies as the engine's work items; a local destination path that would leave
    the destination folder (through a symbolic link) is refused, as `cp -r` refuses it."""
    confined = Confinement(plan.dst.root) if isinstance(plan.dst, LocalTree) else None
    for difference in plan.copies:
        assert difference.src is not None
        target = location(plan.dst, difference.key)
        error = confined.refusal(target.path) if confined is not None else None
        # An empty folder travels as `cp -r` carries it: a marker (OSS) or a folder (local).
        folder = difference.src.is_dir
        source = location(plan.src, difference.key)
        yield WalkItem(source, target, difference.src.size, is_folder_marker=folder, error=error)


def run_sync(
    plan: SyncPlan,
    *,
    engine: TransferEngine,
    task: Task | None = None,
    read_only: bool = False,
    resumed: bool = False,
    journal_dir: Path | None = None,
) -> SyncReport:
    """Carry out `plan`: copies through `engine`, then deletes if the plan has them. Progress
    and cancel go through `task` (the UI's; a verb's own otherwise)."""
    ensure_writable(read_only, "sync")
    refuse_empty_source(plan)
    task = task or Task("sync", plan.src.url, plan.dst.url)
    report = SyncReport(copies=len(plan.copies), resumed=resumed)
    report.extras_kept = 0 if plan.delete else len(plan.extras)
    report.blocked = [(d.key, d.reason) for d in plan.blocked]
    if plan.nothing_to_do:
        return report
    journal = SyncJournal.create(plan, journal_dir)
    if plan.copies:
        _copy(plan, engine, task, report, journal)
    if plan.delete and plan.deletes and not report.cancelled:
        _delete(plan, task, report)
        journal.note_progress(len(plan.copies) + report.deleted, report.copied_bytes)
    if not report.failed and not report.cancelled:
        journal.remove()  # blocked items stay blocked however often it runs: done
    return report


def _copy(
    plan: SyncPlan, engine: TransferEngine, task: Task, report: SyncReport, journal: SyncJournal
) -> None:
    job = engine.submit_items(lambda: copy_items(plan), plan.src.url, plan.dst.url)
    total = plan.copy_bytes
    noted, noted_at = 0, time.monotonic()
    while not job.wait(POLL):
        snap = job.snapshot()
        task.report(snap.files_done, len(plan.copies), snap.bytes_done, total)
        if snap.files_done != noted and time.monotonic() - noted_at >= NOTE_EVERY:
            # `ossbrowse transfers` says how much is left; a note is a write and an fsync
            noted, noted_at = snap.files_done, time.monotonic()
            journal.note_progress(noted, snap.bytes_done)
        if task.control.cancelled:
            engine.cancel(job.id)
    snap = job.snapshot()
    journal.note_progress(snap.files_done, snap.bytes_done)
    task.report(snap.files_done, len(plan.copies), snap.bytes_done, total)
    for failure in snap.failures:
        report.failed.append((failure.src, failure.message))
    report.copied = snap.files_done - len(snap.failures) - snap.files_skipped
    report.copied_bytes = snap.bytes_done
    if snap.state is TaskState.CANCELLED or task.control.cancelled:
        report.cancelled = True
    elif snap.state is TaskState.FAILED and not snap.failures:
        report.failed.append((plan.src.url, snap.error or "the copy failed"))


def _delete(plan: SyncPlan, task: Task, report: SyncReport) -> None:
    if isinstance(plan.dst, OssTree):
        _delete_objects(plan.dst, [d.key for d in plan.deletes], task, report)
    elif isinstance(plan.dst, LocalTree):
        _delete_files(plan.dst, [d.key for d in plan.deletes], task, report)


def _delete_objects(dst: OssTree, keys: list[str], task: Task, report: SyncReport) -> None:
    full = [dst.path_of(key) for key in keys]
    outside = [k for k in full if not k.startswith(dst.prefix)]
    if outside:  # cannot happen through a listing of the prefix: refuse rather than trust it
        raise UsageError(f"Refused to delete {safe_text(outside[0])}: it is outside {dst.url}.")
    for start in range(0, len(full), DELETE_BATCH):
        task.control.gate()
        outcome = delete_keys(dst.bucket, full[start : start + DELETE_BATCH])
        report.deleted += len(outcome.deleted)
        for key, exc in outcome.failed:
            error = oss_error(exc, action="oss:DeleteObject", bucket=dst.bucket_name, key=key)
            report.failed.append((key, str(error)))
        task.report(report.deleted, len(full))


def _delete_files(dst: LocalTree, keys: list[str], task: Task, report: SyncReport) -> None:
    """Files first, then folders deepest first (each empty by then: only `rmdir`, which never
    removes anything a folder still holds)."""
    confined = Confinement(dst.root)
    files = [key for key in keys if not key.endswith("/")]
    folders = sorted((key for key in keys if key.endswith("/")), reverse=True)
    for n, key in enumerate(files + folders):
        if n % 100 == 0:
            task.control.gate()
        path = dst.path_of(key)
        why = local_delete_refusal(dst.root, key.rstrip("/"), path, confined)
        if why is not None:
            report.failed.append((path, why))
            continue
        try:
            os.rmdir(path) if key.endswith("/") else os.unlink(path)
        except FileNotFoundError:
            pass  # gone already: what the sync wanted
        except OSError as exc:
            report.failed.append((path, f"could not delete it: {exc.strerror or exc}"))
            continue
        report.deleted += 1
    task.report(report.deleted, len(keys))


def local_delete_refusal(root: str, key: str, path: str, confined: Confinement) -> str | None:
    """Why deleting `path` (the item `key` of the folder `root`) could reach outside it."""
    inside = os.path.commonpath([os.path.abspath(root), os.path.abspath(path)])
    if safe_relative_key(key) is None or inside != os.path.abspath(root) or path == root:
        return "refused: not a file inside the destination folder"
    return confined.refusal(path)


def describe_report(report: SyncReport) -> list[str]:
    """What the sync did, in sentences; names escaped."""
    lines = []
    if report.resumed:
        lines.append("Finished an interrupted sync.")
    if not report.copies and not report.deleted and not report.failed:
        lines.append("Nothing to do: the destination already matches the source.")
    else:
        lines.append(f"Copied {plural(report.copied, 'file')} of {report.copies:,} to copy.")
        if report.deleted:
            lines.append(f"Deleted {plural(report.deleted, 'extra')} at the destination.")
    if report.extras_kept:
        lines.append(
            f"{plural(report.extras_kept, 'extra')} at the destination, not in the source, "
            "kept (add --delete to delete them)."
        )
    if report.cancelled:
        lines.append("Cancelled: run the same command again to finish.")
    for title, rows in (("Failed", report.failed), ("Not copied", report.blocked)):
        if rows:
            lines.append(f"{title} ({len(rows):,}):")
            lines.extend(f"  {safe_text(key)}: {safe_text(why)}" for key, why in rows[:10])
            if len(rows) > 10:
                lines.append(f"  ... and {len(rows) - 10:,} more")
    return lines
