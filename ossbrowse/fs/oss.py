"""The OSS side of the contract, through the gateway: paged listing, stat, reads, writes.

`OssClient` (the gateway's) turns `ConnectionSettings` into bucket handles. `OssFileSystem`
keeps the contract of `fs.base.FileSystem` for `oss://` URLs; every failure is the gateway's
`ossbrowse.errors` error naming the OSS action that failed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO

from ossbrowse import errors
from ossbrowse.fs import listing_xml, records
from ossbrowse.fs.base import Entry, EntryKind, FileSystem, Folder, Page
from ossbrowse.fs.gateway import buckets, objects
from ossbrowse.fs.gateway.client import OssClient as OssClient  # the verbs build one
from ossbrowse.fs.gateway.handle import BucketHandle
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import RestoreStatus
from ossbrowse.fs.url import OssUrl, format_oss_url, parse_oss_url

MAX_PAGE = 1000  # ListObjectsV2 and ListBuckets never return more a page


# --- turning records into entries ------------------------------------------------------


def _object_entry(bucket: str, prefix: str, record: ObjectRecord) -> Entry:
    return Entry.from_record(record, record.key[len(prefix) :], format_oss_url(bucket, record.key))


def _listed_entry(folder: Folder, prefix: str, record: ObjectRecord) -> Entry:
    # A listing's rows share their folder's URL: each keeps only its name (see `Folder`).
    return Entry.from_record(record, record.key[len(prefix) :], folder)


def _folder_entry(bucket: str, prefix: str, folder_key: str, mtime: float | None = None) -> Entry:
    return Entry(
        name=folder_key[len(prefix) :].removesuffix("/"),
        path=format_oss_url(bucket, folder_key),
        kind=EntryKind.FOLDER,
        mtime=mtime,
    )


def _bucket_entry(record: buckets.BucketRecord) -> Entry:
    return Entry(
        name=record.name,
        path=format_oss_url(record.name, ""),
        kind=EntryKind.BUCKET,
        mtime=record.created,
        storage_class=record.storage_class,
        region=record.region,
    )


def require_readable(entry: Entry) -> None:
    """Raise the archived-object error for an entry (from `stat`) that cannot be read yet."""
    if not entry.restore.readable:
        in_progress = entry.restore.status is RestoreStatus.IN_PROGRESS
        where = "is being restored" if in_progress else "has not been restored"
        raise errors.ArchivedObjectError(
            f"{errors._where(*_bucket_key(entry.path))} is {entry.storage_class} and {where}.",
            hint="Restore it first (`ossbrowse restore`), wait until the restore finishes, then "
            "read it again.",
        )


def _bucket_key(path: str) -> tuple[str | None, str | None]:
    url = parse_oss_url(path)
    return url.bucket, url.key or None


# --- reading ----------------------------------------------------------------------------------


class _ObjectReader(io.RawIOBase):
    """A GetObject body as a raw stream: errors translated, CRC64 checked on whole reads.

    `skip` and `limit` cover a server that ignored the Range header and sent the whole object
    (OSS does that for some invalid ranges unless `x-oss-range-behavior: standard` is sent).
    """

    def __init__(self, result: objects.ObjectBody, *, bucket: str, key: str, skip: int = 0,
                 limit: int | None = None, expect_crc: int | None = None) -> None:  # fmt: skip
        super().__init__()
        self._result = result
        self._bucket = bucket
        self._key = key
        self._skip = skip
        self._left = limit
        self._expect_crc = expect_crc
        self._crc = None
        if expect_crc is not None:
            from ossbrowse.crc64 import Crc64  # here: its import costs `ls` ~50 ms of start-up

            self._crc = Crc64()

    def readable(self) -> bool:
        return True

    def _read_some(self, size: int) -> bytes:
        return self._result.read(size)  # failures are the gateway's errors already

    def readinto(self, buffer: Any) -> int:  # a writable buffer (memoryview, bytearray)
        want = len(buffer)
        if self._left is not None:
            want = min(want, self._left)
        if want <= 0:
            return 0
        while self._skip:
            dropped = self._read_some(min(self._skip, 1 << 20))
            if not dropped:
                return 0
            self._skip -= len(dropped)
        data = self._read_some(want)
        if not data:
            self._check_crc()
            return 0
        if len(data) > want:  # iter_content may hand back more than asked on some paths
            data = data[:want]
        buffer[: len(data)] = data
        if self._left is not None:
            self._left -= len(data)
        if self._crc is not None:
            self._crc.update(data)
        return len(data)

    def _check_crc(self) -> None:
        if self._crc is not None and self._crc.value != self._expect_crc:
            self._crc = None
            raise errors.IntegrityError(
                f"{errors._where(self._bucket, self._key)} arrived with CRC64 that does not "
                "match what OSS reported.",
                hint="The download was corrupted on the way; read it again.",
            )
        self._crc = None

    def close(self) -> None:
        if not self.closed:
            try:
                self._result.close()
            except Exception:
                pass  # closing a broken connection must not hide the real error
        super().close()


# --- the file system ----------------------------------------------------------------------------


class OssFileSystem(FileSystem):
    """`oss://bucket/key` paths on OSS. Listing is paged with ListObjectsV2 and `delimiter=/`."""

    scheme = "oss"

    def __init__(self, client: OssClient, *, read_only: bool | None = None) -> None:
        self.client = client
        self.read_only = client.settings.read_only if read_only is None else read_only

    def bucket(self, name: str) -> BucketHandle:
        """The gateway's handle of bucket `name`, for the operations and transfers."""
        return self.client.bucket(name)

    def object_headers(self, path: str) -> dict[str, str]:
        """An object's response headers (Content-Type, Cache-Control, ...; names in lower
        case), which an entry does not keep: one HEAD."""
        url = parse_oss_url(path)
        if url.bucket is None or not url.key:
            raise errors.UsageError(f"{url.url} is not an object.", hint="Give an object.")
        return objects.head_headers(self.client.bucket(url.bucket), url.key)

    def presign_get(self, path: str, expires: int) -> str:
        """A URL that GETs the object at `path` for `expires` seconds; no request is sent."""
        url = parse_oss_url(path)
        if url.bucket is None or not url.key:
            raise errors.UsageError(f"{url.url} is not an object.", hint="Give an object.")
        return objects.presign_get(self.client.bucket(url.bucket), url.key, expires)

    # listing

    def list_page(self, path: str, token: str | None = None, limit: int = 1000) -> Page:
        url = parse_oss_url(path)
        limit = max(1, min(limit, MAX_PAGE))
        if url.bucket is None:
            return self._list_buckets(token, limit)
        prefix = url.key if url.is_folder else url.key + "/"
        while True:
            page = self._list_objects_page(url.bucket, prefix, token, limit)
            # A page holding only the folder's own marker would look like an empty folder to a
            # caller that shows page one at once: go on to the next page instead.
            if page.entries or page.next_token is None:
                return page
            token = page.next_token

    def _list_objects_page(
        self, bucket_name: str, prefix: str, token: str | None, limit: int
    ) -> Page:
        bucket = self.client.bucket(bucket_name)
        # A lone request: the gateway sends it again under the short rule (REQUEST_RETRY).
        result = listing_xml.list_objects_v2(
            bucket, prefix=prefix, delimiter="/", continuation_token=token or "", max_keys=limit
        )
        folders: dict[str, Entry] = {}
        files: list[Entry] = []
        folder = Folder(format_oss_url(bucket_name, prefix))
        for folder_key in result.prefix_list:
            if folder_key != prefix:
                folders.setdefault(folder_key, _folder_entry(bucket_name, prefix, folder_key))
        for info in result.object_list:
            if info.key == prefix:
                continue  # the marker of the folder being listed is not its own child
            if info.key.endswith("/"):
                # A `sub/` marker shows once, as a folder, even if CommonPrefixes has it too.
                mtime = float(info.last_modified) if info.last_modified is not None else None
                folders[info.key] = _folder_entry(bucket_name, prefix, info.key, mtime)
                continue
            files.append(_listed_entry(folder, prefix, info))
        entries = sorted([*folders.values(), *files], key=lambda e: _key_of(e.path))
        next_token = result.next_continuation_token if result.is_truncated else None
        return Page(entries, next_token or None)

    def _list_buckets(self, token: str | None, limit: int) -> Page:
        page = buckets.list_buckets(self.client, marker=token or "", max_keys=limit)
        return Page([_bucket_entry(b) for b in page.buckets], page.next_marker)

    def walk_pages(self, path: str, limit: int = 1000) -> Iterator[list[Entry]]:
        """Every object under a prefix, a page at a time, from one flat listing (no delimiter):
        one request per 1000 keys however deep the tree. Names are relative to the prefix."""
        url = parse_oss_url(path)
        if url.bucket is None:
            raise errors.UsageError(
                "A recursive listing needs a bucket.", hint="Give oss://bucket/ or a prefix."
            )
        prefix = url.key if url.is_folder else url.key + "/"
        bucket = self.client.bucket(url.bucket)
        page_size = max(1, min(limit, MAX_PAGE))
        pages = listing_xml.iter_pages(
            bucket,
            prefix=prefix,
            max_keys=page_size,
            # A small first page so whatever shows the walk starts showing at once.
            first_max_keys=min(page_size, 100),
        )
        while True:
            result = next(pages, None)
            if result is None:
                return
            entries = []
            folder = Folder(format_oss_url(url.bucket, prefix))
            for info in result.object_list:
                if info.key == prefix:
                    continue
                if info.key.endswith("/"):
                    mtime = float(info.last_modified) if info.last_modified is not None else None
                    entries.append(_folder_entry(url.bucket, prefix, info.key, mtime))
                else:
                    entries.append(_listed_entry(folder, prefix, info))
            if entries:
                yield entries

    # single entries

    def stat(self, path: str) -> Entry:
        url = parse_oss_url(path)
        if url.bucket is None:
            return Entry(name="", path="oss://", kind=EntryKind.FOLDER)
        if not url.key:
            return self._stat_bucket(url.bucket)
        if url.is_folder:
            return self._stat_folder(url)
        bucket = self.client.bucket(url.bucket)
        try:
            head = objects.head_answer(bucket, url.key)
        except errors.NoSuchKey:
            # `oss://bucket/dir` (Alluxio style) names the folder `dir/` when no object is there.
            return self._stat_folder(OssUrl(url.bucket, url.key + "/"), missing_key=url.key)
        except errors.ArchivedObjectError as error:
            # OSS answers HEAD on archived objects; a server that refuses it still lists them,
            # with storage class and restore state.
            return self._stat_from_listing(url, error)
        return self._entry_from_head(url, head.headers)

    def get_acl(self, path: str) -> str:
        """The ACL of an object or a bucket, in OSS's words: private, public-read,
        public-read-write; an object's `default` says what it inherits: `default (bucket:
        private)`. Costs one or two requests; only the inspector asks."""
        url = parse_oss_url(path)
        if url.bucket is None:
            raise errors.UsageError("The list of buckets has no ACL.", hint="Open a bucket.")
        bucket = self.client.bucket(url.bucket)
        if url.key and not url.is_folder:
            acl = objects.read_object_acl(bucket, url.key)
            if acl != "default":
                return acl
        bucket_acl = objects.read_bucket_acl(bucket)
        return f"default (bucket: {bucket_acl})" if url.key and not url.is_folder else bucket_acl

    def _stat_from_listing(self, url: OssUrl, error: errors.OssBrowseError) -> Entry:
        bucket = self.client.bucket(url.bucket)  # type: ignore[arg-type]
        result = listing_xml.list_objects_v2(bucket, prefix=url.key, max_keys=1)
        for info in result.object_list:
            if info.key == url.key:
                prefix = url.key[: url.key.rfind("/") + 1]
                return _object_entry(url.bucket, prefix, info)  # type: ignore[arg-type]
        raise error

    def _entry_from_head(self, url: OssUrl, headers: Mapping[str, str]) -> Entry:
        record = records.from_head(url.key, headers)
        return Entry.from_record(record, url.key.rsplit("/", 1)[-1], url.url)

    def _stat_folder(self, url: OssUrl, missing_key: str | None = None) -> Entry:
        """A folder entry if anything is under the prefix (or its marker exists)."""
        bucket = self.client.bucket(url.bucket)  # type: ignore[arg-type]
        result = listing_xml.list_objects_v2(bucket, prefix=url.key, delimiter="/", max_keys=2)
        if not result.object_list and not result.prefix_list:
            raise errors.NoSuchKey(
                f"{errors._where(url.bucket, missing_key or url.key)} does not exist.",
                hint="Check the key (keys are case-sensitive), or list the folder above it.",
            )
        mtime = None
        for info in result.object_list:
            if info.key == url.key and info.last_modified is not None:
                mtime = float(info.last_modified)
        name = url.key.removesuffix("/").rsplit("/", 1)[-1]
        return Entry(name=name, path=url.url, kind=EntryKind.FOLDER, mtime=mtime)

    def _stat_bucket(self, name: str) -> Entry:
        return _bucket_entry(buckets.bucket_info(self.client.bucket(name)))

    def exists(self, path: str) -> bool:
        try:
            self.stat(path)
        except (errors.NoSuchKey, errors.BucketNotFound):
            return False
        return True

    # reading

    def open_read(self, path: str, start: int = 0, end: int | None = None) -> BinaryIO:
        url = parse_oss_url(path)
        if url.bucket is None or url.is_folder:
            raise errors.UsageError(
                f"{url.url} is a folder, not an object.", hint="Open an object inside it."
            )
        start = max(0, start)
        if end is not None and end <= start:
            return io.BytesIO(b"")
        bucket = self.client.bucket(url.bucket)
        ranged = start > 0 or end is not None
        try:
            result = objects.get_object(bucket, url.key, start, end)
        except errors.OssBrowseError as exc:
            if exc.status == 416 or exc.code == "InvalidRange":
                return io.BytesIO(b"")  # the range starts at or past the end
            raise
        skip, limit, expect_crc = 0, None, None
        if ranged and result.whole:
            # The server sent the whole object: cut the asked range out of it.
            skip, limit = start, (end - start if end is not None else None)
        elif not ranged:
            expect_crc = result.crc64
        raw = _ObjectReader(
            result, bucket=url.bucket, key=url.key, skip=skip, limit=limit, expect_crc=expect_crc
        )
        return io.BufferedReader(raw, buffer_size=256 * 1024)

    # writing

    def _check_writable(self, path: str) -> None:
        if self.read_only:
            raise errors.ReadOnlyError(
                f"Refused to change {path}: this session is read-only.",
                hint="Start without --read-only (or without read_only in the profile).",
            )

    def mkdir(self, path: str) -> None:
        """Create the `dir/` marker. An existing folder is fine; an object of that name is not."""
        url = parse_oss_url(path)
        if url.bucket is None or not url.key:
            raise errors.UsageError(
                "mkdir needs a folder inside a bucket: oss://bucket/folder/ "
                "(buckets are created in the console or with ossutil)."
            )
        self._check_writable(path)
        key = url.key if url.key.endswith("/") else url.key + "/"
        bucket = self.client.bucket(url.bucket)
        plain = key[:-1]
        try:
            objects.head(bucket, plain)
        except errors.NoSuchKey:
            pass
        else:
            raise errors.AlreadyExists(
                f"{errors._where(url.bucket, plain)} is an object; a folder of the same "
                "name would be confusing.",
                hint="Pick another name.",
            )
        objects.put_object(bucket, key, b"")

    def delete(self, path: str) -> None:
        url = parse_oss_url(path)
        if url.bucket is None or not url.key:
            raise errors.UsageError("delete needs an object or folder inside a bucket.")
        self._check_writable(path)
        bucket = self.client.bucket(url.bucket)
        if not url.is_folder:
            try:
                objects.head(bucket, url.key)
                found = True
            except errors.NoSuchKey:
                found = False
            if found:
                objects.delete_object(bucket, url.key)
                return
            url = OssUrl(url.bucket, url.key + "/")
        result = listing_xml.list_objects_v2(bucket, prefix=url.key, max_keys=2)
        keys = [info.key for info in result.object_list]
        if any(k != url.key for k in keys):
            raise errors.FolderNotEmpty(
                f"{errors._where(url.bucket, url.key)} is not empty.",
                hint="Delete what is inside first, or delete it recursively (rm -r).",
            )
        if not keys:
            raise errors.NoSuchKey(f"{errors._where(url.bucket, url.key)} does not exist.")
        objects.delete_object(bucket, url.key)

    # paths

    def join(self, folder: str, name: str) -> str:
        url = parse_oss_url(folder)
        if url.bucket is None:
            return format_oss_url(name.strip("/"), "")
        base = url.key if url.is_folder else url.key + "/"
        return format_oss_url(url.bucket, base + name)

    def parent(self, path: str) -> str | None:
        url = parse_oss_url(path)
        if url.bucket is None:
            return None
        if not url.key:
            return "oss://"
        trimmed = url.key.removesuffix("/")
        head, sep, _ = trimmed.rpartition("/")
        return format_oss_url(url.bucket, head + sep)

    def close(self) -> None:
        pass  # the pooled session closes with the client


def _key_of(path: str) -> bytes:
    # OSS lists keys in byte order of their UTF-8; merge folders and files the same way.
    return path.encode("utf-8", "surrogatepass")
