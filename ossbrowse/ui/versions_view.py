"""The versions view of a folder in a versioned bucket (`V` on a pane): each key's current
version, and under it, dimmed, its older versions and delete markers with version id, size,
time and class. Folders whose objects are all deleted are listed too (ListObjectVersions
names every prefix that holds a version or a marker), so a person can walk into them.

A virtual list (only the visible lines are drawn) filled page by page by a thread worker:
the first page is small, so rows show at once on a prefix of millions. The actions on a
version are in `version_actions.py`; this module lists and moves around.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from ossbrowse.fs.records import ObjectRecord
from ossbrowse.text import safe_text
from ossbrowse.ui import keys
from ossbrowse.ui.rows import ASCII as ASCII_GLYPHS
from ossbrowse.ui.rows import STORAGE_SHORT, fit, format_time, human_size
from ossbrowse.ui.rows import UNICODE as UNICODE_GLYPHS
from ossbrowse.ui.worker_errors import ReportsWorkerErrors

if TYPE_CHECKING:
    from ossbrowse.ui.pane import Pane
    from ossbrowse.ui.services import Services


@dataclass(slots=True)
class VersionRow:
    """One line: the way up, a folder (`name` ends in /), or a version of a key."""

    kind: str  # "up", "folder", "version"
    name: str  # relative to the folder shown
    record: ObjectRecord | None = None
    first: bool = True  # the newest entry of its key (drawn as the key's own line)

    @property
    def older(self) -> bool:
        """Drawn dimmed: an older version, or a delete marker."""
        record = self.record
        return record is not None and (not self.first or record.delete_marker)


def rows_of_page(
    records: list[ObjectRecord], prefixes: list[str], base: str, last_key: str | None
) -> tuple[list[VersionRow], list[VersionRow], str | None]:
    """A ListObjectVersions page as folder rows and version rows; `last_key` carries a key
    whose versions continue from the previous page (so they stay under it)."""
    folders = [VersionRow("folder", p[len(base) :]) for p in prefixes]
    rows = []
    for record in records:
        first = record.key != last_key
        last_key = record.key
        rows.append(VersionRow("version", record.key[len(base) :], record, first))
    return folders, rows, last_key


def header_note(count: int, versioning: str) -> str:
    """The header's count of what is listed and the bucket's versioning state."""
    state = {"Enabled": "versioning on", "Suspended": "versioning suspended"}.get(
        versioning, "versioning never enabled"
    )
    what = "version or delete marker" if count == 1 else "versions and delete markers"
    return f"{count:,} {what}, {state} (V or Esc: back)"


def state_text(record: ObjectRecord) -> str:
    if record.delete_marker:
        return "deleted" if record.is_latest else "delete marker"
    return "current" if record.is_latest else "older"


class VersionList(ScrollView, can_focus=True):
    """The rows, a cursor; Enter and Backspace are posted to the screen."""

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings(keys.LIST_KEYS)]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "version-list--header",
        "version-list--cursor",
        "version-list--folder",
        "version-list--older",
        "version-list--note",
    }
    DEFAULT_CSS = """
    VersionList { overflow-x: hidden; overflow-y: auto; scrollbar-size-vertical: 1; }
    VersionList > .version-list--header { text-style: bold; color: $text-muted; }
    VersionList > .version-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VersionList > .version-list--folder { text-style: bold; }
    VersionList > .version-list--older { text-style: dim; }
    VersionList > .version-list--note { color: $text-muted; text-style: italic; }
    """  # noqa: E501

    @dataclass
    class Activated(Message):
        row: VersionRow

    class GoUp(Message):
        pass

    def __init__(self, *, ascii_only: bool = False) -> None:
        super().__init__(id="version-list")
        self.up: VersionRow | None = None
        self.folders: list[VersionRow] = []
        self.versions: list[VersionRow] = []
        self.cursor = 0
        self.note = "loading..."
        self.glyphs = ASCII_GLYPHS if ascii_only else UNICODE_GLYPHS
        self.older_mark = "  - " if ascii_only else "  └ "

    @property
    def rows(self) -> list[VersionRow]:
        return ([self.up] if self.up else []) + self.folders + self.versions

    @property
    def row_count(self) -> int:
        return (1 if self.up else 0) + len(self.folders) + len(self.versions)

    def row_at(self, index: int) -> VersionRow | None:
        if self.up is not None:
            if index == 0:
                return self.up
            index -= 1
        if 0 <= index < len(self.folders):
            return self.folders[index]
        index -= len(self.folders)
        return self.versions[index] if 0 <= index < len(self.versions) else None

    @property
    def current(self) -> VersionRow | None:
        return self.row_at(self.cursor)

    def reset(self, up: VersionRow | None) -> None:
        self.up, self.folders, self.versions = up, [], []
        self.cursor = 0
        self.note = "loading..."
        self.scroll_to(y=0, animate=False, immediate=True)
        self.changed()

    def add(self, folders: list[VersionRow], versions: list[VersionRow]) -> None:
        self.folders.extend(folders)
        self.versions.extend(versions)
        self.changed()

    def changed(self) -> None:
        self.cursor = max(0, min(self.cursor, self.row_count - 1))
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.row_count + 1)

    @staticmethod
    def widths(width: int) -> tuple[int, int, int, int, int]:
        """Cells of name, size, time, class and version id at a list width (time 0: not
        shown; under 70 cells the name needs the room more than the time does)."""
        size_w, class_w = 10, 6
        if width >= 90:
            time_w, version_w = 17, 22
        elif width >= 70:
            time_w, version_w = 17, 14
        else:
            time_w, version_w = 0, 12
        return max(8, width - size_w - time_w - class_w - version_w - 15), size_w, time_w, \
            class_w, version_w  # fmt: skip

    def _cells(self, row: VersionRow, width: int) -> str:
        name_w, size_w, time_w, class_w, version_w = self.widths(width)
        if row.kind == "up":
            return fit("..", name_w, self.glyphs) + "<UP>".rjust(size_w)
        if row.kind == "folder":
            return fit(safe_text(row.name), name_w, self.glyphs) + "<DIR>".rjust(size_w)
        record = row.record
        assert record is not None
        name = safe_text(row.name) if row.first else self.older_mark + safe_text(row.name)
        if record.delete_marker:
            size, klass = "-", ""
        else:
            size = human_size(record.size)
            klass = STORAGE_SHORT.get(record.storage_class, record.storage_class)
        return (
            fit(name, name_w, self.glyphs)
            + size.rjust(size_w - 1)
            + " "
            + (fit(format_time(record.last_modified), time_w, self.glyphs) if time_w else "")
            + fit(klass, class_w, self.glyphs)
            + fit(safe_text(record.version_id), version_w, self.glyphs)
            + " "
            + fit(state_text(record), 13, self.glyphs)
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = base + self.get_component_rich_style("version-list--header")
            name_w, size_w, time_w, class_w, version_w = self.widths(width)
            text = (fit("Name", name_w, self.glyphs) + "Size".rjust(size_w - 1) + " "
                    + (fit("Modified", time_w, self.glyphs) if time_w else "")
                    + fit("Class", class_w, self.glyphs)
                    + fit("Version id", version_w, self.glyphs) + " State")  # fmt: skip
            return Strip([Segment(text, header)]).adjust_cell_length(width, base)
        index = int(self.scroll_offset.y) + y - 1
        row = self.row_at(index)
        if row is None:
            if self.note and index == self.row_count:
                note = base + self.get_component_rich_style("version-list--note")
                return Strip([Segment("  " + self.note, note)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        style: Style = base
        if row.kind != "version":
            style += self.get_component_rich_style("version-list--folder")
        elif row.older:
            style += self.get_component_rich_style("version-list--older")
        if index == self.cursor:
            style += self.get_component_rich_style("version-list--cursor")
        text = self._cells(row, width)
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    # -- cursor ------------------------------------------------------------------------------

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_cursor(self, index: int) -> None:
        self.cursor = max(0, min(index, self.row_count - 1))
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor > top + self.page_height - 1:
            self.scroll_to(y=self.cursor - self.page_height + 1, animate=False, immediate=True)
        self.refresh()

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.page_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.page_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Activated(row))

    def action_up(self) -> None:
        self.post_message(self.GoUp())

    def action_mark(self) -> None:
        self.move_cursor(self.cursor + 1)  # versions are acted on one at a time


class VersionsScreen(ReportsWorkerErrors, Screen[None]):
    """Versions of one folder of a bucket; `other` is where copies of a version go."""

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings(keys.VERSION_KEYS)]

    def __init__(self, services: Services, path: str, other: str) -> None:
        super().__init__()
        from ossbrowse.ui.version_actions import VersionActions

        self.services = services
        self.path = path
        self.other = other
        self.generation = 0
        self.header = Static(classes="versions-header")
        self.list = VersionList(ascii_only=services.ascii_only)
        self.actions = VersionActions(self)
        self.versioning = ""  # the bucket's: "Enabled", "Suspended", "" (read with the listing)
        self._last_key: str | None = None

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.list
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.open(self.path)
        self.list.focus()

    # -- where -------------------------------------------------------------------------------

    @property
    def bucket_name(self) -> str:
        return self.path.removeprefix("oss://").split("/", 1)[0]

    @property
    def prefix(self) -> str:
        return self.path.removeprefix("oss://").partition("/")[2]

    def bucket(self, name: str | None = None) -> Any:
        """The SDK's bucket (an opaque handle for the gateway) of this folder, or `name`."""
        bucket_for = self.services.bucket_for
        if bucket_for is None:
            from ossbrowse.errors import ConfigError

            raise ConfigError("No OSS connection is configured.")
        return bucket_for(name or self.bucket_name)

    def open(self, path: str) -> None:
        self.path = path
        self.generation += 1
        self._last_key = None
        parent = self.services.sides.parent(path)
        up = VersionRow("up", "..") if parent and parent != "oss://" else None
        self.list.reset(up)
        self._show_header("listing...")
        self._list(self.generation)

    def reload(self) -> None:
        cursor = self.list.cursor
        self.open(self.path)
        self.list.cursor = cursor

    def _show_header(self, note: str) -> None:
        text = Text(f"Versions of {safe_text(self.path)}", style="bold", no_wrap=True)
        text.append(f"  {note}", style="italic")
        self.header.update(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="versions")
    def _list(self, generation: int) -> None:
        from ossbrowse.ops.versions import version_pages, versioning_for_price

        worker = get_current_worker()
        bucket = self.bucket()
        prefix = self.prefix
        if not self.versioning:
            self.versioning = versioning_for_price(bucket)  # prices say what a bucket keeps
        for page in version_pages(bucket, prefix, delimiter="/"):
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._take, generation, page.records, page.prefixes,
                                      not page.truncated)  # fmt: skip
        self.app.call_from_thread(self._take, generation, [], [], True)

    def _take(
        self, generation: int, records: list[ObjectRecord], prefixes: list[str], done: bool
    ) -> None:
        if generation != self.generation:
            return
        folders, rows, self._last_key = rows_of_page(records, prefixes, self.prefix,
                                                     self._last_key)  # fmt: skip
        self.list.add(folders, rows)
        if done:
            self.list.note = "" if self.list.row_count > (1 if self.list.up else 0) else (
                "no versions here")  # fmt: skip
            self.list.refresh()
            self._show_header(header_note(len(self.list.versions), self.versioning))

    # -- moving around -----------------------------------------------------------------------

    def on_version_list_activated(self, message: VersionList.Activated) -> None:
        row = message.row
        if row.kind == "up":
            self.go_up()
        elif row.kind == "folder":
            self.open(f"oss://{self.bucket_name}/{self.prefix}{row.name}")
        else:
            self.actions.view()

    def on_version_list_go_up(self, message: VersionList.GoUp) -> None:
        self.go_up()

    def go_up(self) -> None:
        parent = self.services.sides.parent(self.path)
        if parent and parent != "oss://":
            self.open(parent)

    def current_version(self) -> ObjectRecord | None:
        row = self.list.current
        return row.record if row is not None and row.kind == "version" else None

    # -- keys (the actions live in version_actions.py) ---------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.reload()

    def action_view(self) -> None:
        self.actions.view()

    def action_copy(self) -> None:
        self.actions.copy()

    def action_inspect(self) -> None:
        self.actions.inspect()

    def action_revert(self) -> None:
        self.actions.restore_version()

    def action_undelete(self) -> None:
        self.actions.undelete()

    def action_delete(self) -> None:
        self.actions.delete_forever()

    def action_archive_restore(self) -> None:
        self.actions.archive_restore()

    def action_undelete_after(self) -> None:
        self.actions.undelete_after()


class HasPanes(Protocol):
    """What the versions key needs of the main screen: its services and the two panes."""

    services: Services

    @property
    def active(self) -> Pane: ...

    @property
    def other(self) -> Pane: ...

    def notify(self, message: str, *, severity: Any = ...) -> None: ...


def show_versions(screen: HasPanes) -> None:
    """`V` on a pane: the versions view of its OSS folder; the pane is listed again after."""
    from ossbrowse.ui.sides import is_oss_path

    pane = screen.active
    if not is_oss_path(pane.path) or pane.path == "oss://":
        screen.notify("Versions are kept by OSS buckets: open a bucket's folder first.",
                      severity="warning")  # fmt: skip
        return

    def closed(_: None) -> None:
        pane.reload()

    view = VersionsScreen(screen.services, pane.path, screen.other.path)
    pane.app.push_screen(view, closed)
