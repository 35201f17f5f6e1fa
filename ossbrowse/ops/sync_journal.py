"""The sync journal: the confirmed plan of a sync, written before anything is copied or deleted.

A sync is its own checkpoint: run again, it lists both sides and finds what was copied before
the interruption the same (and big files resume their part uploads from the transfer engine's
checkpoints). What the journal adds is the agreement: the plan the person confirmed (priced),
as a `tasks.Plan` in `$OSSBROWSE_STATE_DIR/syncs`, one per (source, destination, options),
written atomically (`journal.write_atomic`). When the same command finds it and what is left
is part of it, the sync resumes without asking again and says how much was left; a plan that
reaches beyond it (new files, new extras to delete) is priced and confirmed as a new sync.
The journal is removed when a sync completes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ossbrowse.ops.journal import journal_dir, write_atomic
from ossbrowse.ops.sync_plan import SyncPlan
from ossbrowse.tasks.plan import Plan, WorkItem

KIND = "sync"


def sync_dir() -> Path:
    """Beside the move journals: $OSSBROWSE_STATE_DIR/syncs, else the user state dir."""
    path = journal_dir().parent / "syncs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sync_id(src: str, dst: str, mode: str, delete: bool) -> str:
    """Same command, same journal."""
    text = json.dumps([src, dst, mode, delete], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def plan_items(plan: SyncPlan) -> tuple[WorkItem, ...]:
    """The plan as work items: a copy is (key, key, size, etag), a delete (key, "", size)."""
    items = []
    for d in plan.copies:
        assert d.src is not None
        etag = d.src.record.etag if d.src.record is not None else ""
        items.append(WorkItem(d.key, d.key, d.src.size, etag))
    for d in plan.deletes:
        assert d.dst is not None
        items.append(WorkItem(d.key, "", d.dst.size))
    return tuple(items)


@dataclass
class SyncJournal:
    id: str
    plan: Plan
    directory: Path

    @property
    def path(self) -> Path:
        return self.directory / f"{self.id}.json"

    @classmethod
    def key_of(cls, plan: SyncPlan) -> str:
        return sync_id(plan.src.url, plan.dst.url, plan.mode, plan.delete)

    @classmethod
    def create(cls, plan: SyncPlan, directory: Path | None = None) -> SyncJournal:
        directory = directory or sync_dir()
        options: dict[str, str | bool] = {"mode": plan.mode, "delete": plan.delete}
        body = Plan(KIND, plan.src.url, plan.dst.url, plan_items(plan), options)
        journal = cls(cls.key_of(plan), body, directory)
        write_atomic(journal.path, body.to_json().encode("utf-8"))
        return journal

    @classmethod
    def find(cls, plan: SyncPlan, directory: Path | None = None) -> SyncJournal | None:
        """The journal of an interrupted run of the same sync, if one is on disk."""
        directory = directory or sync_dir()
        journal_id = cls.key_of(plan)
        try:
            body = Plan.from_json((directory / f"{journal_id}.json").read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable: treated as absent; the listing is the truth anyway
        if body.kind != KIND:
            return None
        return cls(journal_id, body, directory)

    def covers(self, plan: SyncPlan) -> bool:
        """Whether everything `plan` would do was part of the confirmed plan."""
        confirmed = {(i.src, i.dst) for i in self.plan.items}
        return all((i.src, i.dst) in confirmed for i in plan_items(plan))

    def remove(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
