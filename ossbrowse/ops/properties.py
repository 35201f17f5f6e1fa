"""An object's properties, read and changed: headers, user metadata, storage class, ACL, tags.

OSS changes headers, metadata and storage class only by copying the object onto itself with
`x-oss-metadata-directive: REPLACE`: a new object replaces the old, so it is priced like an
overwrite (a class with a minimum storage duration charges the days left; Archive objects must
be restored first). The copy carries `x-oss-copy-source-if-match` with the ETag that was read,
so an object changed meanwhile is refused (412), never clobbered. ACL (PutObjectAcl) and tags
(Put/DeleteObjectTagging) change in place: one request each, no copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from ossbrowse.errors import OssBrowseError, PreconditionFailed
from ossbrowse.fs import storage_classes
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.classes import COPY_OBJECT_LIMIT
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.listing import info_from_head
from ossbrowse.ops.pricing import Blocked, Price, blocked_reason, early_deletion
from ossbrowse.text import safe_text

ACLS = ("default", "private", "public-read", "public-read-write")
CLASSES = tuple(storage_classes.CLASSES)  # the table's classes, in its order
HEADERS = {  # field -> HTTP header
    "content_type": "Content-Type",
    "cache_control": "Cache-Control",
    "content_disposition": "Content-Disposition",
    "content_encoding": "Content-Encoding",
}


@dataclass(frozen=True)
class ObjectProperties:
    key: str
    content_type: str = ""
    cache_control: str = ""
    content_disposition: str = ""
    content_encoding: str = ""
    storage_class: str = "Standard"
    acl: str = "default"  # "default": the bucket's ACL applies
    user_meta: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    info: ObjectRecord | None = None  # what was read: ETag (for if-match), size, age

    def needs_copy(self, other: ObjectProperties) -> bool:
        """Whether going from self to other changes what only a copy onto itself changes."""
        return any(getattr(self, name) != getattr(other, name) for name in HEADERS) or (
            self.storage_class != other.storage_class or self.user_meta != other.user_meta
        )


@dataclass
class PropertyChange:
    bucket: Any
    before: ObjectProperties
    after: ObjectProperties
    price: Price

    @property
    def copy(self) -> bool:
        return self.before.needs_copy(self.after)

    @property
    def acl(self) -> bool:
        return self.before.acl != self.after.acl

    @property
    def tags(self) -> bool:
        return self.before.tags != self.after.tags

    @property
    def nothing(self) -> bool:
        return not (self.copy or self.acl or self.tags)


def read_tags(bucket, key: str) -> dict[str, str]:
    return objects.read_tags(bucket, key)


def read_properties(bucket, key: str) -> ObjectProperties:
    """HEAD, GetObjectAcl and GetObjectTagging of one object."""
    head = objects.head_answer(bucket, key)
    acl = objects.read_object_acl(bucket, key)
    headers = head.headers
    info = info_from_head(key, head)  # the one HEAD reader: class and user metadata from it
    return ObjectProperties(
        key=key,
        storage_class=info.storage_class,
        acl=acl or "default",
        user_meta=dict(info.user_meta),
        tags=read_tags(bucket, key),
        info=info,
        **{name: headers.get(header, "") for name, header in HEADERS.items()},
    )


def plan_change(bucket, before: ObjectProperties, after: ObjectProperties,
                *, now: float | None = None) -> PropertyChange:  # fmt: skip
    """What changing `before` into `after` costs; nothing is changed."""
    now = time.time() if now is None else now
    # Through a copy the object is replaced whole: priced (and worded) as an overwrite.
    operation = "overwrite" if before.needs_copy(after) else "properties"
    change = PropertyChange(bucket, before, after, Price(operation, objects=1))
    price = change.price
    info = before.info
    if change.copy and info is not None:
        price.bytes = info.size
        price.add_requests("CopyObject", 1)
        # The copy replaces the object: the old one counts as deleted now.
        charge = early_deletion(info, now)
        if charge:
            price.early_deletions.append(charge)
        reason = blocked_reason(info)
        if reason is None and info.size >= COPY_OBJECT_LIMIT:
            reason = "over 1 GB: changing its headers or class needs a multipart copy onto itself"
        if reason:
            price.blocked.append(Blocked(info.key, reason))
    if change.acl:
        price.add_requests("PutObjectAcl", 1)
    if change.tags:
        price.add_requests("PutObjectTagging" if after.tags else "DeleteObjectTagging", 1)
    return change


def _copy_headers(change: PropertyChange) -> dict[str, str]:
    after = change.after
    headers = {
        "x-oss-metadata-directive": "REPLACE",
        "x-oss-storage-class": after.storage_class,
        "x-oss-copy-source-if-match": f'"{change.before.info.etag}"' if change.before.info else "",
    }
    headers = {k: v for k, v in headers.items() if v}
    for name, header in HEADERS.items():
        value = getattr(after, name)
        if value:
            headers[header] = value
    for key, value in after.user_meta.items():
        headers[f"x-oss-meta-{key}"] = value
    if after.acl != "default":
        headers["x-oss-object-acl"] = after.acl  # the copy keeps the chosen ACL
    return headers


def apply_change(change: PropertyChange, *, read_only: bool = False) -> list[str]:
    """Make the change; lines saying what was done. Raises OssBrowseError (nothing half-said)."""
    ensure_writable(read_only, "change object properties")
    if change.price.blocked:
        raise OssBrowseError(
            f"{safe_text(change.before.key)}: {change.price.blocked[0].reason}.",
            hint="Nothing was changed.",
        )
    bucket, key, after = change.bucket, change.before.key, change.after
    done = []
    if change.copy:
        try:
            objects.copy_object(bucket, (bucket.bucket_name, key), key, _copy_headers(change))
        except PreconditionFailed as exc:
            raise OssBrowseError(
                f"{safe_text(key)} changed since its properties were read: nothing was changed.",
                hint="Open the properties again to see the new ones.",
            ) from exc
        done.append("headers, metadata and class replaced (CopyObject onto itself)")
    if change.acl:
        objects.write_object_acl(bucket, key, after.acl)
        done.append(f"ACL {after.acl}")
    if change.tags:
        objects.write_tags(bucket, key, after.tags)
        done.append(f"{len(after.tags)} tag{'' if len(after.tags) == 1 else 's'}")
    return done


def parse_pairs(text: str, what: str) -> dict[str, str]:
    """`k=v, k2=v2` as typed in the editor; ValueError with a sentence when it is not."""
    pairs: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{what}: write name=value pairs separated by commas ({part!s}).")
        pairs[name.strip()] = value.strip()
    return pairs


def format_pairs(pairs: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(pairs.items()))


def edited(before: ObjectProperties, **fields: Any) -> ObjectProperties:
    return replace(before, **fields)


def tag_lines(bucket, key: str) -> list[str]:
    """The inspector's tag lines: `tags  none`, or one `  name: value` line a tag."""
    tags = read_tags(bucket, key)
    if not tags:
        return [f"{'tags':<14} none"]
    lines = ["", f"tags ({len(tags)}):"]
    lines += [f"  {safe_text(k)}: {safe_text(v)}" for k, v in sorted(tags.items())]
    return lines


def describe_tags(bucket_for: Any, path: str) -> list[str]:
    """Tag lines for the inspector of the object at oss:// `path`; never raises."""
    from ossbrowse.errors import OssBrowseError
    from ossbrowse.fs.url import parse_oss_url

    if bucket_for is None:
        return []
    url = parse_oss_url(path)
    try:
        return tag_lines(bucket_for(url.bucket or ""), url.key)
    except OssBrowseError as exc:
        return [f"{'tags':<14} could not be read: {exc}"]
