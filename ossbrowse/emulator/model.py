"""The records the emulator keeps: buckets, objects, multipart uploads and their parts.

Bodies are not here: `blob` is an opaque reference owned by the storage backend (bytes in
memory, a file path on disk). Everything else round-trips through JSON for the disk store.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

# Storage classes OSS accepts; the archive ones need RestoreObject before a read.
STORAGE_CLASSES = ("Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive")
ARCHIVE_CLASSES = ("Archive", "ColdArchive", "DeepColdArchive")
ACLS = ("default", "private", "public-read", "public-read-write")
BUCKET_ACLS = ("private", "public-read", "public-read-write")

# Standard object headers OSS stores with an object and returns on GET and HEAD.
STORED_HEADERS = (
    "Cache-Control",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Expires",
)


@dataclass
class ObjectMeta:
    key: str
    size: int
    etag: str  # upper-case hex MD5, or "HEX-N" for multipart; without quotes
    crc64: int
    mtime: float
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)  # names without x-oss-meta-
    storage_class: str = "Standard"
    object_type: str = "Normal"
    acl: str = "default"
    restore_until: float | None = None  # restore in progress until then
    restore_expiry: float | None = None  # readable until then
    tags: dict[str, str] = field(default_factory=dict)  # object tagging (x-oss-tagging)
    restore_tier: str | None = None  # the tier of the last Cold Archive restore asked
    # Versioning (see versions.py): "" for an object written while the bucket never had
    # versioning (listed as the `null` version), "null" for one written while it was suspended.
    version_id: str = ""
    delete_marker: bool = False  # no body (blob None), size 0
    seq: int = 0  # when it was written, in the store's version clock: orders a key's versions
    blob: Any = None

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("blob")
        return data

    @classmethod
    def from_json(cls, data: dict, blob: Any) -> ObjectMeta:
        return cls(**data, blob=blob)


@dataclass
class Part:
    number: int
    etag: str
    size: int
    crc64: int
    mtime: float
    blob: Any = None

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("blob")
        return data


@dataclass
class Upload:
    upload_id: str
    key: str
    initiated: float
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    user_meta: dict[str, str] = field(default_factory=dict)
    storage_class: str = "Standard"
    acl: str = "default"
    tags: dict[str, str] = field(default_factory=dict)
    parts: dict[int, Part] = field(default_factory=dict)

    def to_json(self) -> dict:
        data = asdict(self)
        data["parts"] = {}  # parts are saved one file each, beside the upload record
        return data


@dataclass
class BucketState:
    name: str
    created: float = field(default_factory=time.time)
    storage_class: str = "Standard"
    acl: str = "private"
    region: str = "cn-hangzhou"
    objects: dict[str, ObjectMeta] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # sorted: code point order == UTF-8 byte order
    uploads: dict[str, Upload] = field(default_factory=dict)
    versioning: str = ""  # "", "Enabled" or "Suspended" (never back to "")
    # Per key, every version that is not the live object in `objects`, newest first: older
    # versions and delete markers. When a key's latest version is a delete marker, the key is
    # not in `objects` and that marker is history[key][0].
    history: dict[str, list[ObjectMeta]] = field(default_factory=dict)
    history_keys: list[str] = field(default_factory=list)  # sorted, as `keys`

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "created": self.created,
            "storage_class": self.storage_class,
            "acl": self.acl,
            "region": self.region,
            "versioning": self.versioning,
        }
