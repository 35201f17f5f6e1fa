"""The operations as tasks: moves (any direction), deletes and restores as bodies for the one
runner, so the UI and the verbs submit the same work.

    runner.submit(Task("move", src, dst, unit="object"), move_body(src, dst, bucket_for=...))

A body reports progress on its task (which waits there while paused and raises on cancel),
records what did not make it with `task.fail_item`, writes its summary lines as notes, and
returns the operation's report (kept as `task.result`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ossbrowse.errors import NotFoundError
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.tasks.model import Task
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy

if TYPE_CHECKING:
    from ossbrowse.ops.delete import DeletePlan, DeleteReport
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.move_ends import EndsPlan, Resolver
    from ossbrowse.ops.rename import MoveHooks, MovePlan, MoveProgress, MoveReport
    from ossbrowse.ops.restore import RestorePlan, RestoreReport
    from ossbrowse.tasks.model import Event
    from ossbrowse.tasks.runner import TaskRunner
    from ossbrowse.transfer.checkpoint import CheckpointStore

Body = Callable[[Task], Any]
R = TypeVar("R")
BucketFor = Callable[[str], Any]  # bucket name -> the gateway's bucket handle


def _settle(task: Task, lines: Iterable[str], failures: Iterable[tuple[str, str]]) -> None:
    for line in lines:
        task.note(line)
    for name, why in failures:
        task.fail_item(name, "", why)


def _on_move_progress(task: Task) -> Callable[[MoveProgress], None]:
    def progress(p: MoveProgress) -> None:
        task.progress(p.deleted, p.total, p.bytes_copied, p.bytes_total)

    return progress


def _finish_move(task: Task, report: MoveReport) -> MoveReport:
    from ossbrowse.ops.rename import describe_report

    task.resume_ref = report.journal_id
    _settle(task, describe_report(report), report.failed + report.blocked)
    return report


def journals_beside(store: CheckpointStore | None) -> Path | None:
    """The move journals of a session whose checkpoints are in `store`: the same state folder
    (None: `ops.journal`'s own default)."""
    if store is None:
        return None
    folder = store.folder.parent / "moves"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def planned_move_body(
    plan: MovePlan, *, read_only: bool = False, directory: Path | None = None, threads: int = 16
) -> Body:
    """A move inside OSS already planned and priced (by the UI's dialog, or `ossbrowse mv`)."""

    def body(task: Task) -> MoveReport:
        from ossbrowse.ops.rename import run_move

        report = run_move(
            plan, threads=threads, cancel=task.control, on_progress=_on_move_progress(task),
            read_only=read_only, directory=directory,
        )  # fmt: skip
        return _finish_move(task, report)

    return body


def resumed_move_body(
    journal: MoveJournal, src_bucket: Any, dst_bucket: Any, *, read_only: bool = False,
    threads: int = 16,
) -> Body:  # fmt: skip
    """Finish the interrupted move inside OSS that `journal` describes."""

    def body(task: Task) -> MoveReport:
        from ossbrowse.ops.rename import resume_move

        report = resume_move(
            journal, src_bucket, dst_bucket, threads=threads, cancel=task.control,
            on_progress=_on_move_progress(task), read_only=read_only,
        )  # fmt: skip
        return _finish_move(task, report)

    return body


def move_body(
    src: str,
    dst: str,
    *,
    bucket_for: BucketFor,
    read_only: bool = False,
    store: CheckpointStore | None = None,
    threads: int = 4,
    part_size: int | None = None,
    hooks: MoveHooks | None = None,
    plan: EndsPlan | None = None,
    if_exists: ConflictPolicy = ConflictPolicy.OVERWRITE,
    resolve_conflict: Resolver | None = None,
) -> Body:
    """Move `src` to `dst` (local paths or oss:// URLs, any direction; `dst` is the new name of
    `src`, not a folder to put it in). Journaled (beside `store`'s checkpoints): the same move
    run again after a kill finds its journal and finishes it. Copies are verified (size and
    CRC64) before a source goes. `plan`: the enumeration already made (to price it first);
    else it is made in the task, a taken name dealt with as `if_exists` says (ASK asks
    `resolve_conflict`)."""

    def body(task: Task) -> MoveReport:
        from ossbrowse.ops.journal import MoveJournal
        from ossbrowse.ops.move_ends import journal_names, plan_ends_move
        from ossbrowse.transfer.locations import parse_location

        ensure_writable(read_only, "move")
        directory = journals_beside(store)
        src_loc, dst_loc = parse_location(src), parse_location(dst)
        if src_loc.is_oss and dst_loc.is_oss:
            moved = _oss_move(task, src_loc, dst_loc, bucket_for, read_only, directory)
            return _finish_move(task, moved)
        journal = MoveJournal.find(*journal_names(src_loc, dst_loc), directory)
        blocked: list[tuple[str, str]] = []
        if journal is None:
            made = plan
            if made is None:
                made = plan_ends_move(
                    src_loc, dst_loc, bucket_for, cancel=task.control, on_found=task.found,
                    if_exists=if_exists, resolve_conflict=resolve_conflict,
                )  # fmt: skip
            journal, blocked = _start_ends_move(task, src_loc, dst_loc, directory, made)
            infos: dict[str, Any] | None = {}
        else:
            infos = None  # a resumed move: what each source was is in the journal
        task.resume_ref = journal.id
        report = _run_ends_move(
            task, journal, src_loc, dst_loc, bucket_for,
            read_only=read_only, store=store, threads=threads, part_size=part_size,
            hooks=hooks, infos=infos,
        )  # fmt: skip
        report.blocked = blocked
        if not src_loc.is_oss and report.complete:
            from ossbrowse.ops.move_ends import remove_emptied_folders

            remove_emptied_folders(src_loc.path)
        return _finish_move(task, report)

    return body


def run_here(
    task: Task, body: Callable[[Task], R], on_event: Callable[[Event], None] | None = None
) -> R:
    """A verb's way: run `body` as `task` on a runner of its own, wait (Ctrl+C stops it, keeping
    what resumes it), and hand back its report, or raise what ended it."""
    from ossbrowse.tasks.runner import TaskRunner

    returned: list[R] = []  # the body's own value, typed (the task keeps it as an `object`)

    def keep(t: Task) -> R:
        returned.append(body(t))
        return returned[-1]

    TaskRunner(on_event).run_to_end(task, keep)
    if task.exception is not None:
        raise task.exception
    (value,) = returned  # the body returned; had it raised, that was raised just above
    return value


def submit_move(
    runner: TaskRunner,
    src: str,
    dst: str,
    *,
    bucket_for: BucketFor,
    read_only: bool = False,
    store: CheckpointStore | None = None,
    threads: int = 4,
    if_exists: ConflictPolicy = ConflictPolicy.OVERWRITE,
    resolve_conflict: Resolver | None = None,
) -> Task:
    """A move of `src` to `dst` as the UI submits it (any direction), on `runner`."""
    task = Task("move", src, dst, unit="object")
    body = move_body(
        src, dst, bucket_for=bucket_for, read_only=read_only, store=store, threads=threads,
        if_exists=if_exists, resolve_conflict=resolve_conflict,
    )  # fmt: skip
    return runner.submit(task, body)


def _oss_move(
    task: Task, src: Any, dst: Any, bucket_for: BucketFor, read_only: bool, directory: Any
) -> Any:
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.rename import plan_move, resume_move, run_move

    src_bucket, dst_bucket = bucket_for(src.bucket), bucket_for(dst.bucket)
    journal = MoveJournal.find(src.bucket, src.path, dst.bucket, dst.path, directory)
    progress = _on_move_progress(task)
    if journal is not None:
        return resume_move(
            journal, src_bucket, dst_bucket, cancel=task.control, on_progress=progress,
            read_only=read_only,
        )  # fmt: skip
    plan = plan_move(
        src_bucket, src.path, dst_bucket, dst.path, cancel=task.control,
        on_progress=lambda p: task.found(p.objects),
    )  # fmt: skip
    return run_move(
        plan, cancel=task.control, on_progress=progress, read_only=read_only, directory=directory
    )


def _start_ends_move(
    task: Task, src: Any, dst: Any, directory: Path | None, plan: EndsPlan
) -> tuple[MoveJournal, list[tuple[str, str]]]:
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.move_ends import journal_names

    for skipped in plan.skipped:
        task.note_skipped(f"skipped {skipped}")
    for kept in plan.taken:
        task.note_skipped(f"skipped {kept}: its name is taken at the destination")
    with task.lock:
        task.files_skipped = len(plan.skipped) + len(plan.taken)
    if not plan.items and not plan.blocked and not plan.taken:
        raise NotFoundError(f"Nothing to move under {safe_text(src.url)}.")
    # Written before any copy: from here on, a kill leaves a move that running it again ends.
    return MoveJournal.create(*journal_names(src, dst), plan.items, directory), plan.blocked


def _run_ends_move(
    task: Task,
    journal: MoveJournal,
    src: Any,
    dst: Any,
    bucket_for: BucketFor,
    *,
    read_only: bool,
    store: CheckpointStore | None,
    threads: int,
    part_size: int | None,
    hooks: MoveHooks | None,
    infos: dict[str, Any] | None,
) -> MoveReport:
    from ossbrowse.ops.move_ends import LocalEnds
    from ossbrowse.ops.rename import resume_move
    from ossbrowse.tasks.progress import ProgressMeter
    from ossbrowse.transfer.context import Context, PartPool

    src_bucket = bucket_for(src.bucket) if src.is_oss else None
    dst_bucket = bucket_for(dst.bucket) if dst.is_oss else None
    pool = PartPool(threads)
    # The mover reports whole files on the task; parts in flight count on a meter of their own.
    ctx = Context(task.control, ProgressMeter(lambda: None), pool, store, part_size=part_size,
                  add_cleanup=task.add_cleanup)  # fmt: skip
    try:
        return resume_move(
            journal, src_bucket, dst_bucket, threads=threads, cancel=task.control,
            on_progress=_on_move_progress(task), read_only=read_only, infos=infos,
            hooks=hooks, ends=LocalEnds(src_bucket, dst_bucket, ctx),
        )  # fmt: skip
    finally:
        pool.shutdown(wait=False)


def delete_body(plan: DeletePlan, *, read_only: bool = False) -> Body:
    """Delete what a delete plan enumerated, in batches."""
    total_bytes = sum(o.size for o in plan.objects)

    def body(task: Task) -> DeleteReport:
        from ossbrowse.ops.delete import run_delete

        task.progress(0, len(plan.objects), 0, total_bytes)
        report = run_delete(
            plan, cancel=task.control, read_only=read_only,
            on_progress=lambda done, total: task.progress(done, total),
        )  # fmt: skip
        _settle(task, [f"Deleted {report.deleted:,} of {report.total:,} objects."], report.failed)
        return report

    return body


def delete_keys_body(bucket: Any, keys: list[str], *, read_only: bool = False) -> Body:
    """Plan (list what is under the prefixes) and delete: for a delete chosen without a dialog."""

    def body(task: Task) -> DeleteReport:
        from ossbrowse.ops.delete import plan_delete

        plan = plan_delete(
            bucket, keys=keys, recursive=True, cancel=task.control,
            on_progress=lambda p: task.found(p.objects),
        )  # fmt: skip
        result: DeleteReport = delete_body(plan, read_only=read_only)(task)
        return result

    return body


def local_delete_body(
    paths: list[str], delete_tree: Callable[[str, Callable[[], bool]], int]
) -> Body:
    """Delete local files and folders (`delete_tree(path, cancelled) -> entries deleted`)."""

    def body(task: Task) -> int:
        count = 0
        for done, path in enumerate(paths):
            task.progress(done, len(paths))
            count += delete_tree(path, lambda: task.control.cancelled)
        task.report(len(paths), len(paths))
        task.note(f"Deleted {count:,} entries.")
        return count

    return body


def restore_body(
    plan: RestorePlan,
    *,
    days: int,
    tier: str | None,
    on_requested: Callable[[Any, str], None] | None = None,
) -> Body:
    """Send the restores; `on_requested(bucket, key)` for each object that is archived (the UI
    watches them until they are readable)."""

    def body(task: Task) -> RestoreReport:
        from ossbrowse.ops.restore import RestoreOutcome, describe_restore_report, run_restore

        task.progress(0, len(plan.objects))
        report = run_restore(
            plan, days=days, tier=tier, cancel=task.control,
            on_progress=lambda done, total: task.progress(done, total),
        )  # fmt: skip
        if on_requested is not None:
            for key, outcome in report.outcomes.items():
                if outcome is not RestoreOutcome.NOT_ARCHIVED:
                    on_requested(plan.bucket, key)
        _settle(task, describe_restore_report(report), report.failed)
        return report

    return body


__all__ = [
    "Body",
    "delete_body",
    "delete_keys_body",
    "journals_beside",
    "local_delete_body",
    "move_body",
    "planned_move_body",
    "restore_body",
    "resumed_move_body",
    "run_here",
    "submit_move",
]
