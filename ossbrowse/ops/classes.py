"""What OSS storage classes cost to leave early and how they restore: the facts, with sources.

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
"""

from __future__ import annotations

from dataclasses import dataclass

# Minimum storage duration in days, and whether it counts from the transition time rather
# than from Last-Modified.
MINIMUM_DAYS: dict[str, int] = {"IA": 30, "Archive": 60, "ColdArchive": 180, "DeepColdArchive": 180}
COUNTS_FROM_TRANSITION = frozenset({"ColdArchive", "DeepColdArchive"})

ARCHIVE_CLASSES = frozenset({"Archive", "ColdArchive", "DeepColdArchive"})

# CopyObject copies sources up to 1 GB; above that the copy is multipart (UploadPartCopy).
COPY_OBJECT_LIMIT = 1024**3
MAX_KEY_BYTES = 1023
DELETE_BATCH = 1000  # DeleteMultipleObjects takes at most 1000 keys
LIST_PAGE = 1000  # ListObjectsV2 returns at most 1000 keys a page


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


RESTORE_OPTIONS: dict[str, RestoreOptions] = {
    "Archive": RestoreOptions("Archive", 1, 7, (), None, "about 1 minute"),
    "ColdArchive": RestoreOptions(
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
    "DeepColdArchive": RestoreOptions(
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
}


def restore_options(storage_class: str | None) -> RestoreOptions | None:
    """How an object of this class restores; None for classes that need no restore."""
    return RESTORE_OPTIONS.get(storage_class or "")


def minimum_days(storage_class: str | None) -> int:
    return MINIMUM_DAYS.get(storage_class or "", 0)
