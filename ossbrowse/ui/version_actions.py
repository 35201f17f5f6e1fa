"""What a person can do with a version in the versions view: view it, copy it out (a version
is a read-only source), inspect it, restore it over the current version, undelete its key,
delete it permanently (priced, warned, typed confirmation), restore it from the archive; and
for the folder: undelete everything deleted after a time (priced first, run as a task).

Network work runs in thread workers of the screen, or as tasks of the one task runner (shown
in the transfer panel); the operations themselves are `ops.versions` and `ops.version_plans`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ossbrowse.fs.records import ObjectRecord
from ossbrowse.text import human_size, safe_text
from ossbrowse.ui.versions_view import state_text

if TYPE_CHECKING:
    from ossbrowse.tasks import Task
    from ossbrowse.ui.versions_view import VersionsScreen

# A version is viewed from a local copy: above this, copy it out (c) and open it there.
VIEW_LIMIT = 256 * 1024 * 1024


class InfoDialog(ModalScreen[None]):
    """Lines of plain text and a Close button (Escape, Enter or q)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,q", "close", "Close", id="info.close"),
    ]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            with VerticalScroll():
                yield Static(Text("\n".join(self.lines)), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def since_words(after: float, said: str) -> str:
    """When "deleted after" starts, in words: the time itself, and the age typed with it
    ("after 1d" alone reads as a date nobody wrote)."""
    when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(after))
    typed = said.strip()
    if typed and typed[0].isdigit() and not typed[:4].isdigit():  # an age: 2h, 3d, 90m
        return f"since {when} (the last {safe_text(typed)})"
    return f"since {when}"


def describe_version(record: ObjectRecord, path: str) -> list[str]:
    """`field: value` lines for one version, names escaped."""
    from ossbrowse.ui.rows import format_time

    lines = [
        f"path: {safe_text(path)}",
        f"version id: {safe_text(record.version_id)}",
        f"state: {state_text(record)}",
        f"modified: {format_time(record.last_modified)}",
    ]
    if record.delete_marker:
        lines.append("a delete marker: no content; undelete (u) removes it")
        return lines
    lines += [
        f"size: {record.size:,} ({human_size(record.size)})",
        f"storage class: {safe_text(record.storage_class)}",
        f"etag: {safe_text(record.etag)}",
    ]
    if record.object_type:
        lines.append(f"object type: {safe_text(record.object_type)}")
    if record.crc64 is not None:
        lines.append(f"crc64: {record.crc64}")
    if record.archived:
        lines.append(f"restore: {record.restore.status.value}")
    return lines


class VersionActions:
    """The version actions of one `VersionsScreen` (the row under its cursor)."""

    def __init__(self, screen: VersionsScreen) -> None:
        self.screen = screen
        self.services = screen.services

    # -- helpers -----------------------------------------------------------------------------

    def _version(self, *, content: bool = False) -> ObjectRecord | None:
        record = self.screen.current_version()
        if record is None:
            self.screen.notify("Put the cursor on a version first.", severity="warning")
            return None
        if content and record.delete_marker:
            self.screen.notify(
                "A delete marker has no content: undelete (u) removes it.", severity="warning"
            )
            return None
        return record

    def _path(self, record: ObjectRecord) -> str:
        return f"oss://{self.screen.bucket_name}/{record.key}"

    def _refused_read_only(self, what: str) -> bool:
        if self.services.read_only:
            self.screen.notify(
                f"Refused to {what}: ossbrowse is running read-only. Nothing was changed.",
                severity="warning",
            )
            return True
        return False

    def _in_thread(self, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """`work()` in a thread worker of the screen; `then(result)` back on the UI thread."""
        screen = self.screen

        def run() -> None:
            result = work()
            screen.app.call_from_thread(then, result)

        screen.run_worker(run, thread=True, exit_on_error=False, group="version-action")

    def current_of(self, record: ObjectRecord) -> ObjectRecord | None:
        """The listed current version of `record`'s key (None: deleted, or not listed)."""
        for row in self.screen.list.versions:
            if row.first and row.record is not None and row.record.key == record.key:
                return None if row.record.delete_marker else row.record
        return None

    def _start_task(self, kind: str, src: str, dst: str, body: Callable[[Task], object]) -> None:
        from ossbrowse.tasks import Task

        task = self.services.tasks.submit(Task(kind, src, dst, unit="object"), body)
        self.screen.notify(f"{kind.capitalize()} started: the transfer panel (t) shows it.")
        self.services.jobs.targets[task.id] = [self.screen.path]

    # -- view, copy, inspect -----------------------------------------------------------------

    def view(self) -> None:
        record = self._version(content=True)
        if record is None:
            return
        if record.archived and not record.restore.readable:
            self.screen.notify(
                "This version is archived: restore it (r) before viewing it.", severity="warning"
            )
            return
        if record.size > VIEW_LIMIT:
            self.screen.notify(
                f"This version is {human_size(record.size)}: copy it out (c) to read it.",
                severity="warning",
            )
            return
        from ossbrowse.ops.version_copy import fetch_version

        bucket = self.screen.bucket()
        folder = tempfile.mkdtemp(prefix="ossbrowse-version-")

        def fetch() -> str:
            try:
                return fetch_version(bucket, record.key, record.version_id, folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise

        shown_as = f"{self._path(record)} (version {record.version_id})"
        self._in_thread(fetch, lambda path: self._show_local(path, folder, shown_as))

    def _show_local(self, path: str, folder: str, shown_as: str | None = None) -> None:
        """The viewer on the downloaded copy, named as the version it is; the copy goes
        when the viewer closes."""
        from ossbrowse.ui.viewer import Viewer

        local = self.services.sides.local
        viewer = Viewer(local, local.stat(path), shown_as=shown_as)
        self.screen.app.push_screen(viewer, lambda _: shutil.rmtree(folder, ignore_errors=True))

    def copy(self) -> None:
        """Copy the version to the other pane's folder: a job of the transfer engine (pinned
        to the version, resumable, CRC64 checked), shown in the transfer panel."""
        record = self._version(content=True)
        if record is None or self._refused_read_only("copy a version"):
            return
        from ossbrowse.ui.sides import is_oss_path

        other = self.screen.other
        if other == "oss://":
            self.screen.notify("Open a folder in the other pane to copy into.", severity="warning")
            return
        engine = self.services.engine
        if engine is None:
            self.screen.notify("The transfer engine is not available in this session.",
                               severity="error")  # fmt: skip
            return
        into = other if is_oss_path(other) else other.rstrip(os.sep) + os.sep
        if is_oss_path(into) and not into.endswith("/"):
            into += "/"
        from ossbrowse.errors import OssBrowseError

        try:
            task = engine.submit(self._path(record), into, version_id=record.version_id)
        except OssBrowseError as exc:
            self.services.show_error(exc)
            return
        self.services.jobs.targets[task.id] = [other]
        self.screen.notify("Copying the version: the transfer panel (t) shows it.")

    def inspect(self) -> None:
        record = self._version()
        if record is None:
            return
        path = self._path(record)
        if record.delete_marker:
            self.screen.app.push_screen(InfoDialog("Delete marker", describe_version(record, path)))
            return
        from ossbrowse.ops.versions import version_head

        bucket = self.screen.bucket()
        listed = record

        def head() -> ObjectRecord:
            found = version_head(bucket, record.key, record.version_id)
            # HEAD does not say whether the version is the latest; the listing did.
            from dataclasses import replace

            return replace(found, is_latest=listed.is_latest, version_id=listed.version_id)

        def show(found: ObjectRecord) -> None:
            self.screen.app.push_screen(InfoDialog("Version", describe_version(found, path)))

        self._in_thread(head, show)

    # -- changes -----------------------------------------------------------------------------

    def restore_version(self) -> None:
        """Copy the version over the current one (ossutil's revert)."""
        record = self._version(content=True)
        if record is None or self._refused_read_only("restore a version"):
            return
        if record.is_latest:
            self.screen.notify("This is already the current version.", severity="warning")
            return
        from ossbrowse.ops.version_pricing import price_revert
        from ossbrowse.ops.versions import restore_version, why_not_restorable
        from ossbrowse.ui.priced_dialogs import PricedDialog

        reason = why_not_restorable(record)
        if reason:
            self.screen.notify(f"This version cannot be restored: {reason}.", severity="warning")
            return
        versioning = self.screen.versioning or "Enabled"
        price = price_revert([(record, self.current_of(record))], [], versioning=versioning)
        bucket = self.screen.bucket()

        def answered(go: object) -> None:
            if go:
                self._in_thread(lambda: restore_version(bucket, record), self._changed)

        title = f"Make version {safe_text(record.version_id)} current?"
        lines = [f"{safe_text(self._path(record))}: a copy of this version becomes the current "
                 "one; the current version stays as an older version."]  # fmt: skip
        self.screen.app.push_screen(PricedDialog(title, lines, price=price, yes="Restore"),
                                    answered)  # fmt: skip

    def undelete(self) -> None:
        """Remove the delete markers on top of the key (its newest version comes back)."""
        record = self._version()
        if record is None or self._refused_read_only("undelete an object"):
            return
        rows = [r for r in self.screen.list.versions if r.record and r.record.key == record.key]
        history = [r.record for r in rows if r.record is not None]
        from ossbrowse.ops.version_pricing import price_undelete
        from ossbrowse.ops.versions import markers_on_top, undelete
        from ossbrowse.ui.priced_dialogs import PricedDialog

        markers, comes_back = markers_on_top(history)
        if not markers:
            self.screen.notify("This object is not deleted.", severity="warning")
            return
        if comes_back is None:
            self.screen.notify("Only delete markers are left: nothing to bring back.",
                               severity="warning")  # fmt: skip
            return
        price = price_undelete([comes_back], len(markers))
        bucket, key = self.screen.bucket(), record.key

        def answered(go: object) -> None:
            if go:
                self._in_thread(lambda: undelete(bucket, key), self._changed)

        lines = [f"{safe_text(self._path(record))} comes back as version "
                 f"{safe_text(comes_back.version_id)}."]  # fmt: skip
        self.screen.app.push_screen(PricedDialog("Undelete?", lines, price=price,
                                                 yes="Undelete"), answered)  # fmt: skip

    def delete_forever(self) -> None:
        """Delete this version for good: priced, warned, confirmed by typing."""
        record = self._version()
        if record is None or self._refused_read_only("delete a version"):
            return
        from ossbrowse.ops.pricing import describe_price
        from ossbrowse.ops.version_pricing import price_delete_versions
        from ossbrowse.ops.versions import delete_version
        from ossbrowse.ui.dialogs.typed_confirm import TypedConfirmDialog

        price = price_delete_versions([record], versioning=self.screen.versioning or "Enabled")
        name = record.key.rsplit("/", 1)[-1]
        what = "delete marker" if record.delete_marker else "version"
        lines = [
            f"{safe_text(self._path(record))}, {what} {safe_text(record.version_id)} "
            f"({state_text(record)}).",
            "This cannot be undone: no undelete or revert brings a deleted version back.",
            *describe_price(price),
        ]
        if record.is_latest and not record.delete_marker:
            lines.insert(1, "It is the current version: the object will read as the version "
                         "under it (or be gone if there is none).")  # fmt: skip
        bucket = self.screen.bucket()

        def answered(go: bool | None) -> None:
            if go:
                self._in_thread(lambda: delete_version(bucket, record), self._changed)
            else:
                self.screen.notify("Nothing was deleted.")

        self.screen.app.push_screen(
            TypedConfirmDialog(f"Delete this {what} permanently?", lines, [name, "delete"],
                               yes="Delete permanently"), answered)  # fmt: skip

    def archive_restore(self) -> None:
        """RestoreObject on an archived version (its own days and tier)."""
        record = self._version(content=True)
        if record is None or self._refused_read_only("restore from the archive"):
            return
        if not record.archived:
            self.screen.notify("This version is not archived: it can be read as it is.")
            return
        from ossbrowse.fs.base import Entry
        from ossbrowse.fs.gateway import objects
        from ossbrowse.fs.retrying import DEFAULT_RETRY
        from ossbrowse.ui.restore_dialog import RestoreChoice, RestoreDialog

        entry = Entry.from_record(record, record.key.rsplit("/", 1)[-1], self._path(record))
        bucket = self.screen.bucket()

        def answered(choice: RestoreChoice | None) -> None:
            if choice is None:
                return

            def send() -> int:
                return DEFAULT_RETRY.call(
                    lambda: objects.restore_object(bucket, record.key, choice.days, choice.tier,
                                                   version_id=record.version_id))  # fmt: skip

            def started(status: int) -> None:
                again = "extended" if status == 200 else "started"
                self.screen.notify(f"Restore of version {safe_text(record.version_id)} {again}.")
                self.screen.reload()

            self._in_thread(send, started)

        self.screen.app.push_screen(RestoreDialog([entry], offer_download=False), answered)

    def undelete_after(self) -> None:
        """Everything under this folder deleted after a time: priced first, run as a task."""
        if self._refused_read_only("undelete objects"):
            return
        from ossbrowse.ui.dialogs.prompt import PromptDialog

        def chosen(text: str | None) -> None:
            if not text:
                return
            from ossbrowse.errors import OssBrowseError
            from ossbrowse.ops.filters import parse_time

            try:
                after = parse_time(text.strip(), time.time())
            except OssBrowseError as exc:
                self.services.show_error(exc)
                return
            self._price_undelete_after(after, text.strip())

        self.screen.app.push_screen(
            PromptDialog(
                "Undelete everything deleted after...",
                "A time (2026-01-31, 2026-01-31T12:00:00Z; UTC without a zone) or an age "
                "(2h, 3d): every object under this folder deleted since then comes back.",
                value="1d",
            ),
            chosen,
        )

    def _price_undelete_after(self, after: float, said: str) -> None:
        from ossbrowse.ops.listing import Progress
        from ossbrowse.ops.pricing import Price
        from ossbrowse.ops.version_plans import UndeletePlan, plan_undelete
        from ossbrowse.tasks import Control
        from ossbrowse.ui.priced_dialogs import PricedDialog

        bucket, prefix, path = self.screen.bucket(), self.screen.prefix, self.screen.path
        plans: list[UndeletePlan] = []

        def planner(progress: Callable[[Progress], None], token: Control) -> Price:
            plan = plan_undelete(
                bucket,
                prefix,
                after=after,
                cancel=token,
                on_scan=lambda n: progress(Progress(n, 0, 0)),
            )
            plans.append(plan)
            return plan.price

        def answered(go: object) -> None:
            if not go or not plans:
                return
            self._run_undelete(plans[0], path)

        lines = [f"Every object under {safe_text(path)} deleted {since_words(after, said)} "
                 "comes back: its delete markers are removed."]  # fmt: skip
        self.screen.app.push_screen(
            PricedDialog("Undelete everything deleted after a time?", lines, planner=planner,
                         yes="Undelete"), answered)  # fmt: skip

    def _run_undelete(self, plan: Any, path: str) -> None:
        from ossbrowse.ops.version_plans import run_undelete

        screen = self.screen

        def body(task: Task) -> None:
            report = run_undelete(plan, cancel=task.control,
                                  on_progress=lambda d, t: task.progress(d, t))  # fmt: skip
            if screen.is_attached:
                screen.app.call_from_thread(screen.reload)
            task.note(f"Undeleted {report.done:,} of {report.total:,} objects.")
            for name, why in report.failed:
                task.fail_item(name, "", why)
            if report.cancelled:
                task.control.cancel()  # the runner ends it CANCELLED

        self._start_task("undelete", path, "", body)

    def _changed(self, _result: object) -> None:
        self.screen.notify("Done.")
        self.screen.reload()
