"""Bucket versioning as OSS does it: version ids, the order of a key's versions, and what a
delete answers.

A key's versions are kept newest first (see `model.BucketState.history`). Each write gets a
number from the store's `VersionClock`, which orders versions and survives a restart (it is
saved with each version); the version id is that number written as an opaque string shaped
like OSS's (`CAEQ...`), in an alphabet whose ASCII order is its numeric order, reversed: a
newer version's id sorts first, as OSS lists a key's versions.

An object written while the bucket never had versioning has `version_id` "" and is listed as
the `null` version; one written while versioning was suspended has "null". Both are "the null
version" that a write or delete in a suspended bucket replaces.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from ossbrowse.emulator.model import BucketState, ObjectMeta

ENABLED = "Enabled"
SUSPENDED = "Suspended"
NULL = "null"
_ALPHABET = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"  # ASCII order
_DIGITS = 11  # 66 bits: any microsecond count
_PREFIX = "CAEQ"


class VersionClock:
    """Numbers for new versions: increasing, microseconds since the epoch when the clock
    allows (so they stay increasing across a restart even before `seen` is told)."""

    def __init__(self) -> None:
        self._last = 0

    def seen(self, seq: int) -> None:
        self._last = max(self._last, seq)

    def tick(self) -> int:
        """The next number (the caller holds the store's lock)."""
        self._last = max(self._last + 1, time.time_ns() // 1000)
        return self._last


def version_id(seq: int) -> str:
    """The id of the version written at `seq`: newer ones sort first as plain strings."""
    n = (1 << (6 * _DIGITS)) - 1 - seq
    digits = []
    for _ in range(_DIGITS):
        digits.append(_ALPHABET[n & 63])
        n >>= 6
    return _PREFIX + "".join(reversed(digits))


def listed_id(meta: ObjectMeta) -> str:
    """The id a version is listed and named by ("null" for the null version)."""
    return meta.version_id or NULL


def versions_of(bucket: BucketState, key: str) -> list[ObjectMeta]:
    """Every version of `key`, newest first (the first is the latest)."""
    live = bucket.objects.get(key)
    older = bucket.history.get(key, [])
    return [live, *older] if live is not None else list(older)


@dataclass(frozen=True)
class Deleted:
    """What a DeleteObject did in a versioned bucket: the version it added (a delete marker)
    or removed, and whether that version is a delete marker. `version_id` None: the bucket
    never had versioning and nothing version-like happened."""

    version_id: str | None
    delete_marker: bool

    def headers(self) -> dict[str, str]:
        """x-oss-version-id and x-oss-delete-marker as OSS answers them."""
        found: dict[str, str] = {}
        if self.version_id is not None:
            found["x-oss-version-id"] = self.version_id
        if self.delete_marker:
            found["x-oss-delete-marker"] = "true"
        return found


def arrange(bucket: BucketState, metas: Iterable[ObjectMeta]) -> int:
    """Put loaded versions in place (disk store at start): per key the newest (highest seq)
    is the live object unless it is a delete marker; the others are history. Answers the
    highest seq seen, for the clock."""
    by_key: dict[str, list[ObjectMeta]] = {}
    top = 0
    for meta in metas:
        by_key.setdefault(meta.key, []).append(meta)
        top = max(top, meta.seq)
    bucket.objects = {}
    bucket.history = {}
    for key, found in by_key.items():
        found.sort(key=lambda m: m.seq, reverse=True)
        if not found[0].delete_marker:
            bucket.objects[key] = found.pop(0)
        if found:
            bucket.history[key] = found
    bucket.keys = sorted(bucket.objects)
    bucket.history_keys = sorted(bucket.history)
    return top


def version_headers(versioning: str, meta: ObjectMeta) -> dict[str, str]:
    """x-oss-version-id for an answer about `meta`: sent for every object of a bucket that has
    (or had) versioning, never in a bucket that did not."""
    if meta.version_id or versioning:
        return {"x-oss-version-id": listed_id(meta)}
    return {}
