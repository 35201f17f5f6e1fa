"""Sync one pane's folder into the other from the two-pane compare: priced first, run as a task.

The plan and the price are the `ossbrowse sync` verb's (`ops.sync_plan`, `ops.sync_price`),
worked out in the priced dialog's worker; going ahead runs `ops.sync.run_sync` as a task the
transfer panel lists, its copies on the session's transfer engine.

The destination's extras (what it holds and the source does not) are kept unless the person
ticks "Also delete" in the dialog (`d`): off by default, priced as the verb's `--delete`
(deletes, early-deletion charges, versions kept), carried out by the same `run_sync` (only
inside the destination) and not offered when the source holds nothing (it would empty the
destination).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Button, Checkbox, Static

from ossbrowse.ops.listing import Progress
from ossbrowse.ops.pricing import Price
from ossbrowse.tasks import Control
from ossbrowse.text import safe_text
from ossbrowse.ui.priced_dialogs import Decision, PricedDialog
from ossbrowse.ui.services import Services
from ossbrowse.ui.words import counted
from ossbrowse.ui.write_gate import gate_then

if TYPE_CHECKING:
    from ossbrowse.ops.sync_plan import SyncPlan
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.write_gate import GateOwner


class SyncPlanner:
    """The priced dialog's planner: compare, plan and price; keeps the plan, and the price
    with the extras deleted too (`with_deletes`, None when there are none to offer)."""

    def __init__(self, services: Services, src: str, dst: str) -> None:
        self.services, self.src, self.dst = services, src, dst
        self.plan: SyncPlan | None = None
        self.with_deletes: Price | None = None

    def __call__(self, progress: Callable[[Progress], None], token: Control) -> Price:
        from ossbrowse.ops.sync_plan import plan_sync
        from ossbrowse.ops.sync_price import destination_versioning, price_sync
        from ossbrowse.ui.dir_compare import tree_for

        found = [0]

        def seen(_: object) -> None:
            found[0] += 1
            progress(Progress(found[0], 0, 0))

        src, dst = tree_for(self.services, self.src), tree_for(self.services, self.dst)
        self.plan = plan = plan_sync(src, dst, cancel=token, on_item=seen)
        deleting = dataclasses.replace(plan, delete=True)
        versioning = destination_versioning(deleting)  # one answer for both prices
        if plan.extras and plan.stats.source_items:
            self.with_deletes = price_sync(deleting, versioning=versioning)
        return price_sync(plan, versioning=versioning)


class SyncDialog(PricedDialog):
    """The priced sync, with the default-off choice of deleting the destination's extras."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "toggle_delete", "Also delete extras", id="sync.delete_extras"),
    ]

    def __init__(self, lines: list[str], planner: SyncPlanner) -> None:
        super().__init__("Sync", lines, planner=planner)
        self.sync_planner = planner
        self.kept_price: Price | None = None
        self.offered = False
        self.delete_extras = False  # the person's choice, read after the dialog is gone

    def show_price(self, price: Price) -> None:
        if self.kept_price is None:
            self.kept_price = price
            self._offer()
        super().show_price(price)
        if price.deletes and not price.blocked:
            self.query_one("#proceed", Button).disabled = False  # deleting is doing something

    def _offer(self) -> None:
        plan = self.sync_planner.plan
        if plan is None or not plan.extras:
            return
        self.offered = True
        buttons = self.query_one(".dialog-buttons")
        box = self.query_one(".dialog-box")
        extras, where = counted(len(plan.extras), "extra"), safe_text(plan.dst.url)
        if self.sync_planner.with_deletes is None:
            note = (
                f"{safe_text(plan.src.url)} holds nothing: deleting the {extras} at {where} "
                "is refused (it would empty it). They are kept."
            )
            box.mount(Static(Text(note), id="sync-delete-refused"), before=buttons)
            return
        label = f"Also delete the {extras} at {where}, not in the source (d)"
        box.mount(Checkbox(Text(label), False, id="sync-delete-extras"), before=buttons)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.delete_extras = event.value
        chosen = self.sync_planner.with_deletes if event.value else self.kept_price
        if chosen is not None:
            self.show_price(chosen)

    def action_toggle_delete(self) -> None:
        for box in self.query(Checkbox):
            box.toggle()


def start_sync(owner: GateOwner, services: Services, src: str, dst: str, reload: Pane) -> None:
    """Price the sync of `src` into `dst` in a dialog; run it as a task if confirmed."""
    gate_then(owner, "sync", dst, lambda: _ask(owner, services, src, dst, reload))


def _ask(owner: Any, services: Services, src: str, dst: str, reload: Pane) -> None:
    planner = SyncPlanner(services, src, dst)
    lines = [
        f"Copy what is missing or different from {safe_text(src)}",
        f"into {safe_text(dst)}. Extras there (not in the source) are kept unless you tick "
        "Also delete below.",
    ]
    dialog = SyncDialog(lines, planner)

    def chosen(decision: Decision | None) -> None:
        if decision and planner.plan is not None:
            plan = planner.plan
            if dialog.delete_extras and planner.with_deletes is not None:
                plan = dataclasses.replace(plan, delete=True)
            _run(owner, services, plan, reload)

    owner.app.push_screen(dialog, chosen)


def _run(owner: Any, services: Services, plan: SyncPlan, reload: Pane) -> None:
    from ossbrowse.errors import OssBrowseError
    from ossbrowse.ops.sync import SyncReport, describe_report, run_sync
    from ossbrowse.tasks import Task

    engine = services.engine
    if engine is None:
        services.show_error(OssBrowseError("This session has no transfer engine to copy with."))
        return

    def body(task: Task) -> SyncReport:
        # The task itself is run_sync's progress and control: a cancel reaches the copy job
        # (run_sync cancels it when it sees the task cancelled), the report is throttled there.
        report = run_sync(plan, engine=engine, task=task, read_only=services.read_only)
        for line in describe_report(report):
            task.note(line)
        for name, why in report.failed:
            task.fail_item(name, "", why)
        if report.cancelled:
            task.control.cancel()  # the copy job was cancelled: the sync ends CANCELLED
        return report

    task = services.tasks.submit(Task("sync", plan.src.url, plan.dst.url, unit="object"), body)
    services.jobs.targets[task.id] = [reload.path]
    owner.notify(f"Syncing into {safe_text(plan.dst.url)}; t shows the progress.", markup=False)
