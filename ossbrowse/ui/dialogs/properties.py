"""Edit an object's properties: Content-Type, Cache-Control, Content-Disposition,
Content-Encoding, storage class, ACL, user metadata and tags (`ops.properties` does the work).

A change that needs a copy onto itself (headers, metadata, class) is priced first: the object
is replaced whole, and a class with a minimum storage duration charges the days left. ACL and
tags alone change in place without asking again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ossbrowse.fs.base import Entry
from ossbrowse.ops.properties import (
    ACLS,
    CLASSES,
    ObjectProperties,
    format_pairs,
    parse_pairs,
)
from ossbrowse.text import safe_text
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

TEXT_FIELDS = (
    ("content_type", "Content-Type"),
    ("cache_control", "Cache-Control"),
    ("content_disposition", "Disposition"),
    ("content_encoding", "Encoding"),
)


class PropertiesDialog(ReportsWorkerErrors, ModalScreen[bool]):
    """Dismissed with True when something was changed."""

    DEFAULT_CSS = """
    PropertiesDialog .prop-row { height: 1; }
    PropertiesDialog .prop-row Label { width: 15; }
    PropertiesDialog .prop-row Input, PropertiesDialog .prop-row Select { width: 1fr; height: 1; }
    PropertiesDialog .prop-row Input, PropertiesDialog .prop-row SelectCurrent {
        height: 1; border: none; padding: 0 1;
    }
    PropertiesDialog #props-scroll { height: auto; max-height: 12; }
    PropertiesDialog #props-note { margin-top: 1; }
    PropertiesDialog .dialog-buttons Button { min-width: 8; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="properties.cancel"),
        Binding("ctrl+s", "save", "Save", id="properties.save"),
    ]

    def __init__(self, entry: Entry, bucket_for: Callable[[str], Any]) -> None:
        super().__init__(classes="dialog")
        self.entry = entry
        self.bucket_for = bucket_for
        from ossbrowse.ui.ops_actions import split_url

        self.bucket_name, self.key = split_url(entry.path)
        self.before: ObjectProperties | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Text(f"Properties of {safe_text(self.entry.name)}"),
                        classes="dialog-title")  # fmt: skip
            with VerticalScroll(id="props-scroll"):
                for name, label in TEXT_FIELDS:
                    with Horizontal(classes="prop-row"):
                        yield Label(label)
                        yield Input(id=f"prop-{name}", compact=True, disabled=True)
                with Horizontal(classes="prop-row"):
                    yield Label("Storage class")
                    yield Select([(c, c) for c in CLASSES], id="prop-class", compact=True,
                                 allow_blank=False, disabled=True)  # fmt: skip
                with Horizontal(classes="prop-row"):
                    yield Label("ACL")
                    yield Select([(a, a) for a in ACLS], id="prop-acl", compact=True,
                                 allow_blank=False, disabled=True)  # fmt: skip
                with Horizontal(classes="prop-row"):
                    yield Label("Metadata")
                    yield Input(id="prop-meta", compact=True, disabled=True,
                                placeholder="name=value, name=value")  # fmt: skip
                with Horizontal(classes="prop-row"):
                    yield Label("Tags")
                    yield Input(id="prop-tags", compact=True, disabled=True,
                                placeholder="name=value, name=value")  # fmt: skip
            yield Static(Text("Reading the properties..."), id="props-note", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Ctrl+S)", id="save", variant="primary", disabled=True,
                             compact=True)  # fmt: skip
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        # Inline, as the app's --ascii rules give every Input and Select a border (!important):
        # one line a field is what lets the whole editor fit 80x24.
        for widget in self.query(".prop-row Input, .prop-row SelectCurrent"):
            widget.set_styles("border: none; height: 1;")
        for widget in self.query(".prop-row Input"):
            widget.set_styles("padding: 0;")  # its text starts where the Select's does
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, group="properties")
    def _read(self) -> None:
        from ossbrowse.ops.properties import read_properties

        props = read_properties(self.bucket_for(self.bucket_name), self.key)
        self.app.call_from_thread(self._show, props)

    def _show(self, props: ObjectProperties) -> None:
        self.before = props
        for name, _ in TEXT_FIELDS:
            self.query_one(f"#prop-{name}", Input).value = getattr(props, name)
        self.query_one("#prop-meta", Input).value = format_pairs(props.user_meta)
        self.query_one("#prop-tags", Input).value = format_pairs(props.tags)
        klass = self.query_one("#prop-class", Select)
        if props.storage_class not in CLASSES:
            klass.set_options([(c, c) for c in (*CLASSES, props.storage_class)])
        klass.value = props.storage_class
        self.query_one("#prop-acl", Select).value = props.acl if props.acl in ACLS else "default"
        for widget in self.query("Input, Select, Button"):
            widget.disabled = False
        self.query_one("#props-note", Static).update(Text(
            "Headers, metadata and class change by a copy onto itself (priced first); "
            "ACL and tags change in place."))  # fmt: skip
        self.query_one("#prop-content_type", Input).focus()

    def wanted(self) -> ObjectProperties:
        """The properties as edited; ValueError with a sentence when a field cannot be read."""
        assert self.before is not None
        fields: dict[str, Any] = {
            name: self.query_one(f"#prop-{name}", Input).value.strip() for name, _ in TEXT_FIELDS
        }
        meta = parse_pairs(self.query_one("#prop-meta", Input).value, "Metadata")
        fields["user_meta"] = {k.lower(): v for k, v in meta.items()}
        fields["tags"] = parse_pairs(self.query_one("#prop-tags", Input).value, "Tags")
        fields["storage_class"] = self.query_one("#prop-class", Select).value
        fields["acl"] = self.query_one("#prop-acl", Select).value
        from dataclasses import replace

        return replace(self.before, **fields)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        if self.before is None:
            return
        try:
            after = self.wanted()
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        from ossbrowse.ops.properties import plan_change

        change = plan_change(self.bucket_for(self.bucket_name), self.before, after)
        if change.nothing:
            self.dismiss(False)
            return
        if not change.copy and not change.price.blocked:
            self._apply(change)
            return
        from ossbrowse.ui.priced_dialogs import PricedDialog

        lines = [f"{safe_text(self.entry.path)}: OSS changes headers, metadata and storage "
                 "class only by copying the object onto itself; it is replaced whole."]  # fmt: skip
        if change.before.storage_class != change.after.storage_class:
            lines.append(f"Storage class {change.before.storage_class} -> "
                         f"{change.after.storage_class}.")  # fmt: skip

        def decided(decision: Any) -> None:
            if decision:
                self._apply(change)

        self.app.push_screen(PricedDialog("Change properties?", lines, price=change.price,
                                          yes="Change"), decided)  # fmt: skip

    @work(thread=True, exclusive=True, exit_on_error=False, group="properties")
    def _apply(self, change: Any) -> None:
        from ossbrowse.ops.properties import apply_change

        done = apply_change(change, read_only=bool(getattr(self.app, "read_only", False)))
        self.app.call_from_thread(self._applied, done)

    def _applied(self, done: list[str]) -> None:
        self.notify(f"{safe_text(self.key)}: " + "; ".join(done) + ".", markup=False)
        self.dismiss(True)
