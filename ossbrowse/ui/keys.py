"""Every key the app binds, with a stable id a user can remap from `[keys]` in config.toml.

Midnight Commander's function keys come with letter twins, because many SSH clients and
terminal multiplexers eat F-keys. The same table feeds the bindings, the help screen and the
command palette, so the three can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class KeySpec:
    id: str  # stable: "pane.copy"; what `[keys]` in config.toml names
    keys: str  # Textual key names, comma separated
    action: str
    description: str  # footer text: short
    title: str  # command palette and help: "Pane: copy to the other pane"
    show: bool = False  # in the footer
    palette: bool = True


# Keys of the main screen: they act on the active pane.
MAIN_KEYS: tuple[KeySpec, ...] = (
    KeySpec("pane.copy", "f5,c", "copy", "Copy", "Pane: copy to the other pane", True),
    KeySpec("pane.move", "f6,m", "move", "Move", "Pane: move or rename", True),
    KeySpec("pane.rename", "shift+f6,M", "rename_in_place", "Rename",
            "Pane: rename in place (name pre-filled)"),
    KeySpec("pane.properties", "ctrl+e,E", "properties", "Properties",
            "Pane: object properties (headers, ACL, metadata, class, tags)"),
    KeySpec("pane.folder_size", "ctrl+space,ctrl+@,z", "folder_size", "Size",
            "Pane: folder size (counts everything inside)"),
    KeySpec("pane.mkdir", "f7,n", "mkdir", "Mkdir", "Pane: new folder"),
    KeySpec("pane.delete", "f8,delete", "delete", "Delete", "Pane: delete", True),
    KeySpec("pane.view", "f3,v", "view", "View", "Pane: view text or hex", True),
    KeySpec("pane.edit", "f4,e", "edit", "Edit", "Pane: edit in $EDITOR"),
    KeySpec("pane.inspect", "i", "inspect", "Inspect", "Pane: inspect every field"),
    KeySpec("pane.restore", "r", "restore", "Restore", "Pane: restore archived object"),
    KeySpec("pane.presign", "y", "presign", "URL", "Pane: presigned URL (copied)"),
    KeySpec("pane.versions", "V", "versions", "Versions",
            "Pane: versions and delete markers of this folder (versioned buckets)"),
    KeySpec("pane.usage", "U", "usage", "Usage", "Pane: usage of this folder by size (du)"),
    KeySpec("pane.goto", "g,ctrl+l", "goto", "Go to", "Pane: go to URL or path"),
    KeySpec("pane.find", "alt+question_mark,ctrl+f", "find", "Find",
            "Pane: find files by name, size, time, class (results open as a folder)"),
    KeySpec("pane.filter", "slash", "filter", "Filter", "Pane: filter as you type"),
    KeySpec("pane.select", "plus", "select_pattern", "Select", "Pane: select by pattern"),
    KeySpec("pane.unselect", "minus", "unselect_pattern", "Unselect", "Pane: unselect by pattern"),
    KeySpec("pane.invert", "asterisk", "invert", "Invert", "Pane: invert marks"),
    KeySpec("pane.sort", "s", "cycle_sort", "Sort", "Pane: sort by name, size, time"),
    KeySpec("pane.reverse", "S", "reverse_sort", "Reverse", "Pane: reverse the sort order"),
    KeySpec("pane.reload", "ctrl+r", "reload", "Reload", "Pane: reload"),
    KeySpec("pane.switch", "tab", "switch_pane", "Switch", "Pane: switch to the other pane"),
    KeySpec("pane.swap", "ctrl+u", "swap_panes", "Swap", "Pane: swap left and right"),
    KeySpec("mount.compare", "equals_sign", "compare", "Compare",
            "Mount: compare a local folder with its OSS prefix"),
    KeySpec("pane.compare_dirs", "D", "compare_dirs", "Compare dirs",
            "Pane: compare the two panes' folders, mark what differs, sync either way"),
    KeySpec("pane.cancel", "escape", "cancel_loading", "Cancel", "Pane: cancel loading", False,
            False),
    KeySpec("transfer.panel", "t", "toggle_transfers", "Transfers", "Transfer: show or hide panel",
            True),
    KeySpec("transfer.pause_all", "P", "pause_all", "Pause all", "Transfer: pause all"),
    KeySpec("transfer.resume_all", "R", "resume_all", "Resume all", "Transfer: resume all"),
    KeySpec("transfer.cancel_all", "X", "cancel_all", "Cancel all", "Transfer: cancel all"),
)  # fmt: skip

# Keys of the list itself (a FileList has focus).
LIST_KEYS: tuple[KeySpec, ...] = (
    KeySpec("list.open", "enter", "open", "Open", "List: open folder or view file", False, False),
    KeySpec("list.up", "backspace", "up", "Up", "List: go to the parent folder", False, False),
    KeySpec("list.mark", "space,insert", "mark", "Mark", "List: mark and move down", False, False),
    KeySpec("list.cursor_up", "up,k", "cursor_up", "Up", "List: cursor up", False, False),
    KeySpec("list.cursor_down", "down,j", "cursor_down", "Down", "List: cursor down", False, False),
    KeySpec("list.page_up", "pageup", "page_up", "PgUp", "List: page up", False, False),
    KeySpec("list.page_down", "pagedown", "page_down", "PgDn", "List: page down", False, False),
    KeySpec("list.first", "home", "first", "Home", "List: first entry", False, False),
    KeySpec("list.last", "end", "last", "End", "List: last entry", False, False),
)  # fmt: skip

# Keys of the transfer panel when it has focus.
TRANSFER_KEYS: tuple[KeySpec, ...] = (
    KeySpec("transfer.pause", "p", "pause", "Pause", "Transfer: pause the selected", True, False),
    KeySpec("transfer.resume", "u", "resume", "Resume", "Transfer: resume the selected", True,
            False),
    KeySpec("transfer.cancel", "x", "cancel", "Cancel", "Transfer: cancel the selected", True,
            False),
    KeySpec("transfer.retry", "a", "retry_failed", "Retry",
            "Transfer: retry the failed files of the selected", True, False),
    KeySpec("transfer.clear", "C", "clear_finished", "Clear",
            "Transfer: clear finished transfers from the panel", True, False),
    KeySpec("transfer.details", "enter", "details", "Details",
            "Transfer: every failed or skipped file of the selected, with why", False, False),
)  # fmt: skip

# Keys of the versions view (ui/versions_view.py): they act on the version under the cursor.
VERSION_KEYS: tuple[KeySpec, ...] = (
    KeySpec("versions.close", "V,escape", "close", "Close", "Versions: back to the pane", True,
            False),
    KeySpec("versions.view", "f3,v", "view", "View", "Versions: view this version", True, False),
    KeySpec("versions.copy", "f5,c", "copy", "Copy",
            "Versions: copy this version to the other pane (read-only source)", True, False),
    KeySpec("versions.inspect", "i", "inspect", "Inspect", "Versions: every field of this version",
            False, False),
    KeySpec("versions.revert", "o", "revert", "Make current",
            "Versions: restore this version (copy it over the current one)", True, False),
    KeySpec("versions.undelete", "u", "undelete", "Undelete",
            "Versions: undelete (remove the delete marker)", True, False),
    KeySpec("versions.delete", "f8,delete", "delete", "Delete forever",
            "Versions: delete this version permanently (typed confirmation)", True, False),
    KeySpec("versions.archive", "r", "archive_restore", "Restore",
            "Versions: restore an archived version from the archive", False, False),
    KeySpec("versions.undelete_after", "U", "undelete_after", "Undelete all",
            "Versions: undelete everything under this folder deleted after a time", True, False),
    KeySpec("versions.reload", "ctrl+r", "reload", "Reload", "Versions: list again", False,
            False),
)  # fmt: skip

APP_KEYS: tuple[KeySpec, ...] = (
    KeySpec("app.help", "f1,question_mark", "help", "Help", "App: help with every key", True),
    KeySpec("app.quit", "f10,q", "quit", "Quit", "App: quit", True),
    KeySpec("app.palette", "ctrl+p", "command_palette", "Commands", "App: command palette",
            False, False),
)  # fmt: skip

ALL_KEYS: tuple[KeySpec, ...] = APP_KEYS + MAIN_KEYS + LIST_KEYS + TRANSFER_KEYS + VERSION_KEYS


def bindings(specs: tuple[KeySpec, ...]) -> list[BindingType]:
    return [
        # BindingType: what Textual's BINDINGS are declared as (a list is invariant).
        Binding(s.keys, s.action, s.description, show=s.show, id=s.id, priority=False)
        for s in specs
    ]


def validate_keymap(keymap: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """Split a `[keys]` table into what can be applied and one warning per bad line."""
    known = {s.id for s in ALL_KEYS}
    good: dict[str, str] = {}
    problems: list[str] = []
    for key_id, value in keymap.items():
        if key_id not in known:
            problems.append(f"[keys] {key_id}: no such binding (see the help screen for ids)")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f'[keys] {key_id}: give keys as a string, e.g. "f5,c"')
        else:
            good[key_id] = value.replace(" ", "")
    return good, problems


def effective_keys(spec: KeySpec, keymap: Mapping[str, str]) -> str:
    return keymap.get(spec.id, spec.keys)
