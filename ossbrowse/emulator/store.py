"""The emulator's state: buckets, the sorted key index, uploads; one lock, any backend.

Metadata lives in memory for both stores (the disk backend also writes it beside each body
and reloads it at start); bodies live in the backend. Bodies are streamed outside the lock;
only the switch of a key to its new body happens under it.
"""

from __future__ import annotations

import bisect
import builtins  # `list` below is also a method of Store
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ossbrowse.emulator import errors
from ossbrowse.emulator.errors import OssError
from ossbrowse.emulator.model import BucketState, ObjectMeta, Part, Upload

# Highest code point: a key that starts with a prefix sorts below prefix + this.
_TOP = "\U0010ffff"


class Store:
    def __init__(self, backend) -> None:
        self.backend = backend
        self.lock = threading.RLock()
        # Test hook: called with a step name between the steps of a multi-step change (a
        # raise there stands for a crash at that point).
        self.step_hook: Callable[[str], None] | None = None
        self.buckets: dict[str, BucketState] = {}
        for bucket in backend.load():
            bucket.keys = sorted(bucket.objects)
            self.buckets[bucket.name] = bucket

    # -- buckets -------------------------------------------------------------------------------

    def bucket(self, name: str) -> BucketState:
        found = self.buckets.get(name)
        if found is None:
            raise errors.no_such_bucket(name)
        return found

    def create_bucket(self, name: str, region: str, storage_class: str, acl: str) -> bool:
        """Create `name`; False if it already exists (OSS answers 200 to its owner then)."""
        with self.lock:
            if name in self.buckets:
                return False
            bucket = BucketState(name=name, region=region, storage_class=storage_class, acl=acl)
            self.buckets[name] = bucket
            self.backend.save_bucket(bucket)
            return True

    def delete_bucket(self, name: str) -> None:
        with self.lock:
            bucket = self.bucket(name)
            if bucket.objects or bucket.uploads:
                raise OssError(
                    409,
                    "BucketNotEmpty",
                    "The bucket you tried to delete is not empty.",
                    BucketName=name,
                )
            del self.buckets[name]
            self.backend.delete_bucket(name)

    def set_bucket_acl(self, name: str, acl: str) -> None:
        with self.lock:
            bucket = self.bucket(name)
            bucket.acl = acl
            self.backend.save_bucket(bucket)

    # -- objects -------------------------------------------------------------------------------

    def get(self, bucket_name: str, key: str) -> ObjectMeta:
        with self.lock:
            meta = self.bucket(bucket_name).objects.get(key)
        if meta is None:
            raise errors.no_such_key(key)
        return meta

    def open_object(self, bucket_name: str, key: str) -> tuple[ObjectMeta, Any]:
        """A snapshot of `key`'s metadata and its body opened at the same instant.

        The body is opened under the lock that switches keys to new bodies, so a reader gets
        the whole old or the whole new object however an overwrite or delete interleaves
        (the disk store unlinks an old body once replaced). The caller hands the body to a
        backend read, which closes it, or calls `backend.close_body` itself.
        """
        with self.lock:
            meta = self.bucket(bucket_name).objects.get(key)
            if meta is None:
                raise errors.no_such_key(key)
            snapshot = replace(meta, user_meta=dict(meta.user_meta), headers=dict(meta.headers))
            return snapshot, self.backend.open_body(meta.blob)

    def find(self, bucket_name: str, key: str) -> ObjectMeta | None:
        with self.lock:
            return self.bucket(bucket_name).objects.get(key)

    def put(self, bucket_name: str, meta: ObjectMeta, tmp_blob, *, forbid_overwrite=False) -> None:
        """Make `meta` (body `tmp_blob`, fresh from a writer) the object under its key."""
        backend = self.backend
        with self.lock:
            bucket = self.bucket(bucket_name)
            old = bucket.objects.get(meta.key)
            if forbid_overwrite and old is not None:
                backend.discard(tmp_blob)
                raise OssError(409, "FileAlreadyExists", "The object you specified already exists.")
            meta.blob = backend.place(bucket_name, meta.key, tmp_blob)
            backend.save_object(bucket_name, meta, old.blob if old is not None else None)
            bucket.objects[meta.key] = meta
            if old is None:
                bisect.insort(bucket.keys, meta.key)

    def update(self, bucket_name: str, meta: ObjectMeta) -> None:
        """Save changed metadata of an existing object (ACL, restore state, append)."""
        with self.lock:
            self.backend.save_object(bucket_name, meta)

    def delete(self, bucket_name: str, key: str) -> bool:
        with self.lock:
            bucket = self.bucket(bucket_name)
            meta = bucket.objects.pop(key, None)
            if meta is None:
                return False
            index = bisect.bisect_left(bucket.keys, key)
            del bucket.keys[index]
            self.backend.delete_object(bucket_name, meta)
            return True

    def bulk_load(self, bucket_name: str, metas: Iterable[ObjectMeta]) -> None:
        """Add many fresh objects at once (sample data): one sort instead of many inserts."""
        with self.lock:
            bucket = self.bucket(bucket_name)
            for meta in metas:
                meta.blob = self.backend.place(bucket_name, meta.key, meta.blob)
                self.backend.save_object(bucket_name, meta)
                bucket.objects[meta.key] = meta
            bucket.keys = sorted(bucket.objects)

    def list(
        self, bucket_name: str, prefix: str, delimiter: str, marker: str, max_keys: int
    ) -> tuple[list[ObjectMeta], list[str], bool, str]:
        """One page in key order: (objects, common prefixes, truncated, next marker).

        A common prefix counts as one entry, as in OSS; a page never repeats a common prefix
        that sorts at or before `marker`.
        """
        contents: list[ObjectMeta] = []
        prefixes: list[str] = []
        last = ""
        with self.lock:
            bucket = self.bucket(bucket_name)
            keys = bucket.keys
            index = bisect.bisect_left(keys, prefix)
            if marker:
                index = max(index, bisect.bisect_right(keys, marker))
            count = len(keys)
            while index < count:
                key = keys[index]
                if not key.startswith(prefix):
                    break
                if len(contents) + len(prefixes) >= max_keys:
                    return contents, prefixes, True, last
                cut = key.find(delimiter, len(prefix)) if delimiter else -1
                if cut >= 0:
                    common = key[: cut + len(delimiter)]
                    if common > marker and (not prefixes or prefixes[-1] != common):
                        prefixes.append(common)
                        last = common
                    index = max(index + 1, bisect.bisect_left(keys, common + _TOP, index))
                    continue
                contents.append(bucket.objects[key])
                last = key
                index += 1
        return contents, prefixes, False, ""

    # -- multipart -----------------------------------------------------------------------------

    def create_upload(self, bucket_name: str, upload: Upload) -> None:
        with self.lock:
            bucket = self.bucket(bucket_name)
            bucket.uploads[upload.upload_id] = upload
            self.backend.save_upload(bucket_name, upload)

    def upload(self, bucket_name: str, key: str, upload_id: str) -> Upload:
        with self.lock:
            upload = self.bucket(bucket_name).uploads.get(upload_id)
        if upload is None or upload.key != key:
            raise errors.no_such_upload(upload_id)
        return upload

    def put_part(self, bucket_name: str, upload: Upload, part: Part, tmp_blob) -> None:
        with self.lock:
            bucket = self.bucket(bucket_name)
            if bucket.uploads.get(upload.upload_id) is not upload:
                self.backend.discard(tmp_blob)
                raise errors.no_such_upload(upload.upload_id)
            part.blob = self.backend.place_part(
                bucket_name, upload.upload_id, part.number, tmp_blob
            )
            old = upload.parts.get(part.number)
            upload.parts[part.number] = part
            self.backend.save_part(bucket_name, upload, part, old.blob if old else None)

    def finish_upload(self, bucket_name: str, upload: Upload, meta: ObjectMeta | None) -> None:
        """Forget `upload`; with `meta` (whose blob came from concatenating parts), publish it.

        The object is published before the upload is forgotten: a crash between the two steps
        leaves the new object and a stale upload that can still be listed and aborted, never
        neither.
        """
        with self.lock:
            bucket = self.bucket(bucket_name)
            if bucket.uploads.get(upload.upload_id) is not upload:
                if meta is not None:
                    self.backend.discard(meta.blob)
                raise errors.no_such_upload(upload.upload_id)
            if meta is not None:
                blob, meta.blob = meta.blob, None
                try:
                    self.put(bucket_name, meta, blob)
                except BaseException:
                    self.backend.discard(blob)  # the upload and its parts stay, for a retry
                    raise
                if self.step_hook is not None:
                    self.step_hook("complete:published")
            del bucket.uploads[upload.upload_id]
            self.backend.delete_upload(bucket_name, upload)

    def list_uploads(
        self,
        bucket_name: str,
        prefix: str,
        delimiter: str,
        key_marker: str,
        upload_id_marker: str,
        max_uploads: int,
    ) -> tuple[builtins.list[Upload], builtins.list[str], bool, str, str]:
        """(uploads, common prefixes, truncated, next key marker, next upload id marker)."""
        with self.lock:
            uploads = sorted(
                (u for u in self.bucket(bucket_name).uploads.values() if u.key.startswith(prefix)),
                key=lambda u: (u.key, u.upload_id),
            )
        found: list[Upload] = []
        prefixes: list[str] = []
        next_key = next_id = ""
        for upload in uploads:
            cut = upload.key.find(delimiter, len(prefix)) if delimiter else -1
            common = upload.key[: cut + len(delimiter)] if cut >= 0 else None
            if key_marker:
                if common is not None and common <= key_marker:
                    continue  # that common prefix was on an earlier page
                if upload.key < key_marker:
                    continue
                if upload.key == key_marker and (
                    not upload_id_marker or upload.upload_id <= upload_id_marker
                ):
                    continue
            if common is not None and prefixes and prefixes[-1] == common:
                continue
            if len(found) + len(prefixes) >= max_uploads:
                return found, prefixes, True, next_key, next_id
            if common is not None:
                prefixes.append(common)
                next_key, next_id = common, ""
            else:
                found.append(upload)
                next_key, next_id = upload.key, upload.upload_id
        # OSS names the last entry in NextKeyMarker/NextUploadIdMarker even on a last page.
        return found, prefixes, False, next_key, next_id


def restore_state(meta: ObjectMeta, now: float | None = None) -> str:
    """'none', 'ongoing' or 'done' for an archived object (always 'done' otherwise)."""
    from ossbrowse.emulator.model import ARCHIVE_CLASSES

    if meta.storage_class not in ARCHIVE_CLASSES:
        return "done"
    now = time.time() if now is None else now
    if meta.restore_until is None:
        return "none"
    if now < meta.restore_until:
        return "ongoing"
    if meta.restore_expiry is not None and now < meta.restore_expiry:
        return "done"
    return "none"
