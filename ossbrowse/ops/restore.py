"""Restore archived objects: per-class days and tiers, batches, polling, and a download hook.

RestoreObject answers 202 when a restore starts, 200 when the object was already restored
(the copy's life is extended), and 409 RestoreAlreadyInProgress while one runs: that last is
"already restoring", never an error here. Progress is only visible through HEAD
(`x-oss-restore`), so a watcher polls the restoring objects in the background and calls back
when each becomes readable ("download when ready" queues its transfer from that callback).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ossbrowse.errors import UsageError
from ossbrowse.fs.base import RestoreState, RestoreStatus
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.storage_classes import RestoreOptions, restore_options
from ossbrowse.ops.copying import with_retries
from ossbrowse.ops.listing import (
    ProgressCallback,
    enumerate_keys,
    enumerate_prefix,
    head_object,
)
from ossbrowse.ops.pricing import Price, price_restore
from ossbrowse.tasks.control import Control, check
from ossbrowse.text import safe_text


class RestoreOutcome(enum.Enum):
    STARTED = "started"  # 202
    EXTENDED = "extended"  # 200: it was restored; its copy lives longer now
    ALREADY_RESTORING = "already restoring"  # 409 RestoreAlreadyInProgress
    NOT_ARCHIVED = "not archived"  # readable as it is: nothing to restore


def check_choice(options: RestoreOptions, days: int, tier: str | None) -> tuple[int, str | None]:
    """Validate days and tier for one class; returns the tier to send (None: no tier)."""
    cls = options.storage_class
    if not options.min_days <= days <= options.max_days:
        raise UsageError(
            f"{cls} objects stay restored {options.min_days} to {options.max_days} days, "
            f"not {days}.",
            hint=f"Use --days between {options.min_days} and {options.max_days}.",
        )
    if not options.tiers:
        return days, None
    chosen = options.tier(tier)
    if chosen is None:
        names = ", ".join(t.name for t in options.tiers)
        raise UsageError(f"{cls} restores take one of these tiers: {names}; not {tier}.")
    return days, chosen.name


def fit_choice(options: RestoreOptions, days: int, tier: str | None) -> tuple[int, str | None]:
    """For a batch of mixed classes: clamp days to the class's range, fall back to its tier."""
    days = max(options.min_days, min(options.max_days, days))
    if not options.tiers:
        return days, None
    chosen = options.tier(tier) or options.tier(None)
    return days, chosen.name if chosen else None


def request_restore(
    bucket: Any, key: str, storage_class: str | None, *, days: int = 1, tier: str | None = None
) -> RestoreOutcome:
    """Send one RestoreObject; the class decides whether a tier goes with it."""
    from ossbrowse.errors import OperationNotSupported, RestoreInProgress
    from ossbrowse.fs.gateway.objects import restore_object

    options = restore_options(storage_class)
    if options is None:
        return RestoreOutcome.NOT_ARCHIVED
    days, tier = check_choice(options, days, tier)
    try:
        status = with_retries(lambda: restore_object(bucket, key, days, tier))
    except RestoreInProgress:
        return RestoreOutcome.ALREADY_RESTORING
    except OperationNotSupported:
        return RestoreOutcome.NOT_ARCHIVED
    return RestoreOutcome.EXTENDED if status == 200 else RestoreOutcome.STARTED


@dataclass
class RestorePlan:
    bucket: object
    objects: list[ObjectRecord]  # archived objects only
    readable: int  # objects that needed no restore (Standard, IA)
    price: Price


@dataclass
class RestoreReport:
    outcomes: dict[str, RestoreOutcome] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)
    adjusted: list[str] = field(default_factory=list)  # plain-words notes on clamped choices
    cancelled: bool = False

    def count(self, outcome: RestoreOutcome) -> int:
        return sum(1 for o in self.outcomes.values() if o is outcome)


def plan_restore(
    bucket: Any,
    *,
    prefix: str | None = None,
    keys: Iterable[str] | None = None,
    tier: str | None = None,
    on_progress: ProgressCallback | None = None,
    cancel: Control | None = None,
    select: Callable[[str, ObjectRecord], bool] | None = None,
) -> RestorePlan:
    """The archived objects under a prefix or among keys, priced; readable ones are counted.
    `select` (a filter, see `ops.filters`) keeps what it selects below the prefix."""
    objects: list[ObjectRecord] = []
    lists = heads = 0
    if prefix is not None:
        found = enumerate_prefix(
            bucket, prefix, on_progress=on_progress, cancel=cancel, select=select
        )
        objects += found.objects
        lists, heads = found.list_requests, found.head_requests
    if keys:
        found = enumerate_keys(bucket, keys, cancel=cancel)
        objects += found.objects
        heads += found.head_requests
    archived = [o for o in objects if o.archived]
    price = price_restore(archived, list_requests=lists, head_requests=heads, tier=tier)
    return RestorePlan(bucket, archived, len(objects) - len(archived), price)


def run_restore(
    plan: RestorePlan,
    *,
    days: int = 1,
    tier: str | None = None,
    threads: int = 8,
    cancel: Control | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> RestoreReport:
    """Send RestoreObject for each planned object, in parallel; days and tier fitted per class."""
    report = RestoreReport()
    notes: set[str] = set()
    lock = threading.Lock()
    done = [0]

    def one(obj: ObjectRecord) -> None:
        check(cancel)
        options = restore_options(obj.storage_class)
        if options is None:
            return
        fitted_days, fitted_tier = fit_choice(options, days, tier)
        note = None
        if fitted_days != days:
            note = f"{obj.storage_class} objects are restored for {fitted_days} days (its limit)."
        elif tier and fitted_tier and fitted_tier.lower() != tier.lower():
            note = f"{obj.storage_class} has no {tier} tier: {fitted_tier} was used."
        try:
            outcome = request_restore(
                bucket, obj.key, obj.storage_class, days=fitted_days, tier=fitted_tier
            )
        except Exception as exc:
            with lock:
                report.failed.append((obj.key, str(exc)))
            return
        with lock:
            report.outcomes[obj.key] = outcome
            if note:
                notes.add(note)
            done[0] += 1
            if on_progress:
                on_progress(done[0], len(plan.objects))

    bucket = plan.bucket
    from ossbrowse.tasks import Cancelled

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for future in [pool.submit(one, o) for o in plan.objects]:
            try:
                future.result()
            except Cancelled:
                report.cancelled = True
    report.adjusted = sorted(notes)
    return report


def current_state(bucket: Any, key: str) -> RestoreState:
    """HEAD the object and read its restore state."""
    found = head_object(bucket, key)
    return found.restore


def wait_restored(
    bucket: Any,
    keys: Iterable[str],
    *,
    interval: float = 5.0,
    timeout: float | None = None,
    cancel: Control | None = None,
    on_change: Callable[[str, RestoreState], None] | None = None,
) -> dict[str, RestoreState]:
    """Poll until every key is readable (or the timeout); returns the last state of each."""
    import time

    token = cancel or Control()
    pending = list(dict.fromkeys(keys))
    states: dict[str, RestoreState] = {}
    deadline = None if timeout is None else time.monotonic() + timeout
    while pending:
        for key in list(pending):
            token.check()
            state = current_state(bucket, key)
            if states.get(key) != state and on_change:
                on_change(key, state)
            states[key] = state
            if state.readable:
                pending.remove(key)
        if not pending or (deadline is not None and time.monotonic() >= deadline):
            break
        if token.wait(interval):
            token.check()
    return states


ReadyCallback = Callable[[object, str, RestoreState], None]


class RestoreWatcher:
    """Polls restoring objects in a background thread; rows update through `on_change`.

    `watch(bucket, key, on_ready=...)` adds an object; `on_ready(bucket, key, state)` runs once
    when it becomes readable, from the watcher's thread: the UI's "download when ready" queues
    its transfer there. Callbacks must not block for long.
    """

    def __init__(
        self,
        *,
        interval: float = 10.0,
        on_change: Callable[[str, str, RestoreState], None] | None = None,
    ) -> None:
        self.interval = interval
        self.on_change = on_change
        self._lock = threading.Lock()
        self._watched: dict[tuple[str, str], tuple[object, list[ReadyCallback], RestoreState]] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, bucket: Any, key: str, *, on_ready: ReadyCallback | None = None) -> None:
        with self._lock:
            name = (bucket.bucket_name, key)
            _, callbacks, state = self._watched.get(name, (bucket, [], RestoreState()))
            if on_ready is not None:
                callbacks.append(on_ready)
            self._watched[name] = (bucket, callbacks, state)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ossbrowse-restore-watch", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def watching(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self._watched)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                items = list(self._watched.items())
            for (bucket_name, key), (bucket, callbacks, old) in items:
                if self._stop.is_set():
                    return
                try:
                    state = current_state(bucket, key)
                except Exception:
                    continue  # a network hiccup: the next round asks again
                if state != old and self.on_change:
                    self.on_change(bucket_name, key, state)
                if state.readable:
                    with self._lock:
                        self._watched.pop((bucket_name, key), None)
                    for callback in callbacks:
                        try:
                            callback(bucket, key, state)
                        except Exception:
                            pass  # the callback owns its errors (the UI notifies)
                else:
                    with self._lock:
                        if (bucket_name, key) in self._watched:
                            self._watched[(bucket_name, key)] = (bucket, callbacks, state)
            self._wake.wait(self.interval)
            self._wake.clear()


def describe_restore_report(report: RestoreReport) -> list[str]:
    lines = [
        f"Restore started for {report.count(RestoreOutcome.STARTED):,} objects; "
        f"{report.count(RestoreOutcome.ALREADY_RESTORING):,} already restoring; "
        f"{report.count(RestoreOutcome.EXTENDED):,} already restored (kept longer)."
    ]
    lines.extend(report.adjusted)
    for key, why in report.failed[:10]:
        lines.append(f"  failed: {safe_text(key)}: {why}")
    if report.cancelled:
        lines.append("Cancelled: the requests already sent still run on OSS.")
    return lines


def is_restoring(state: RestoreState) -> bool:
    return state.status is RestoreStatus.IN_PROGRESS
