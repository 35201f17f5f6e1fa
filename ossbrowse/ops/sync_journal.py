"""The sync journal: the confirmed plan of a sync, written before anything is copied or deleted.

A sync is its own checkpoint: run again, it lists both sides and finds what was copied before
the interruption the same (and big files resume their part uploads from the transfer engine's
checkpoints). What the journal adds is the agreement: the plan the person confirmed (priced),
as a `tasks.Plan` in `$OSSBROWSE_STATE_DIR/syncs`, one per (source, destination, options),
written atomically (`journal.write_atomic`). When the same command finds it and what is left
is part of it, the sync resumes without asking again and says how much was left; a plan that
reaches beyond it (new files, new extras to delete) is priced and confirmed as a new sync.
The journal is removed when a sync completes.

Beside it, `<id>.progress` says how far the last run got (files copied, extras deleted, bytes),
rewritten as the copies go: `ossbrowse transfers` lists an interrupted sync with how much is
left (at most: what was copied after the last note is counted as left), `--resume ID` runs the
same sync again (`list_syncs`, `find_syncs`) and `--clean ID` forgets it.
"""

from __future__ import annotations

import hashlib
import json
import time
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


def sync_id(src: str, dst: str, mode: str, delete: bool, filters: tuple[str, ...] = ()) -> str:
    """Same command, same journal (the filters count: another selection is another sync)."""
    given: list[object] = [src, dst, mode, delete]
    if filters:
        given.append(list(filters))
    text = json.dumps(given, ensure_ascii=False)
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

    @property
    def progress_path(self) -> Path:
        return self.directory / f"{self.id}.progress"

    @classmethod
    def key_of(cls, plan: SyncPlan) -> str:
        return sync_id(plan.src.url, plan.dst.url, plan.mode, plan.delete, plan.filters)

    @classmethod
    def create(cls, plan: SyncPlan, directory: Path | None = None) -> SyncJournal:
        directory = directory or sync_dir()
        options: dict[str, str | bool] = {"mode": plan.mode, "delete": plan.delete}
        if plan.filters:
            options["filters"] = json.dumps(list(plan.filters), ensure_ascii=False)
        body = Plan(KIND, plan.src.url, plan.dst.url, plan_items(plan), options)
        journal = cls(cls.key_of(plan), body, directory)
        write_atomic(journal.path, body.to_json().encode("utf-8"))
        journal.note_progress(0, 0)  # a progress note from an earlier run is not this one's
        return journal

    @property
    def filters(self) -> tuple[str, ...]:
        """The filter options of the confirmed sync, as given on its command line."""
        text = self.plan.options.get("filters")
        if not isinstance(text, str):
            return ()
        try:
            given = json.loads(text)
        except ValueError:
            return ()
        return tuple(str(g) for g in given) if isinstance(given, list) else ()

    def note_progress(self, done: int, bytes_done: int) -> None:
        """How many of the plan's items (copies, then deletes) are done, and the bytes sent."""
        body = json.dumps({"done": done, "bytes_done": bytes_done})
        write_atomic(self.progress_path, body.encode("utf-8"))

    def progress(self) -> tuple[int, int, float]:
        """(items done, bytes done, when noted), from the last note; nothing noted is 0."""
        try:
            body = json.loads(self.progress_path.read_text("utf-8"))
            when = self.progress_path.stat().st_mtime
            return int(body["done"]), int(body["bytes_done"]), when
        except (OSError, ValueError, KeyError, TypeError):
            try:
                return 0, 0, self.path.stat().st_mtime
            except OSError:
                return 0, 0, time.time()

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
        for path in (self.path, self.progress_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


@dataclass(frozen=True)
class SyncInfo:
    """An interrupted sync as `ossbrowse transfers` lists it."""

    journal: SyncJournal
    total: int  # items of the confirmed plan (copies and deletes)
    done: int
    bytes_total: int  # bytes of the copies
    bytes_done: int
    updated: float

    @property
    def id(self) -> str:
        return self.journal.id

    @property
    def left(self) -> int:
        return max(0, self.total - self.done)


def list_syncs(directory: Path | None = None) -> list[SyncInfo]:
    """The journals of interrupted syncs, oldest first; an unreadable one is left out (the
    listing is the truth: running the sync again needs no journal)."""
    directory = directory or sync_dir()
    found = []
    for path in sorted(directory.glob("*.json")):
        try:
            body = Plan.from_json(path.read_text("utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if body.kind != KIND:
            continue
        journal = SyncJournal(path.stem, body, directory)
        done, bytes_done, when = journal.progress()
        copies = [i for i in body.items if i.dst]
        found.append(
            SyncInfo(
                journal,
                total=len(body.items),
                done=min(done, len(body.items)),
                bytes_total=sum(i.size for i in copies),
                bytes_done=bytes_done,
                updated=when,
            )
        )
    found.sort(key=lambda info: info.updated)
    return found


def find_syncs(wanted: str, directory: Path | None = None) -> list[SyncInfo]:
    """The interrupted syncs `wanted` names: "all", or the start of an id."""
    syncs = list_syncs(directory)
    if wanted == "all":
        return syncs
    return [info for info in syncs if info.id.startswith(wanted)]
