"""Priced confirmations: enumerate (with progress, cancellable), show the price, then ask.

`PricedDialog` runs a planner in a worker thread while it shows how many objects it has found;
Escape cancels the enumeration at once. When the price is known it lists it in plain words
(requests, objects, bytes, multipart copies, blocked objects, early-deletion charges, the
non-atomic warning) and offers Proceed, Run in background for large jobs, or Cancel. The
result is a `Decision` that is truthy for both ways of going ahead, so callers written for a
plain yes/no dialog keep working.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ossbrowse.ops.listing import Progress
from ossbrowse.ops.pricing import NON_ATOMIC_WARNING, Price, describe_price
from ossbrowse.tasks import Cancelled, Control

# The verbs' warning says "run the same command again"; in the UI there is no command.
UI_NON_ATOMIC = (
    "This is not atomic: OSS has no rename, so every object is copied, checked, then deleted. "
    "If it stops half way, some objects exist under both names: move the same folder again "
    "and it finishes from its journal."
)

Planner = Callable[[Callable[[Progress], None], Control], Price]


class Decision(enum.Enum):
    CANCEL = "cancel"
    PROCEED = "proceed"
    BACKGROUND = "background"

    def __bool__(self) -> bool:
        return self is not Decision.CANCEL


class PricedDialog(ModalScreen[Decision]):
    """Title, what is about to happen, its price once known, and the choice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "choose('proceed')", "Proceed", id="priced.proceed"),
        Binding("b", "choose('background')", "Background", id="priced.background"),
        Binding("n,escape", "choose('cancel')", "Cancel", id="priced.cancel"),
    ]

    def __init__(
        self,
        title: str,
        lines: list[str],
        *,
        planner: Planner | None = None,
        price: Price | None = None,
        yes: str = "Proceed",
        danger: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.lines = lines
        self.planner = planner
        self.price = price
        self.yes = yes
        self.danger = danger
        self.token = Control()
        self.failed = False
        self.plans: list = []  # what the planner enumerated, for the caller to carry out

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Static(Text("\n".join(self.lines)), classes="dialog-body", id="priced-intro")
            with VerticalScroll(id="priced-scroll"):
                yield Static(Text("Counting what this touches..."), id="priced-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="proceed", disabled=True,
                             variant="error" if self.danger else "primary")  # fmt: skip
                yield Button("Run in background (b)", id="background", disabled=True)
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#background").display = False
        self.query_one("#cancel", Button).focus()
        if self.price is not None:
            self.show_price(self.price)
        elif self.planner is not None:
            self._plan()
        else:
            self.show_price(Price("unknown"))

    @work(thread=True, exit_on_error=False, group="pricing")
    def _plan(self) -> None:
        def progress(p: Progress) -> None:
            text = f"Counting: {p.objects:,} objects in {p.pages:,} pages so far (Esc cancels)"
            self.app.call_from_thread(self._show_progress, text)

        try:
            planner = self.planner
            if planner is None:
                return
            price = planner(progress, self.token)
        except Cancelled:
            return
        except Exception as exc:  # shown in the dialog: the person can only cancel
            self.app.call_from_thread(self._show_failure, str(exc) or type(exc).__name__)
            return
        self.app.call_from_thread(self.show_price, price)

    def _show_progress(self, text: str) -> None:
        if self.price is None and not self.failed:
            self.query_one("#priced-body", Static).update(Text(text))

    def _show_failure(self, message: str) -> None:
        self.failed = True
        self.query_one("#priced-body", Static).update(
            Text(f"Could not work out the price: {message}")
        )

    def show_price(self, price: Price) -> None:
        self.price = price
        lines = [UI_NON_ATOMIC if line == NON_ATOMIC_WARNING else line
                 for line in describe_price(price)]  # fmt: skip
        self.query_one("#priced-body", Static).update(Text("\n".join(lines)))
        proceed = self.query_one("#proceed", Button)
        proceed.disabled = price.objects == 0 or len(price.blocked) >= price.objects > 0
        background = self.query_one("#background", Button)
        background.display = price.large
        background.disabled = not price.large or proceed.disabled

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        if choice == "cancel":
            self.token.cancel()
            self.dismiss(Decision.CANCEL)
            return
        button = self.query_one(f"#{choice}", Button)
        if button.disabled or not button.display:
            return  # not priced yet, or not offered for this job
        self.dismiss(Decision(choice))
