"""Sync one pane's folder into the other from the two-pane compare: priced first, run as a task.

The plan and the price are the `ossbrowse sync` verb's (`ops.sync_plan`, `ops.sync_price`),
worked out in the priced dialog's worker; going ahead runs `ops.sync.run_sync` as a task the
transfer panel lists, its copies on the session's transfer engine. The UI never deletes the
destination's extras (the verb's `--delete` does): they are said to stay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ossbrowse.ops.listing import Progress
from ossbrowse.ops.pricing import Price
from ossbrowse.tasks import Control
from ossbrowse.text import safe_text
from ossbrowse.ui.priced_dialogs import Decision, PricedDialog
from ossbrowse.ui.services import Services
from ossbrowse.ui.write_gate import gate_then

if TYPE_CHECKING:
    from ossbrowse.ops.sync_plan import SyncPlan
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.write_gate import GateOwner


class SyncPlanner:
    """The priced dialog's planner: compare, plan (no deletes) and price; keeps the plan."""

    def __init__(self, services: Services, src: str, dst: str) -> None:
        self.services, self.src, self.dst = services, src, dst
        self.plan: SyncPlan | None = None

    def __call__(self, progress: Callable[[Progress], None], token: Control) -> Price:
        from ossbrowse.ops.sync_plan import plan_sync
        from ossbrowse.ops.sync_price import price_sync
        from ossbrowse.ui.dir_compare import tree_for

        found = [0]

        def seen(_: object) -> None:
            found[0] += 1
            progress(Progress(found[0], 0, 0))

        src, dst = tree_for(self.services, self.src), tree_for(self.services, self.dst)
        self.plan = plan_sync(src, dst, cancel=token, on_item=seen)
        return price_sync(self.plan)


def start_sync(owner: GateOwner, services: Services, src: str, dst: str, reload: Pane) -> None:
    """Price the sync of `src` into `dst` in a dialog; run it as a task if confirmed."""
    gate_then(owner, "sync", dst, lambda: _ask(owner, services, src, dst, reload))


def _ask(owner: Any, services: Services, src: str, dst: str, reload: Pane) -> None:
    planner = SyncPlanner(services, src, dst)
    lines = [
        f"Copy what is missing or different from {safe_text(src)}",
        f"into {safe_text(dst)}. Extras there are kept (the command line's sync --delete "
        "deletes them).",
    ]

    def chosen(decision: Decision | None) -> None:
        if decision and planner.plan is not None:
            _run(owner, services, planner.plan, reload)

    owner.app.push_screen(PricedDialog("Sync", lines, planner=planner), chosen)


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
