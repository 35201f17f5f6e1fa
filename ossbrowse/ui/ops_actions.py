"""What the keys do through the operations layer: move, rename, delete, edit and restore.

Owned by the main screen (`screen.ops`), which hands it the keys. Every one of them is a task
of the one model on the session's one runner (`services.tasks`), listed in the transfer panel
beside the copies with progress, pause and cancel: moves in any direction go to the
journaled, verified mover (`ops.rename`, with `ops.move_ends` when a local folder is one end),
OSS deletes to `ops.delete`, restores to `ops.restore` (a watcher polls the restoring objects,
updates their rows, and queues "download when ready" copies when they become readable), edits
to `ops.edit` (the app suspended while the editor runs). The task bodies are the operations'
own (`ops.task_bodies`): the verbs run the same ones.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.notifications import SeverityLevel
from textual.screen import ModalScreen

from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.base import Entry, EntryKind, RestoreState
from ossbrowse.ops import task_bodies
from ossbrowse.tasks import Task
from ossbrowse.text import safe_text
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.ui import expensive
from ossbrowse.ui.dialogs.copy import CopyDialog, CopyRequest
from ossbrowse.ui.fileops import target_path
from ossbrowse.ui.rows import human_size, is_unreadable
from ossbrowse.ui.sides import is_oss_path
from ossbrowse.ui.words import counted
from ossbrowse.ui.write_gate import check_writable, gate_then, writes

if TYPE_CHECKING:
    from ossbrowse.ops.edit import Conflict, EditResult
    from ossbrowse.ops.pricing import Price
    from ossbrowse.ops.restore import RestorePlan
    from ossbrowse.ui.app import OssBrowseApp
    from ossbrowse.ui.main_screen import MainScreen
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.priced_dialogs import Decision
    from ossbrowse.ui.restore_dialog import RestoreChoice

Then = Callable[[list[Entry]], object]  # what runs once the entries are readable


def split_url(path: str) -> tuple[str, str]:
    """(bucket, key) of an oss:// path."""
    from ossbrowse.fs.url import parse_oss_url

    url = parse_oss_url(path)
    return url.bucket or "", url.key


def folder_of(path: str) -> str:
    """The folder a pane shows for an entry at `path` (OSS folders end in /)."""
    if is_oss_path(path):
        head = path.rstrip("/").rpartition("/")[0]
        return head + "/" if head.count("/") >= 2 else "oss://"
    return os.path.dirname(path.rstrip("/")) or "/"


def _worker_cancelled() -> Callable[[], bool] | None:
    """The current Textual worker's "was I cancelled", or None on a thread that is not one."""
    from textual.worker import NoActiveWorker, get_current_worker

    try:
        worker = get_current_worker()
    except NoActiveWorker:
        return None
    return lambda: worker.is_cancelled


def _plans(dialog: ModalScreen[Any]) -> list[Any]:
    """What a priced dialog planned (empty for a plain confirmation)."""
    from ossbrowse.ui.priced_dialogs import PricedDialog

    return list(dialog.plans) if isinstance(dialog, PricedDialog) else []


def _object_entry(bucket: str, obj: Any) -> Entry:
    return Entry(
        name=obj.key.rstrip("/").rpartition("/")[2] or obj.key,
        path=f"oss://{bucket}/{obj.key}",
        kind=EntryKind.FILE,
        size=obj.size,
        mtime=obj.last_modified,
        storage_class=obj.storage_class,
        etag=obj.etag,
        restore=obj.restore,
    )


def _no_oss(name: str) -> Any:
    raise OssBrowseError("No OSS connection is configured for this session.")


class OpsActions:
    """Move, rename, delete, edit and restore for one main screen."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.services = screen.services

    @property
    def gate_owner(self) -> MainScreen:
        return self.screen

    @property
    def app(self) -> OssBrowseApp:
        return self.screen.app

    def notify(
        self, text: str, *, severity: SeverityLevel = "information", timeout: float = 5
    ) -> None:
        self.screen.notify(text, severity=severity, markup=False, timeout=timeout)

    # -- helpers ---------------------------------------------------------------------------

    def _bucket(self, name: str) -> Any:
        return (self.services.bucket_for or _no_oss)(name)

    def _remember(self, task: Task, folders: list[str]) -> Task:
        """Reload `folders` where shown when `task` ends."""
        self.services.jobs.targets[task.id] = list(dict.fromkeys(folders))
        return task

    def _start_task(self, kind: str, src: str, dst: str, body: task_bodies.Body,
                    folders: list[str]) -> Task:  # fmt: skip
        """Run `body` as a task the transfer panel lists; reload `folders` when it ends."""
        task = self.services.tasks.submit(Task(kind, src, dst, unit="object"), body)
        return self._remember(task, folders)

    def _announce(self, verb: str, count: int, decision: Decision | bool) -> None:
        from ossbrowse.ui.priced_dialogs import Decision

        if decision is Decision.BACKGROUND:
            self.notify(f"{verb} {counted(count, 'item')} in the background; t shows the progress.")
        else:
            # Going ahead in the foreground: the panel shows it at once, with the keys, so
            # its p, u and x work and t hides it again (as when t opened it).
            self.screen.transfers.display = True
            self.screen.transfers.table.focus()
            self.notify(f"{verb} {counted(count, 'item')}.")

    def ask(self, dialog: ModalScreen[Any]) -> Any:
        """From a worker, task or engine thread: show `dialog` and wait for its answer (None
        when the app closes or the asking worker is cancelled first)."""
        return self.services.questions.ask(dialog, None, cancelled=_worker_cancelled())

    # -- move and rename -------------------------------------------------------------------

    @writes("move or rename", where=lambda self: self.screen.active.path)
    def move(self) -> None:
        entries = self.screen._selection()
        if not entries:
            return
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("Buckets cannot be moved.", severity="warning")
            return
        source = self.screen.active

        def chosen(request: CopyRequest | None) -> None:
            if request is None:
                return
            destination = request.destination
            if len(entries) == 1 and "/" not in destination and not is_oss_path(destination):
                self.rename(source, entries[0], destination)  # a bare name
                return
            # The destination was editable: the gate is asked again for the one chosen.
            gate_then(self.app, "move", destination, lambda: confirm(destination, request))

        def confirm(destination: str, request: CopyRequest) -> None:
            self._confirm_move(source, entries, destination, request)

        self.app.push_screen(CopyDialog(entries, self.screen.other.path, verb="Move"), chosen)

    def _confirm_move(self, source: Pane, entries: list[Entry], destination: str,
                      request: CopyRequest) -> None:  # fmt: skip
        dialog = expensive.move_dialog(entries, destination, self.services.sides.for_path)

        def confirmed(decision: Any) -> None:
            if not decision:
                return
            source.file_list.model.clear_marks()
            source.file_list.rows_changed()
            if plans := _plans(dialog):  # OSS to OSS: planned and priced already
                self._run_moves(plans, decision, [source.path, destination])
            else:  # a local end: the same journaled, verified mover, planned in its task
                self.submit_moves(entries, destination, [source.path, destination],
                                  request.policy)  # fmt: skip

        self.app.push_screen(dialog, confirmed)

    def rename(self, pane: Pane, entry: Entry, new_name: str) -> None:
        """Rename in the pane's folder: one file-system rename locally, the priced journaled
        mover on OSS (one object, or every object under a prefix)."""
        target = pane.fs.join(pane.path, new_name)
        # The cursor follows the entry to its new name (a folder's row path ends in "/"); the
        # move itself gets no slash: the move dialog reads one as "into this folder".
        folder_row = entry.is_dir and is_oss_path(target)
        pane.select_on_reload(target + "/" if folder_row else target)
        if not is_oss_path(entry.path):
            # Local, in the same folder: one rename of the file system (a copy into the
            # folder itself would have been a copy onto the same file).
            def confirmed_local(ok: Any) -> None:
                if ok:
                    work = partial(self._local_rename, pane, entry, target)
                    self.screen.run_worker(work, thread=True, exit_on_error=False, group="rename")

            self.app.push_screen(expensive.move_dialog([entry], target), confirmed_local)
            return
        dialog = expensive.move_dialog([entry], target, self.services.sides.for_path)

        def confirmed(decision: Any) -> None:
            if decision and (plans := _plans(dialog)):
                self._run_moves(plans, decision, [pane.path])

        self.app.push_screen(dialog, confirmed)

    def _local_rename(self, pane: Pane, entry: Entry, target: str) -> None:
        """In a thread worker of the screen (its errors are shown by the screen)."""
        from ossbrowse.errors import AlreadyExists, from_os_error

        check_writable(self.screen, "rename", target)
        if os.path.lexists(target):
            raise AlreadyExists(
                f"{safe_text(target)} already exists: nothing was renamed.",
                hint="Choose another name, or delete that one first.",
            )
        try:
            os.rename(entry.path, target)
        except OSError as exc:
            raise from_os_error(exc, entry.path, doing="rename") from exc
        finally:
            self.app.call_from_thread(self._reload_showing, pane)

    def _reload_showing(self, pane: Pane) -> None:
        """Reload `pane` and the other pane when it shows the same folder (it kept the old
        name otherwise)."""
        for each in (self.screen.left, self.screen.right):
            if each is pane or each.path == pane.path:
                each.reload()

    def _run_moves(self, plans: list[Any], decision: Any, folders: list[str]) -> None:
        services = self.services
        store = services.engine.store if services.engine is not None else None
        directory = task_bodies.journals_beside(store)  # the session's state folder
        for plan in plans:
            src = f"oss://{plan.src_bucket.bucket_name}/{plan.src}"
            dst = f"oss://{plan.dst_bucket.bucket_name}/{plan.dst}"
            body = task_bodies.planned_move_body(
                plan, read_only=services.read_only, directory=directory
            )
            self._start_task("move", src, dst, body, folders)
        self._announce("Moving", len(plans), decision)

    def submit_moves(self, entries: list[Entry], destination: str, folders: list[str],
                     policy: ConflictPolicy = ConflictPolicy.ASK) -> None:  # fmt: skip
        """Move each entry into `destination`, whichever sides they are on: a journaled,
        verified move each (`ops.task_bodies.submit_move`), as `ossbrowse mv` runs it; the
        same move submitted again after a kill finds its journal and finishes it. A name
        taken at the destination is dealt with as `policy` says (ASK: the clash dialog)."""
        services = self.services
        try:
            dest_fs = services.sides.for_path(destination)
        except OssBrowseError as exc:
            services.show_error(exc)
            return
        store = services.engine.store if services.engine is not None else None
        clashes = self.screen.features.clash_resolver()  # one question for all, "all" kept
        for entry in entries:
            try:
                target = target_path(dest_fs, destination, entry)
            except OssBrowseError as exc:  # a name that would land outside the folder
                services.show_error(exc)
                continue
            task = task_bodies.submit_move(
                services.tasks, entry.path, target,
                bucket_for=services.bucket_for or _no_oss, read_only=services.read_only,
                store=store, if_exists=policy, resolve_conflict=clashes,
            )  # fmt: skip
            clashes.job_ids.append(task.id)
            self._remember(task, [*folders, folder_of(entry.path)])
        self._announce("Moving", len(entries), True)

    # -- delete ----------------------------------------------------------------------------

    @writes("delete", where=lambda self: self.screen.active.path)
    def delete(self) -> None:
        entries = self.screen._selection()
        if not entries:
            return
        if any(e.kind is EntryKind.BUCKET for e in entries):
            self.notify("ossbrowse does not delete buckets.", severity="warning")
            return
        pane = self.screen.active
        dialog = expensive.delete_dialog(entries, self.services.sides.for_path)

        def confirmed(decision: Any) -> None:
            if not decision:
                return
            pane.file_list.model.clear_marks()
            if plans := _plans(dialog):
                read_only = self.services.read_only
                for plan in plans:
                    self._start_task("delete", entries[0].path if len(entries) == 1 else
                                     f"{len(entries)} entries in {pane.path}", "",
                                     task_bodies.delete_body(plan, read_only=read_only),
                                     [pane.path])  # fmt: skip
                self._announce("Deleting", len(entries), decision)
            else:
                self.screen._delete_entries(entries, reload_pane=pane)

        self.app.push_screen(dialog, confirmed)

    # -- edit ------------------------------------------------------------------------------

    @writes("edit", where=lambda self: self.screen.active.path)
    def edit(self) -> None:
        entry = self.screen.current_entry()
        pane = self.screen.active
        if entry is None or entry.is_dir:
            self.notify("Edit works on a file or object.", severity="warning")
            return
        if not is_oss_path(entry.path):
            from ossbrowse.ops.edit import editor_command

            try:
                self.run_editor([*editor_command(), entry.path])
            except OssBrowseError as exc:
                self.services.show_error(exc)
            pane.reload()
            return
        if is_unreadable(entry):
            self.restore_then(pane, [entry], then=lambda ready: self._confirm_edit(pane, entry))
            return
        self._confirm_edit(pane, entry)

    def _confirm_edit(self, pane: Pane, entry: Entry) -> None:
        def confirmed(ok: Any) -> None:
            if ok:
                self._start_edit(pane, entry)

        self.app.push_screen(expensive.edit_dialog(entry), confirmed)

    def run_editor(self, command: list[str]) -> None:
        """On the UI thread: the terminal goes to the editor until it exits."""
        from textual.app import SuspendNotSupported

        from ossbrowse.ops.edit import open_in_editor

        try:
            with self.app.suspend():
                open_in_editor(command)
        except SuspendNotSupported:
            # No terminal to hand over (tests, a headless driver): the editor runs as it is.
            open_in_editor(command)

    def _start_edit(self, pane: Pane, entry: Entry) -> None:
        """The download, the editor and the upload as one task (listed, cancellable)."""
        self._start_task("edit", entry.path, "", lambda task: self._edit(task, pane, entry),
                         [])  # fmt: skip

    def _edit(self, task: Task, pane: Pane, entry: Entry) -> EditResult:
        """On the task's thread: questions go through the app's awaited dialogs."""
        from ossbrowse.ops.edit import Conflict, edit_object, editor_command

        bucket_name, key = split_url(entry.path)
        bucket = self._bucket(bucket_name)
        task.report(0, 1)

        def confirm_upload(price: Price) -> bool:
            size = human_size(price.upload_bytes)
            lines = [f"{safe_text(entry.path)}: {size} will be uploaded whole."]
            from ossbrowse.ui.priced_dialogs import PricedDialog

            return bool(self.ask(PricedDialog("Upload the edit?", lines, price=price,
                                              yes="Upload")))  # fmt: skip

        def on_conflict(before: Any, now: Any) -> Conflict:
            from ossbrowse.ui.dialogs.edit_conflict import EditConflictDialog

            return Conflict(self.ask(EditConflictDialog(key, gone=now is None)) or "cancel")

        result = edit_object(
            bucket,
            key,
            editor=editor_command(),
            run_editor=lambda command: self.app.call_from_thread(self.run_editor, command),
            confirm_upload=confirm_upload,
            on_conflict=on_conflict,
            read_only=self.services.read_only,
        )
        task.report(1, 1)
        self.app.call_from_thread(self._after_edit, pane, result)
        return result

    def _after_edit(self, pane: Pane, result: EditResult) -> None:
        outcome = result.outcome.value
        if result.local_path is not None:
            self.notify(f"Not uploaded; your edit is kept in {safe_text(str(result.local_path))}.",
                        severity="warning", timeout=15)  # fmt: skip
        elif outcome == "kept both":
            self.notify(f"Kept both: your edit is {safe_text(result.key)}.")
        elif outcome == "unchanged":
            self.notify("No change: nothing uploaded.")
        else:
            self.notify(f"Edit {outcome} ({human_size(result.size)}).")
        pane.reload()

    # -- restore ---------------------------------------------------------------------------

    def restore(self) -> None:
        pane = self.screen.active
        entries = [
            e
            for e in pane.file_list.selection()
            if is_oss_path(e.path) and (e.is_archived or e.kind is EntryKind.FOLDER)
        ]
        if not entries:
            self.notify(
                "Nothing archived here: restore is for Archive and Cold Archive objects "
                "(or a folder holding some).",
                severity="warning",
            )
            return
        pane.file_list.model.clear_marks()
        pane.file_list.rows_changed()
        self.restore_then(pane, entries)

    def restore_then(self, pane: Pane, entries: list[Entry], *, download_to: str | None = None,
                     then: Then | None = None) -> None:  # fmt: skip
        """HEAD (or list) the entries, then: `then(ready)` if all are readable; else the
        restore dialog for those that are not ("download when ready" set with `download_to`)."""
        if self.services.bucket_for is None:
            self.services.show_error(OssBrowseError("No OSS connection to restore with."))
            return
        work = partial(self._restore_lookup, pane, entries, download_to, then)
        self.screen.run_worker(work, thread=True, exit_on_error=False, group="restore")

    def _restore_lookup(self, pane: Pane, entries: list[Entry], download_to: str | None,
                        then: Then | None) -> None:  # fmt: skip
        """In a thread worker of the screen: what is archived, what is readable already."""
        from ossbrowse.ops.restore import RestorePlan, plan_restore

        by_bucket: dict[str, list[Entry]] = {}
        for entry in entries:
            by_bucket.setdefault(split_url(entry.path)[0], []).append(entry)
        plans: list[RestorePlan] = []
        waiting: list[Entry] = []
        ready: list[Entry] = []
        for name, group in by_bucket.items():
            bucket = self._bucket(name)
            objects: list[Any] = []
            readable = 0
            keys = [split_url(e.path)[1] for e in group if not e.is_dir]
            for key in [split_url(e.path)[1] for e in group if e.is_dir]:
                found = plan_restore(bucket, prefix=key)
                objects += found.objects
                readable += found.readable
            if keys:
                found = plan_restore(bucket, keys=keys)
                objects += found.objects
                readable += found.readable
            need = [o for o in objects if not o.restore.readable]
            ready += [_object_entry(name, o) for o in objects if o.restore.readable]
            waiting += [_object_entry(name, o) for o in need]
            if need:
                from ossbrowse.ops.pricing import price_restore

                plans.append(RestorePlan(bucket, need, readable, price_restore(need)))
        self.app.call_from_thread(self._restore_looked_up, pane, plans, waiting, ready,
                                  download_to, then)  # fmt: skip

    def _restore_looked_up(self, pane: Pane, plans: list[RestorePlan], waiting: list[Entry],
                           ready: list[Entry], download_to: str | None,
                           then: Then | None) -> None:  # fmt: skip
        for entry in waiting + ready:
            self.restore_state_changed(entry.path, entry.restore)
        if not waiting:
            if then is not None:
                then(ready)
            else:
                self.notify("Everything here is readable already: nothing to restore.")
            return
        from ossbrowse.ui.restore_dialog import RestoreDialog

        read_only = self.services.read_only
        destination = None if read_only else (download_to or self.screen.other.path)
        dialog = RestoreDialog(
            waiting,
            offer_download=destination is not None,
            download_to=destination,
            download=download_to is not None,
        )

        def chosen(choice: RestoreChoice | None) -> None:
            if choice is not None:
                self._start_restores(plans, choice, destination)
            if then is not None and ready:
                then(ready)

        self.app.push_screen(dialog, chosen)

    def _start_restores(self, plans: list[RestorePlan], choice: RestoreChoice,
                        destination: str | None) -> None:  # fmt: skip
        watcher = self.services.restore_watcher()
        download = choice.download_when_ready and destination is not None
        chosen_paths = {e.path for e in choice.entries}
        for plan in plans:
            bucket: Any = plan.bucket
            name = bucket.bucket_name
            plan.objects = [o for o in plan.objects if f"oss://{name}/{o.key}" in chosen_paths]
            if not plan.objects:
                continue
            on_ready = self._download_when_ready(destination) if destination and download else None

            def requested(bucket: Any, key: str, on_ready: Any = on_ready) -> None:
                watcher.watch(bucket, key, on_ready=on_ready)

            body = task_bodies.restore_body(plan, days=choice.days, tier=choice.tier,
                                            on_requested=requested)  # fmt: skip
            src = f"oss://{name}/" + (plan.objects[0].key if len(plan.objects) == 1 else "")
            label = src if len(plan.objects) == 1 else f"{len(plan.objects)} objects in {src}"
            self._start_task("restore", label, destination or "" if download else "", body, [])
        what = " (each downloads when ready)" if download else ""
        restoring = counted(len(chosen_paths), "object")
        self.notify(f"Restoring {restoring}{what}; rows update as they change.")

    def _download_when_ready(self, destination: str) -> Callable[[Any, str, RestoreState], None]:
        def ready(bucket: Any, key: str, state: RestoreState) -> None:
            # The watcher's thread: hand over to the UI thread, which queues the transfer.
            entry = Entry(key.rpartition("/")[2], f"oss://{bucket.bucket_name}/{key}",
                          EntryKind.FILE)  # fmt: skip
            request = CopyRequest([entry], destination, ConflictPolicy.KEEP_BOTH)
            self.app.call_from_thread(self.screen.submit_copies, request)

        return ready

    def restore_state_changed(self, path: str, state: RestoreState) -> None:
        """A row's restore state changed (watcher, or a fresh HEAD): redraw it where shown."""
        for pane in (self.screen.left, self.screen.right):
            model = pane.file_list.model
            index = model.index_of(path)
            if index is None:
                continue
            entry = model.view[index]
            if entry.restore != state:
                model.replace(entry.replace(restore=state))
                pane.file_list.refresh()
