"""The one table of OSS storage classes: archived or not, minimum storage, how each restores.

Minimum storage durations (deleting or overwriting earlier is charged for the remaining days):
IA 30 days and Archive 60 days counted from the object's last-modified time; ColdArchive and
DeepColdArchive 180 days counted from the time the object became that class
(x-oss-transition-time when OSS reports it). Source: "How can I avoid being charged for the
storage usage of objects that are stored for less than the minimum storage duration?",
https://www.alibabacloud.com/help/en/oss/how-can-i-avoid-the-cost-of-insufficient-storage and
".../product-overview/billing-method-for-objects-whose-storage-duration-is-less-than-the-
minimum-storage-duration" (both checked for this module).

Restore (https://www.alibabacloud.com/help/en/oss/user-guide/restore-objects-for-access):
Archive restores in about 1 minute and stays readable 1 to 7 days; ColdArchive 1 to 365 days,
tiers Expedited (within 1 hour), Standard (2 to 5 hours), Bulk (5 to 12 hours);
DeepColdArchive 1 to 365 days, tiers Expedited (within 12 hours) and Standard (within 48
hours). A second request with the same tier while restoring is 409 RestoreAlreadyInProgress;
a request on a restored object answers 200 and extends it. oss2's own docstrings give older
figures (Standard within 5 h, Bulk within 10 h); the current documentation wins.

Everything else (ARCHIVE_CLASSES, MINIMUM_DAYS, ...) is derived from `CLASSES`, so a new class
or a changed figure is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tier:
    name: str
    wait: str  # in words, as the documentation gives it
    wait_seconds: int  # the upper end, for "expected by" estimates


@dataclass(frozen=True, slots=True)
class RestoreOptions:
    storage_class: str
    min_days: int
    max_days: int
    tiers: tuple[Tier, ...]  # empty: the class takes no tier
    default_tier: str | None
    wait: str  # without a tier

    def tier(self, name: str | None) -> Tier | None:
        if not self.tiers:
            return None
        wanted = (name or self.default_tier or "").lower()
        for tier in self.tiers:
            if tier.name.lower() == wanted:
                return tier
        return None

    def expected_wait(self, tier: str | None = None) -> str:
        found = self.tier(tier)
        return found.wait if found else self.wait


@dataclass(frozen=True, slots=True)
class StorageClass:
    """One storage class: its OSS name and the rules that follow from it."""

    name: str
    minimum_days: int = 0  # deleting or overwriting earlier is charged for the rest
    counts_from_transition: bool = False  # the minimum counts from x-oss-transition-time
    restore: RestoreOptions | None = None  # None: readable without a restore

    @property
    def archived(self) -> bool:
        return self.restore is not None


CLASSES: dict[str, StorageClass] = {
    c.name: c
    for c in (
        StorageClass("Standard"),
        StorageClass("IA", minimum_days=30),
        StorageClass(
            "Archive",
            minimum_days=60,
            restore=RestoreOptions("Archive", 1, 7, (), None, "about 1 minute"),
        ),
        StorageClass(
            "ColdArchive",
            minimum_days=180,
            counts_from_transition=True,
            restore=RestoreOptions(
                "ColdArchive",
                1,
                365,
                (
                    Tier("Expedited", "within 1 hour", 3600),
                    Tier("Standard", "2 to 5 hours", 5 * 3600),
                    Tier("Bulk", "5 to 12 hours", 12 * 3600),
                ),
                "Standard",
                "2 to 5 hours",
            ),
        ),
        StorageClass(
            "DeepColdArchive",
            minimum_days=180,
            counts_from_transition=True,
            restore=RestoreOptions(
                "DeepColdArchive",
                1,
                365,
                (
                    Tier("Expedited", "within 12 hours", 12 * 3600),
                    Tier("Standard", "within 48 hours", 48 * 3600),
                ),
                "Standard",
                "within 48 hours",
            ),
        ),
    )
}

ARCHIVE_CLASSES = frozenset(name for name, c in CLASSES.items() if c.archived)
MINIMUM_DAYS: dict[str, int] = {n: c.minimum_days for n, c in CLASSES.items() if c.minimum_days}
COUNTS_FROM_TRANSITION = frozenset(n for n, c in CLASSES.items() if c.counts_from_transition)
RESTORE_OPTIONS: dict[str, RestoreOptions] = {
    n: c.restore for n, c in CLASSES.items() if c.restore is not None
}


def storage_class(name: str | None) -> StorageClass | None:
    """The table's row for a class name; None for a class OSS added after this table."""
    return CLASSES.get(name or "")


def is_archived(name: str | None) -> bool:
    return name in ARCHIVE_CLASSES


def restore_options(name: str | None) -> RestoreOptions | None:
    """How an object of this class restores; None for classes that need no restore."""
    return RESTORE_OPTIONS.get(name or "")


def minimum_days(name: str | None) -> int:
    return MINIMUM_DAYS.get(name or "", 0)


def early_deletion_start(
    name: str | None, last_modified: float, transition_time: float | None
) -> float:
    """When the minimum storage duration started: the transition time for the cold classes
    (when OSS reports it), else the last modification."""
    if name in COUNTS_FROM_TRANSITION and transition_time:
        return transition_time
    return last_modified


DAY = 86400


def days_left(
    name: str | None, last_modified: float | None, transition_time: float | None, now: float
) -> int:
    """Whole days of the class's minimum storage duration still to run at `now` (0: none):
    what OSS charges for if the object is deleted or overwritten now."""
    minimum = MINIMUM_DAYS.get(name or "", 0)
    if not minimum:
        return 0
    start = early_deletion_start(name, last_modified or 0.0, transition_time)
    age_days = max(0, int((now - start) // DAY))
    return max(0, minimum - age_days)
