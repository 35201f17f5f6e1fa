"""The one record of an object, from a listing page or from a HEAD, and the two ways to make it.

Every part of ossbrowse that reads an object's facts (the panes, the transfers, the operations,
the mount compare) reads them from an `ObjectRecord`: `from_listing` builds one from a
ListObjects entry (the fast XML reader and oss2's fallback both call it), `from_head` from a
HEAD's headers (any mapping; names are matched without regard to case). A listing does not
carry everything a HEAD does: `restore_known` is False for an archived object whose listing
said nothing about its restore, and `crc64`, `transition_time` and the ossfs metadata are None
until a HEAD fills them. In a versioned bucket, `from_version` and `delete_marker` make the
records of a ListObjectVersions page: `version_id`, `is_latest` and `delete_marker` say which
version each is (a HEAD fills `version_id` from x-oss-version-id).

The record is compact (a pane may hold a million): slots, shared constants for the common
restore states and for "no user metadata".
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from types import MappingProxyType

from ossbrowse.fs.restore_state import NOT_NEEDED, RestoreState, restore_state
from ossbrowse.fs.storage_classes import ARCHIVE_CLASSES, CLASSES

META_PREFIX = "x-oss-meta-"
MTIME_HEADER = "x-oss-meta-mtime"  # ossfs and ossbrowse uploads: the file's mtime in seconds
MODE_HEADER = "x-oss-meta-mode"  # ossfs: the file's permission bits
NO_META: Mapping[str, str] = MappingProxyType({})
_NAMES: dict[str, str] = {
    name: name for name in (*CLASSES, "Normal", "Multipart", "Appendable", "Symlink")
}


# Not `frozen`: a frozen dataclass sets each field through object.__setattr__, which made
# building a record six times slower (1.3 us against 0.2 us) and a listing page of 1000 keys
# 1.5 ms slower to read. Treat records as values all the same: nothing assigns to a field,
# `dataclasses.replace` makes a changed copy, and they hash by value as before.
@dataclass(slots=True, unsafe_hash=True)
class ObjectRecord:
    """What ossbrowse knows of one object."""

    key: str
    size: int
    etag: str  # without quotes
    last_modified: float | None  # seconds since the epoch; None when the server's date is odd
    storage_class: str = "Standard"
    object_type: str | None = None  # Normal, Multipart, Appendable (HEAD; some listings)
    restore: RestoreState = NOT_NEEDED
    transition_time: float | None = None  # when it became ColdArchive / DeepColdArchive
    crc64: int | None = None
    restore_known: bool = True  # False: archived, the listing said nothing, not HEADed yet
    meta_mtime: float | None = None  # x-oss-meta-mtime
    meta_mode: str | None = None  # x-oss-meta-mode
    # x-oss-meta-* without the prefix (HEAD only); the shared empty mapping otherwise
    user_meta: Mapping[str, str] = field(default_factory=lambda: NO_META, hash=False)
    # Versioned buckets (ListObjectVersions, or a HEAD's x-oss-version-id). The defaults are
    # shared constants, so an unversioned record pays three pointers and nothing else.
    version_id: str = ""  # "" when not known or never versioned; "null" for the null version
    is_latest: bool = True  # False: an older version of its key
    delete_marker: bool = False  # a delete marker: no body, size 0

    @property
    def archived(self) -> bool:
        return self.storage_class in ARCHIVE_CLASSES

    @property
    def mtime(self) -> float | None:
        """The file's modification time: ossfs' x-oss-meta-mtime, else Last-Modified."""
        return self.meta_mtime if self.meta_mtime is not None else self.last_modified


def from_listing(
    key: str,
    last_modified: float | None,
    etag: str | None,
    object_type: str | None,
    size: int,
    storage_class: str | None,
    restore_info: str | None,
) -> ObjectRecord:
    """A record from one ListObjects entry (RestoreInfo is the listing's restore header)."""
    # Every listed object comes through here: all fields positional, and the reader is asked
    # only for archived classes (the others are NOT_NEEDED whatever a listing says).
    # The listing makes a new string per object for the class and the type; the table's own
    # strings are shared instead (about 110 bytes an object in a pane of a million).
    storage = _NAMES.get(storage_class or "Standard") or storage_class or "Standard"
    if object_type is not None:
        object_type = _NAMES.get(object_type) or object_type
    if storage in ARCHIVE_CLASSES:
        restore = restore_state(storage, restore_info)
        # Without RestoreInfo a listing cannot tell "never restored" from "server does not say".
        known = restore_info is not None
    else:
        restore, known = NOT_NEEDED, True
    return ObjectRecord(
        key,
        size,
        etag.strip('"') if etag else "",
        last_modified,
        storage,
        object_type,
        restore,
        None,
        None,
        known,
        None,
        None,
        NO_META,
    )


def from_version(
    key: str,
    version_id: str,
    is_latest: bool,
    last_modified: float | None,
    etag: str | None,
    object_type: str | None,
    size: int,
    storage_class: str | None,
    restore_info: str | None,
) -> ObjectRecord:
    """A record from one ListObjectVersions `Version` entry (see `from_listing`)."""
    record = from_listing(key, last_modified, etag, object_type, size, storage_class, restore_info)
    # Set on the fresh record before anyone sees it (cheaper than dataclasses.replace).
    record.version_id = version_id
    record.is_latest = is_latest
    return record


def delete_marker(
    key: str, version_id: str, is_latest: bool, last_modified: float | None
) -> ObjectRecord:
    """A record for one ListObjectVersions `DeleteMarker` entry: no body, no class of its own."""
    return ObjectRecord(
        key, 0, "", last_modified, version_id=version_id, is_latest=is_latest, delete_marker=True
    )


def http_time(value: str | None) -> float | None:
    """An HTTP date header as seconds since the epoch; None when absent or unreadable."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _number(value: str | None) -> float | None:
    if not value:
        return None
    with contextlib.suppress(ValueError):
        number = float(value)
        if number == number and abs(number) != float("inf"):  # not NaN or infinite
            return number
    return None


def from_head(key: str, headers: Mapping[str, str]) -> ObjectRecord:
    """A record from a HEAD (or GET) answer's headers."""
    h = {name.lower(): value for name, value in headers.items()}
    storage = h.get("x-oss-storage-class") or "Standard"
    crc = h.get("x-oss-hash-crc64ecma")
    length = h.get("content-length")
    user_meta = {
        name[len(META_PREFIX) :]: value for name, value in h.items() if name.startswith(META_PREFIX)
    }
    return ObjectRecord(
        key,
        int(length) if length and length.isdigit() else 0,
        (h.get("etag") or "").strip('"'),
        http_time(h.get("last-modified")),
        storage,
        h.get("x-oss-object-type"),
        restore_state(storage, h.get("x-oss-restore")),
        http_time(h.get("x-oss-transition-time")),
        int(crc) if crc and crc.isdigit() else None,
        True,
        _number(h.get(MTIME_HEADER)),
        h.get(MODE_HEADER),
        MappingProxyType(user_meta) if user_meta else NO_META,
        h.get("x-oss-version-id") or "",
    )
