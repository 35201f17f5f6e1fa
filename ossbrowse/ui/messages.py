"""Messages named for what happened, posted from worker threads and handled on the UI thread.

`post_message` is thread-safe; progress messages define `can_replace` so a burst of updates for
one transfer collapses to the latest before the UI spends time on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from ossbrowse.fs.base import Entry


@dataclass
class ListingPageLoaded(Message):
    """One page of a folder arrived; `generation` tells stale pages (the pane moved on)."""

    generation: int
    entries: list[Entry]  # empty when the pages wait in the pane's inbox
    done: bool

    def can_replace(self, message: Message) -> bool:
        # Textual asks the older message whether the newer `message` supersedes it. A newer
        # note for the same folder does: the inbox holds both pages. "done" is never lost.
        return (
            isinstance(message, ListingPageLoaded)
            and message.generation == self.generation
            and (message.done or not self.done)
        )


@dataclass
class TransferUpdated(Message):
    """The engine reported progress or a state change of one job (`job` is a snapshot)."""

    job: Any
    state_changed: bool

    def can_replace(self, message: Message) -> bool:
        # `self` is the older message: only progress is dropped for a newer one of the same
        # job; a state change is always seen.
        return (
            isinstance(message, TransferUpdated)
            and not self.state_changed
            and getattr(message.job, "id", None) == getattr(self.job, "id", None)
        )


@dataclass
class PaneChanged(Message):
    """A pane re-rooted or its rows changed: the status line and the title redraw."""

    pane: Any

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PaneChanged) and message.pane is self.pane


@dataclass
class RestoreStateChanged(Message):
    """The restore watcher saw an object change state (restoring, restored until ...)."""

    path: str  # oss://bucket/key
    state: Any  # fs.base.RestoreState
