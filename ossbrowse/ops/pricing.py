"""Price an operation before it runs: requests by kind, objects, bytes, days charged, risks.

Pure logic over enumerated objects; no network. Prices are counts (requests, objects, bytes,
object-days charged early), never money: per-request and per-GB prices differ by region and
storage class and change over time, and no public table was found reliable enough to embed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.storage_classes import MINIMUM_DAYS, RESTORE_OPTIONS, days_left
from ossbrowse.ops.classes import COPY_OBJECT_LIMIT, DELETE_BATCH, MAX_KEY_BYTES
from ossbrowse.text import safe_text

NON_ATOMIC_WARNING = (
    "This is not atomic: OSS has no rename, so every object is copied, checked, then deleted. "
    "If it stops half way, some objects exist under both names (run the same command again "
    "to finish)."
)
DAY = 86400
# A copy above 1 GB goes in parts; this size keeps any object under 10,000 parts.
MIN_COPY_PART = 64 * 1024 * 1024
# An operation bigger than this is offered "run in the background" by the dialogs.
LARGE_OBJECTS = 1000
LARGE_BYTES = 10 * 1024**3


def copy_part_size(size: int) -> int:
    """The part size a multipart (UploadPartCopy) copy of `size` bytes uses."""
    return max(MIN_COPY_PART, math.ceil(size / 10_000))


def copy_parts(size: int) -> int:
    return max(1, math.ceil(size / copy_part_size(size)))


@dataclass(frozen=True, slots=True)
class EarlyDeletion:
    """An object removed before its class's minimum storage duration: the rest is charged."""

    key: str
    storage_class: str
    size: int
    age_days: int
    charged_days: int  # minimum - age: the days OSS bills as if it were still stored


@dataclass(frozen=True, slots=True)
class Blocked:
    key: str
    reason: str


@dataclass(slots=True)
class Price:
    """What an operation will cost, in things a person can count."""

    operation: str  # "move", "delete", "edit", "overwrite", "restore"
    objects: int = 0
    bytes: int = 0
    requests: dict[str, int] = field(default_factory=dict)
    multipart_copies: list[ObjectRecord] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    early_deletions: list[EarlyDeletion] = field(default_factory=list)
    overwrites: int = 0
    download_bytes: int = 0
    upload_bytes: int = 0
    restore_waits: dict[str, str] = field(default_factory=dict)  # storage class -> wait
    non_atomic: bool = False
    # The bucket's versioning ("Enabled", "Suspended", "" never enabled): what a delete, a
    # rename or an overwrite really frees there (see ops.version_pricing).
    versioning: str = ""
    delete_markers: int = 0  # markers a delete adds (a versioned bucket frees nothing)
    freed_bytes: int = 0  # bytes no longer billed once it ran
    kept_versions: int = 0  # versions that stay billed (under their old names)
    kept_bytes: int = 0
    deletes: int = 0  # a sync's extras deleted at the destination (`objects` counts its copies)
    delete_bytes: int = 0

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def charged_object_days(self) -> int:
        return sum(e.charged_days for e in self.early_deletions)

    @property
    def charged_byte_days(self) -> int:
        return sum(e.charged_days * e.size for e in self.early_deletions)

    @property
    def large(self) -> bool:
        """Big enough to offer running in the background."""
        return self.objects >= LARGE_OBJECTS or self.bytes >= LARGE_BYTES

    @property
    def expensive(self) -> bool:
        """Worth a confirmation even from a script: anything beyond one cheap request pair.

        Without a terminal and without --yes, the verbs refuse an expensive operation. Deleting
        versions is always expensive: it cannot be undone.
        """
        return bool(
            self.objects > 1
            or self.early_deletions
            or self.blocked
            or self.multipart_copies
            or self.overwrites
            or self.deletes
            or self.operation in ("restore", "delete-versions")
            or self.bytes >= COPY_OBJECT_LIMIT
        )

    def add_requests(self, kind: str, count: int) -> None:
        if count:
            self.requests[kind] = self.requests.get(kind, 0) + count


def early_deletion(obj: ObjectRecord, now: float) -> EarlyDeletion | None:
    """The early-deletion charge of removing `obj` at `now`, if it is younger than allowed."""
    left = days_left(obj.storage_class, obj.last_modified, obj.transition_time, now)
    if not left:
        return None
    age_days = MINIMUM_DAYS[obj.storage_class] - left
    return EarlyDeletion(obj.key, obj.storage_class, obj.size, age_days, left)


def blocked_reason(obj: ObjectRecord, new_key: str | None = None) -> str | None:
    """Why OSS would refuse to copy `obj` (to `new_key`) as it is, or None."""
    if obj.archived and not obj.restore.readable:
        restoring = obj.restore.status.value == "in-progress"
        state = "is being restored" if restoring else "is not restored"
        return f"{obj.storage_class} object that {state}: OSS cannot copy it until it is restored"
    if new_key is not None:
        length = len(new_key.encode("utf-8"))
        if length > MAX_KEY_BYTES:
            return f"the new name would be {length} bytes long; OSS allows at most {MAX_KEY_BYTES}"
        if new_key.startswith(("/", "\\")):
            return "the new name would start with '/' or '\\', which OSS refuses"
    return None


def _list_requests(list_requests: int) -> int:
    return max(1, list_requests)


def price_move(
    pairs: Sequence[tuple[ObjectRecord, str]],
    *,
    list_requests: int = 1,
    head_requests: int = 0,
    existing: dict[str, ObjectRecord] | None = None,
    dest_list_requests: int = 0,
    now: float | None = None,
    versioning: str = "",
    dest_versioning: str | None = None,
) -> Price:
    """Price moving each (object, new key): copy (multipart above 1 GB), verify, delete.

    `existing` holds the objects already under the new names: they are overwritten whole, and
    overwriting a young IA or archive object is charged like deleting it. In a versioned
    bucket (`versioning`, `dest_versioning` when the destination is another bucket) the old
    names keep their versions billed and an overwritten object stays as an older version.
    """
    now = time.time() if now is None else now
    existing = existing or {}
    dest_versioning = versioning if dest_versioning is None else dest_versioning
    price = Price("move", non_atomic=True, versioning=versioning)
    price.add_requests("ListObjectsV2", _list_requests(list_requests) + dest_list_requests)
    price.add_requests("HeadObject", head_requests)
    movable = 0
    for obj, new_key in pairs:
        price.objects += 1
        price.bytes += obj.size
        reason = blocked_reason(obj, new_key)
        if reason:
            price.blocked.append(Blocked(obj.key, reason))
            continue
        movable += 1
        if obj.size > COPY_OBJECT_LIMIT:
            price.multipart_copies.append(obj)
            price.add_requests("InitiateMultipartUpload", 1)
            price.add_requests("UploadPartCopy", copy_parts(obj.size))
            price.add_requests("CompleteMultipartUpload", 1)
        else:
            price.add_requests("CopyObject", 1)
        count_removed(price, obj, versioning, now)
        old = existing.get(new_key)
        if old is not None and old.key != obj.key:
            price.overwrites += 1
            count_replaced(price, old, dest_versioning, now)
    price.add_requests("DeleteMultipleObjects", math.ceil(movable / DELETE_BATCH))
    return price


def price_delete(
    objects: Iterable[ObjectRecord],
    *,
    list_requests: int = 0,
    head_requests: int = 0,
    now: float | None = None,
    versioning: str = "",
) -> Price:
    """Price deleting the objects in batches of up to 1000 keys.

    In a versioned bucket a delete only adds a delete marker: nothing is freed, and no early
    deletion is charged (the data stays, as an older version)."""
    now = time.time() if now is None else now
    price = Price("delete", versioning=versioning)
    price.add_requests("ListObjectsV2", list_requests)
    price.add_requests("HeadObject", head_requests)
    for obj in objects:
        price.objects += 1
        price.bytes += obj.size
        count_removed(price, obj, versioning, now)
    price.add_requests("DeleteMultipleObjects", math.ceil(price.objects / DELETE_BATCH))
    return price


def price_edit(
    obj: ObjectRecord,
    new_size: int | None = None,
    *,
    now: float | None = None,
    versioning: str = "",
) -> Price:
    """Price editing one object: the whole object down, and the whole object up again."""
    now = time.time() if now is None else now
    price = Price("edit", objects=1, bytes=obj.size, download_bytes=obj.size, versioning=versioning)
    price.add_requests("HeadObject", 2)  # before download, and the changed-meanwhile check
    price.add_requests("GetObject", 1)
    if new_size is not None:
        price.upload_bytes = new_size
        price.add_requests("PutObject", 1)
        # a replaced object counts as deleted for the minimum storage duration (unversioned)
        count_replaced(price, obj, versioning, now)
    reason = blocked_reason(obj)
    if reason:
        price.blocked.append(Blocked(obj.key, reason))
    return price


def price_overwrite(
    target: ObjectRecord, new_size: int, *, now: float | None = None, versioning: str = ""
) -> Price:
    """Price replacing an existing object by a copy or upload of `new_size` bytes."""
    now = time.time() if now is None else now
    price = Price(
        "overwrite",
        objects=1,
        bytes=new_size,
        upload_bytes=new_size,
        overwrites=1,
        versioning=versioning,
    )
    count_replaced(price, target, versioning, now)
    return price


def _frees(obj: ObjectRecord, versioning: str) -> bool:
    """Whether removing or replacing the current version of `obj` frees its bytes.

    Unversioned: yes. Enabled: never (it stays as an older version). Suspended: only when the
    current version is the `null` one (OSS replaces it); a version written while versioning
    was on stays. A record that does not say which version it is (a plain listing) is
    counted as kept: the price never promises bytes it cannot be sure to free."""
    if versioning == "Enabled":
        return False
    if versioning == "Suspended":
        return obj.version_id == "null"
    return True


def count_removed(price: Price, obj: ObjectRecord, versioning: str, now: float) -> None:
    """`obj` is deleted (or moved away from its name): a marker, bytes freed or kept."""
    if versioning:
        price.delete_markers += 1
    count_replaced(price, obj, versioning, now)


def count_replaced(price: Price, obj: ObjectRecord, versioning: str, now: float) -> None:
    """The current version of `obj` goes (deleted or overwritten): freed, or kept billed."""
    if _frees(obj, versioning):
        price.freed_bytes += obj.size
        charge = early_deletion(obj, now)
        if charge:
            price.early_deletions.append(charge)
    else:
        price.kept_versions += 1
        price.kept_bytes += obj.size


def price_restore(
    objects: Iterable[ObjectRecord],
    *,
    list_requests: int = 0,
    head_requests: int = 0,
    tier: str | None = None,
) -> Price:
    """Price restoring archived objects: one RestoreObject each; readable ones are skipped."""
    price = Price("restore")
    price.add_requests("ListObjectsV2", list_requests)
    price.add_requests("HeadObject", head_requests)
    for obj in objects:
        options = RESTORE_OPTIONS.get(obj.storage_class)
        if options is None:
            continue
        price.objects += 1
        price.bytes += obj.size
        price.restore_waits[obj.storage_class] = options.expected_wait(tier)
    price.add_requests("RestoreObject", price.objects)
    return price


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def human_bytes(count: int) -> str:
    import humanize

    text = humanize.naturalsize(count, binary=True)
    return text if count < 1024 else f"{text} ({count:,} bytes)"


VERBS = {
    "move": "copied then deleted",
    "delete": "deleted",
    "edit": "downloaded and uploaded again whole",
    "overwrite": "replaced whole",
    "restore": "restored",
    "delete-versions": "deleted permanently, version by version (this cannot be undone)",
    "undelete": "brought back (their delete markers removed)",
    # Both ways a revert changes an object: what existed then is copied back, what did not
    # gets a delete marker (the line below says how many); "restored" alone miscounted those.
    "revert": "reverted (an older version copied over the current one, or hidden)",
    "sync": "copied to the destination (missing or different there)",
}
_NOUNS = {"delete-versions": "version"}
# A delete in a versioned bucket removes nothing: the first line must not say "deleted".
VERSIONED_VERBS = {"delete": "hidden behind delete markers (nothing is freed)"}


def _verb(price: Price) -> str:
    if price.versioning and price.operation in VERSIONED_VERBS:
        return VERSIONED_VERBS[price.operation]
    return VERBS.get(price.operation, price.operation)


def _amount(count: int) -> str:
    """Bytes as `human_bytes` says them, nothing as "0 bytes" (humanize says "0 Bytes")."""
    return human_bytes(count) if count else "0 bytes"


def versioning_lines(price: Price) -> list[str]:
    """What versioning changes in the price: markers added, bytes freed, versions kept."""
    if not price.versioning:
        return []
    state = f"Versioning is {price.versioning.lower()} on this bucket"
    kept = (
        f"{_plural(price.kept_versions, 'version')}, {human_bytes(price.kept_bytes)}"
        if price.kept_versions
        else "nothing more"
    )
    if price.operation == "delete":
        return [
            f"{state}: adds {_plural(price.delete_markers, 'delete marker')}; "
            f"frees {_amount(price.freed_bytes)}; the old versions keep costing ({kept} "
            "stay billed until deleted permanently)."
        ]
    if price.operation == "move":
        lines = [
            f"{state}: old versions stay billed under the old names ({kept}); each old name "
            "gets a delete marker."
        ]
        if price.freed_bytes:
            lines.append(f"Freed: {human_bytes(price.freed_bytes)} (null versions replaced).")
        return lines
    if price.operation in ("edit", "overwrite", "revert"):
        lines = []
        if price.kept_versions:
            lines.append(f"{state}: the previous version stays billed ({kept}).")
        if price.freed_bytes:  # only a null version is replaced; nothing replaced, no line
            lines.append(f"{state}: the null version is replaced; it is not kept.")
        if price.delete_markers:
            lines.append(
                f"{_plural(price.delete_markers, 'object')} that did not exist then "
                + (
                    "gets a delete marker (its versions stay billed)."
                    if price.delete_markers == 1
                    else "get a delete marker (their versions stay billed)."
                )
            )
        return lines
    if price.operation == "sync":
        lines = []
        if price.kept_versions:
            lines.append(f"{state}: the previous versions stay billed ({kept}).")
        if price.delete_markers:
            lines.append(
                f"Each object deleted there gets a delete marker "
                f"({_plural(price.delete_markers, 'marker')}); its versions stay billed."
            )
        return lines
    if price.operation == "undelete":
        return [
            f"Removes {_plural(price.delete_markers, 'delete marker')}; nothing is copied and "
            "no bytes are added (the versions that come back were billed all along)."
        ]
    if price.operation == "delete-versions":
        return [
            f"Frees {human_bytes(price.freed_bytes)}. These versions are gone for good: no "
            "undelete or revert can bring them back."
        ]
    return []


def describe_price(price: Price, *, limit: int = 5) -> list[str]:
    """The price in plain words, one line a fact; names escaped for a terminal."""
    lines = [
        f"{_plural(price.objects, _NOUNS.get(price.operation, 'object'))}, "
        f"{human_bytes(price.bytes)}, {_verb(price)}."
    ]
    lines.extend(versioning_lines(price))
    if price.requests:
        parts = ", ".join(f"{n:,} {kind}" for kind, n in price.requests.items())
        lines.append(f"Requests: {parts} ({price.total_requests:,} in all).")
    if price.operation == "edit":
        lines.append(f"Download: {human_bytes(price.download_bytes)}.")
        if price.upload_bytes:
            lines.append(f"Upload: {human_bytes(price.upload_bytes)} (the whole object again).")
    if price.multipart_copies:
        lines.append(
            f"{_plural(len(price.multipart_copies), 'object')} over 1 GB need a multipart copy "
            "(UploadPartCopy)."
        )
    if price.overwrites:
        lines.append(
            f"{_plural(price.overwrites, 'object')} already at the destination will be replaced."
        )
    if price.deletes:
        lines.append(
            f"{_plural(price.deletes, 'extra')} at the destination, not in the source, will be "
            f"deleted ({human_bytes(price.delete_bytes)})."
        )
    if price.early_deletions:
        by_class: dict[str, list[EarlyDeletion]] = {}
        for e in price.early_deletions:
            by_class.setdefault(e.storage_class, []).append(e)
        for cls, items in sorted(by_class.items()):
            days = sum(e.charged_days for e in items)
            size = sum(e.size for e in items)
            lines.append(
                f"Early deletion: {_plural(len(items), 'object')} in {cls} younger than "
                f"{MINIMUM_DAYS[cls]} days ({human_bytes(size)}): OSS charges storage for "
                f"{days:,} more object-days."
            )
    if price.restore_waits:
        for cls, wait in sorted(price.restore_waits.items()):
            lines.append(f"{cls}: expected wait {wait}.")
    if price.blocked:
        lines.append(f"Cannot be done as they are ({_plural(len(price.blocked), 'object')}):")
        for b in price.blocked[:limit]:
            lines.append(f"  {safe_text(b.key)}: {b.reason}")
        if len(price.blocked) > limit:
            lines.append(f"  ... and {len(price.blocked) - limit:,} more")
    if price.non_atomic:
        lines.append(NON_ATOMIC_WARNING)
    lines.append("Counts, not money: prices per request and per GB depend on region and class.")
    return lines
