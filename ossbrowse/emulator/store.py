"""The emulator's state: buckets, the sorted key index, uploads; one lock, any backend.

Metadata lives in memory for both stores (the disk backend also writes it beside each body
and reloads it at start); bodies live in the backend. Bodies are streamed outside the lock;
only the switch of a key to its new body happens under it.

Versioning (versions.py): a versioned bucket keeps, beside its live objects, each key's older
versions and delete markers (`BucketState.history`); reads, copies and deletes may name a
version. A bucket that never had versioning works as before: a write replaces, a delete removes.
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
from ossbrowse.emulator.versions import (
    ENABLED,
    NULL,
    Deleted,
    VersionClock,
    listed_id,
    version_id,
    versions_of,
)

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
        self.clock = VersionClock()
        for bucket in backend.load():
            bucket.keys = sorted(bucket.objects)
            bucket.history_keys = sorted(bucket.history)
            for meta in self._all_versions(bucket):
                self.clock.seen(meta.seq)
            self.buckets[bucket.name] = bucket

    @staticmethod
    def _all_versions(bucket: BucketState) -> Iterable[ObjectMeta]:
        yield from bucket.objects.values()
        for older in bucket.history.values():
            yield from older

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
            if bucket.objects or bucket.uploads or bucket.history:
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

    def set_versioning(self, name: str, status: str) -> None:
        with self.lock:
            bucket = self.bucket(name)
            bucket.versioning = status
            self.backend.save_bucket(bucket)

    # -- objects -------------------------------------------------------------------------------

    def get(self, bucket_name: str, key: str, version: str | None = None) -> ObjectMeta:
        """The live object under `key`, or its version `version` (never a delete marker)."""
        with self.lock:
            return self._version(self.bucket(bucket_name), key, version)

    def _version(self, bucket: BucketState, key: str, version: str | None) -> ObjectMeta:
        if version is None:
            meta = bucket.objects.get(key)
            if meta is not None:
                return meta
            error = errors.no_such_key(key)
            older = bucket.history.get(key)
            if older and older[0].delete_marker:  # OSS says why the key is missing
                error.headers.update(Deleted(listed_id(older[0]), True).headers())
            raise error
        for meta in versions_of(bucket, key):
            if listed_id(meta) == version:
                if meta.delete_marker:
                    # OSS: a delete marker has no body, metadata or ACL to answer with.
                    error = OssError(405, "MethodNotAllowed", "The specified method is not "
                                     "allowed against this resource.")  # fmt: skip
                    error.headers.update(Deleted(version, True).headers())
                    raise error
                return meta
        raise OssError(404, "NoSuchVersion", "The specified version does not exist.",
                       Key=key, VersionId=version)  # fmt: skip

    def open_object(
        self, bucket_name: str, key: str, version: str | None = None
    ) -> tuple[ObjectMeta, Any]:
        """A snapshot of `key`'s metadata and its body opened at the same instant.

        The body is opened under the lock that switches keys to new bodies, so a reader gets
        the whole old or the whole new object however an overwrite or delete interleaves
        (the disk store unlinks an old body once replaced). The caller hands the body to a
        backend read, which closes it, or calls `backend.close_body` itself.
        """
        with self.lock:
            meta = self._version(self.bucket(bucket_name), key, version)
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
            if bucket.versioning:
                self._add_version(bucket, meta)
                return
            backend.save_object(bucket_name, meta, old.blob if old is not None else None)
            bucket.objects[meta.key] = meta
            if old is None:
                bisect.insort(bucket.keys, meta.key)

    def _add_version(self, bucket: BucketState, meta: ObjectMeta) -> None:
        """Make `meta` (a new object or a delete marker) the latest version of its key in a
        versioned bucket: the live object becomes an older version; in a suspended bucket
        the new version is the null one, and the null version it replaces is gone for good."""
        key = meta.key
        meta.seq = self.clock.tick()
        older = list(bucket.history.get(key, ()))
        live = bucket.objects.pop(key, None)
        if live is not None:
            older.insert(0, live)
        replaced = None
        if bucket.versioning == ENABLED:
            meta.version_id = version_id(meta.seq)
        else:
            meta.version_id = NULL
            for index, found in enumerate(older):
                if listed_id(found) == NULL:
                    replaced = older.pop(index)
                    break
        self.backend.save_object(bucket.name, meta)
        if replaced is not None:
            if replaced.version_id == meta.version_id:
                self.backend.discard(replaced.blob)  # its record was just written over
            else:
                self.backend.delete_object(bucket.name, replaced)
        if meta.delete_marker:
            older.insert(0, meta)
            if live is not None:
                del bucket.keys[bisect.bisect_left(bucket.keys, key)]
        else:
            bucket.objects[key] = meta
            if live is None:
                bisect.insort(bucket.keys, key)
        self._set_history(bucket, key, older)

    @staticmethod
    def _set_history(bucket: BucketState, key: str, older: builtins.list[ObjectMeta]) -> None:
        had = key in bucket.history
        if older:
            bucket.history[key] = older
            if not had:
                bisect.insort(bucket.history_keys, key)
        elif had:
            del bucket.history[key]
            del bucket.history_keys[bisect.bisect_left(bucket.history_keys, key)]

    def update(self, bucket_name: str, meta: ObjectMeta) -> None:
        """Save changed metadata of an existing object (ACL, restore state, append)."""
        with self.lock:
            self.backend.save_object(bucket_name, meta)

    def delete(self, bucket_name: str, key: str, version: str | None = None) -> Deleted:
        """DeleteObject: in a versioned bucket, adds a delete marker; with `version`, removes
        that version (or delete marker) for good, in any bucket."""
        with self.lock:
            bucket = self.bucket(bucket_name)
            if version is not None:
                return self._remove_version(bucket, key, version)
            if bucket.versioning:
                marker = ObjectMeta(key, 0, "", 0, time.time(), delete_marker=True)
                self._add_version(bucket, marker)
                return Deleted(marker.version_id, True)
            meta = bucket.objects.pop(key, None)
            if meta is not None:
                index = bisect.bisect_left(bucket.keys, key)
                del bucket.keys[index]
                self.backend.delete_object(bucket_name, meta)
            return Deleted(None, False)

    def _remove_version(self, bucket: BucketState, key: str, version: str) -> Deleted:
        live = bucket.objects.get(key)
        older = list(bucket.history.get(key, ()))
        if live is not None and listed_id(live) == version:
            gone = live
            del bucket.objects[key]
        else:
            for index, found in enumerate(older):
                if listed_id(found) == version:
                    gone = older.pop(index)
                    break
            else:
                return Deleted(version, False)  # OSS answers 204 for a version not there
        if key not in bucket.objects:
            # The latest went: the version under it is live again (a removed delete marker
            # brings the object back), unless that one is a delete marker too.
            if older and not older[0].delete_marker:
                bucket.objects[key] = older.pop(0)
                if live is None:
                    bisect.insort(bucket.keys, key)
            elif live is not None:
                del bucket.keys[bisect.bisect_left(bucket.keys, key)]
        self._set_history(bucket, key, older)
        self.backend.delete_object(bucket.name, gone)
        return Deleted(version, gone.delete_marker)

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

    def list_versions(
        self,
        bucket_name: str,
        prefix: str,
        delimiter: str,
        key_marker: str,
        version_marker: str,
        max_keys: int,
    ) -> tuple[builtins.list[tuple[ObjectMeta, bool]], builtins.list[str], bool, str, str]:
        """One ListObjectVersions page: ((version, is latest) pairs, common prefixes, truncated,
        next key marker, next version id marker).

        Keys in order, each key's versions newest first; a common prefix counts as one entry.
        After `key_marker` alone, listing starts at the next key; with `version_marker`, at
        the version after that one of `key_marker`.
        """
        found: builtins.list[tuple[ObjectMeta, bool]] = []
        prefixes: builtins.list[str] = []
        next_key = next_version = ""
        with self.lock:
            bucket = self.bucket(bucket_name)
            live, old = bucket.keys, bucket.history_keys
            start = key_marker if key_marker > prefix else prefix
            i, j = bisect.bisect_left(live, start), bisect.bisect_left(old, start)
            while i < len(live) or j < len(old):
                # The next key of either sorted list (a key may be in both).
                a = live[i] if i < len(live) else None
                b = old[j] if j < len(old) else None
                key = a if b is None or (a is not None and a <= b) else b
                assert key is not None
                if not key.startswith(prefix):
                    break
                cut = key.find(delimiter, len(prefix)) if delimiter else -1
                if cut >= 0:
                    common = key[: cut + len(delimiter)]
                    if common > key_marker:
                        if len(found) + len(prefixes) >= max_keys:
                            return found, prefixes, True, next_key, next_version
                        prefixes.append(common)
                        next_key, next_version = common, ""
                    i = bisect.bisect_left(live, common + _TOP, i)
                    j = bisect.bisect_left(old, common + _TOP, j)
                    continue
                i += a == key
                j += b == key
                versions = versions_of(bucket, key)
                first = 0
                if key == key_marker:
                    ids = [listed_id(m) for m in versions]
                    # A marker not (or no longer) there: nothing of this key is left to list.
                    first = ids.index(version_marker) + 1 if version_marker in ids else len(ids)
                for index in range(first, len(versions)):
                    if len(found) + len(prefixes) >= max_keys:
                        return found, prefixes, True, next_key, next_version
                    meta = versions[index]
                    found.append((meta, index == 0))
                    next_key, next_version = key, listed_id(meta)
        return found, prefixes, False, "", ""

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
