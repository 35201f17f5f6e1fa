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
    from ossbrowse.ops.tasks import TaskContext
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.write_gate import GateOwner


class ContextControl:
    """The task context's cancel and pause, as `run_sync` asks them."""

    def __init__(self, ctx: TaskContext) -> None:
        self.ctx = ctx

    @property
    def cancelled(self) -> bool:
        return self.ctx.cancel.cancelled

    def gate(self) -> None:
        self.ctx.cancel.check()


class ContextProgress:
    """`run_sync`'s progress reports, into a UI task's context (throttled there)."""

    def __init__(self, ctx: TaskContext) -> None:
        self.ctx = ctx
        self.control = ContextControl(ctx)

    def report(
        self,
        items_done: int,
        items_total: int,
        bytes_done: int | None = None,
        bytes_total: int | None = None,
        *,
        scanning: bool = False,
    ) -> None:
        self.ctx.progress(items_done, items_total, bytes_done or 0, bytes_total or 0)


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
    from ossbrowse.ops.sync import describe_report, run_sync
    from ossbrowse.ops.tasks import TaskOutcome

    engine = services.engine
    if engine is None:
        services.show_error(OssBrowseError("This session has no transfer engine to copy with."))
        return

    def body(ctx: TaskContext) -> TaskOutcome:
        report = run_sync(plan, engine=engine, task=ContextProgress(ctx),
                          read_only=services.read_only)  # fmt: skip
        return TaskOutcome(describe_report(report), report.failed, report.cancelled)

    from ossbrowse.ops.tasks import start_task

    task = start_task(services.tasks, "sync", plan.src.url, plan.dst.url, body)
    services.jobs.targets[task.id] = [reload.path]
    owner.notify(f"Syncing into {safe_text(plan.dst.url)}; t shows the progress.", markup=False)
