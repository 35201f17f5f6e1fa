"""The move journal: the plan of a rename written before any copy, and its progress after.

A move is interrupted by a killed process, a dropped SSH link or a full disk; the journal lets
the same command pick up where it stopped. The plan (every source key, its new key, its ETag
and size) is written once, atomically (temp file, fsync, rename). Progress is an append-only
log of short lines, `V n` (copy n verified), `D n` (source n deleted) and `K n` (source n
changed after its copy was made, so kept under both names); a torn last line is ignored. A
`V` line is fsynced before its source is deleted, so the journal never claims less than what
OSS holds. Resume re-checks OSS anyway: the journal saves requests, OSS is the truth.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from ossbrowse.tasks.plan import Plan

FORMAT = 1


def journal_dir() -> Path:
    """Where journals live: $OSSBROWSE_STATE_DIR/moves, else the user state dir."""
    base = os.environ.get("OSSBROWSE_STATE_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_state_dir("ossbrowse")
    path = Path(base) / "moves"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def move_id(src_bucket: str, src: str, dst_bucket: str, dst: str) -> str:
    """Same arguments, same journal: how `ossbrowse mv` run again finds the interrupted move."""
    text = json.dumps([src_bucket, src, dst_bucket, dst], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@dataclass(frozen=True, slots=True)
class PlannedMove:
    src_key: str
    dst_key: str
    etag: str
    size: int
    storage_class: str = "Standard"  # carried over by the copy


@dataclass
class MoveJournal:
    """One move's plan and progress on disk. Not thread-safe: the mover's main thread writes."""

    id: str
    src_bucket: str
    src: str
    dst_bucket: str
    dst: str
    items: list[PlannedMove]
    directory: Path
    created: float = field(default_factory=time.time)
    verified: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    kept: set[int] = field(default_factory=set)  # changed during the move: not deleted
    _log: BinaryIO | None = None  # the open log, once a line has been written

    @property
    def plan_path(self) -> Path:
        return self.directory / f"{self.id}.plan.json"

    @property
    def log_path(self) -> Path:
        return self.directory / f"{self.id}.log"

    @classmethod
    def create(
        cls,
        src_bucket: str,
        src: str,
        dst_bucket: str,
        dst: str,
        items: list[PlannedMove],
        directory: Path | None = None,
    ) -> MoveJournal:
        directory = directory or journal_dir()
        journal = cls(
            move_id(src_bucket, src, dst_bucket, dst),
            src_bucket,
            src,
            dst_bucket,
            dst,
            items,
            directory,
        )
        body = {
            "format": FORMAT,
            "src_bucket": src_bucket,
            "src": src,
            "dst_bucket": dst_bucket,
            "dst": dst,
            "created": journal.created,
            "items": [[i.src_key, i.dst_key, i.etag, i.size, i.storage_class] for i in items],
        }
        try:
            journal.log_path.unlink()
        except FileNotFoundError:
            pass
        write_atomic(journal.plan_path, json.dumps(body, ensure_ascii=False).encode("utf-8"))
        return journal

    @classmethod
    def load(cls, journal_id: str, directory: Path | None = None) -> MoveJournal | None:
        directory = directory or journal_dir()
        plan_path = directory / f"{journal_id}.plan.json"
        try:
            body = json.loads(plan_path.read_text("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return None  # unreadable: treated as absent; OSS still holds every object
        if body.get("format") != FORMAT:
            return None
        items = [PlannedMove(s, d, e, int(n), c) for s, d, e, n, c in body["items"]]
        journal = cls(
            journal_id,
            body["src_bucket"],
            body["src"],
            body["dst_bucket"],
            body["dst"],
            items,
            directory,
            body.get("created", 0.0),
        )
        journal._read_log()
        return journal

    @classmethod
    def find(
        cls, src_bucket: str, src: str, dst_bucket: str, dst: str, directory: Path | None = None
    ) -> MoveJournal | None:
        return cls.load(move_id(src_bucket, src, dst_bucket, dst), directory)

    def _read_log(self) -> None:
        try:
            data = self.log_path.read_bytes()
        except FileNotFoundError:
            return
        for line in data.split(b"\n")[:-1]:  # the last piece is empty or torn
            kind, _, number = line.partition(b" ")
            if not number.isdigit():
                continue
            index = int(number)
            if index >= len(self.items):
                continue
            if kind == b"V":
                self.verified.add(index)
            elif kind == b"D":
                self.verified.add(index)
                self.deleted.add(index)
            elif kind == b"K":
                self.verified.add(index)
                self.kept.add(index)

    def _append(self, kind: str, indices: Iterable[int], *, sync: bool) -> None:
        if self._log is None:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the whole move
        text = "".join(f"{kind} {i}\n" for i in indices)
        self._log.write(text.encode("ascii"))
        self._log.flush()
        if sync:
            os.fsync(self._log.fileno())

    def mark_verified(self, indices: Iterable[int], *, sync: bool = False) -> None:
        indices = list(indices)
        self.verified.update(indices)
        self._append("V", indices, sync=sync)

    def sync(self) -> None:
        """Make every `V` line durable: called before a batch of sources is deleted."""
        if self._log is not None:
            os.fsync(self._log.fileno())

    def mark_deleted(self, indices: Iterable[int]) -> None:
        indices = list(indices)
        self.deleted.update(indices)
        self._append("D", indices, sync=False)

    def mark_kept(self, indices: Iterable[int]) -> None:
        """These sources changed after their copies were made: settled, but not deleted."""
        indices = list(indices)
        self.kept.update(indices)
        self._append("K", indices, sync=False)

    def as_plan(self) -> Plan:
        """The move as a task plan (`tasks.plan`): data another executor can read and split;
        each item's `etag` is what its source must still hold when it is deleted."""
        from ossbrowse.tasks.plan import Plan, WorkItem

        items = tuple(WorkItem(i.src_key, i.dst_key, i.size, i.etag) for i in self.items)
        src, dst = f"{self.src_bucket}:{self.src}", f"{self.dst_bucket}:{self.dst}"
        return Plan("move", src, dst, items, {"journal": self.id})

    @property
    def finished(self) -> bool:
        """Every item settled: moved, or kept because its source changed during the move."""
        return len(self.deleted | self.kept) == len(self.items)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def remove(self) -> None:
        """The move is complete: forget it."""
        self.close()
        for path in (self.log_path, self.plan_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def unfinished(directory: Path | None = None) -> list[MoveJournal]:
    """Journals of moves that did not finish (for `ossbrowse mv --resume` and the UI)."""
    directory = directory or journal_dir()
    found = []
    for plan in sorted(directory.glob("*.plan.json")):
        journal = MoveJournal.load(plan.name.removesuffix(".plan.json"), directory)
        if journal is not None:
            found.append(journal)
    return found
