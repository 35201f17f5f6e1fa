"""The bucket side of a mount compare: a prefix listed page by page, HEADs on demand, uploads.

ListObjectsV2 without a delimiter, 1000 keys a page, is the cheapest way to see every key under
a prefix (20 requests for 20,000 objects). The next page is fetched in a thread while the
merge consumes the current one, so the listing's latency hides behind the local walk; at most
two pages are in memory. HEAD is one request per object: the compare asks for it only when
the listing cannot answer (see `compare.py`). Pages come from `fs.listing_xml` (the one fast
listing path). Takes the gateway's `BucketHandle`; failures are `ossbrowse.errors` errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway import multipart, objects
from ossbrowse.fs.gateway.handle import BucketHandle
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.restore_state import NOT_NEEDED, RestoreState

PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class BucketItem:
    """One object under the prefix, from the listing."""

    key: str  # relative to the prefix; folder markers end in `/`
    raw: bytes
    size: int
    mtime: float  # LastModified, seconds since the epoch
    etag: str
    storage_class: str | None
    object_type: str | None
    restore: RestoreState = NOT_NEEDED  # from RestoreInfo, when the listing carries it


@dataclass(frozen=True, slots=True)
class UploadItem:
    """An incomplete multipart upload under the prefix."""

    key: str  # relative to the prefix
    upload_id: str
    initiated: float  # seconds since the epoch


class BucketSide:
    """A prefix of a bucket, as the compare reads it. Counts its requests."""

    def __init__(
        self,
        bucket: BucketHandle,
        prefix: str,
        *,
        page_size: int = PAGE_SIZE,
        prefetch: bool = True,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.page_size = page_size
        self.prefetch = prefetch
        self.list_requests = 0
        self.head_requests = 0

    @property
    def url(self) -> str:
        return f"oss://{self.bucket.bucket_name}/{self.prefix}"

    def _pages(self) -> Iterator[list[BucketItem]]:
        cut = len(self.prefix)
        pages = listing_xml.iter_pages(self.bucket, prefix=self.prefix, max_keys=self.page_size)
        while True:
            page = next(pages, None)
            if page is None:
                return
            self.list_requests += 1
            yield [_item(info, cut) for info in page.object_list]

    def iter_items(self) -> Iterator[BucketItem]:
        """Every object under the prefix (not the prefix's own marker), in key order."""
        pages = listing_xml.prefetch(self._pages()) if self.prefetch else self._pages()
        for page in pages:
            for item in page:
                if item.key:  # "" is the `prefix/` marker of the compared folder itself
                    yield item

    def head(self, key: str) -> ObjectRecord:
        """HEAD one object (key relative to the prefix)."""
        found = objects.head(self.bucket, self.prefix + key)
        self.head_requests += 1
        return found

    def iter_uploads(self) -> Iterator[UploadItem]:
        """Incomplete multipart uploads whose key is under the prefix, page by page."""
        key_marker = upload_marker = ""
        cut = len(self.prefix)
        while True:
            page = multipart.list_uploads(
                self.bucket,
                prefix=self.prefix,
                key_marker=key_marker,
                upload_id_marker=upload_marker,
                max_uploads=self.page_size,
            )
            self.list_requests += 1
            for upload in page.uploads:
                yield UploadItem(upload.key[cut:], upload.upload_id, upload.initiated)
            if not page.truncated:
                return
            key_marker = page.next_key_marker
            upload_marker = page.next_upload_id_marker


def _item(info: ObjectRecord, cut: int) -> BucketItem:
    key = info.key[cut:]
    return BucketItem(
        key,
        key.encode("utf-8", "surrogatepass"),
        info.size,
        float(info.last_modified or 0),
        info.etag,
        info.storage_class or None,
        info.object_type or None,
        info.restore,
    )
