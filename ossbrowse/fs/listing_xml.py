"""The one place that lists a bucket: fast signed ListObjectsV2 pages, with or without delimiter.

Every listing in ossbrowse (the fs panes and walks, the operations' enumerations, the transfer
walks, the mount compare) goes through `list_objects_v2` or `iter_pages` here. oss2's own
parser spends most of a page's time in Python per key (ISO-8601 by regex, an element lookup
per field, `unquote` on every key): in a profile of `ossbrowse ls` on 100,000 keys it was over
half the run. So the request is still signed and sent by oss2 (`Bucket._do`, the primitive
its `list_objects_v2` calls, through `fs.gateway.listing`); only the XML is read here. A
bucket without that primitive (or `fast=False`) goes through oss2's public call, and its
answer is turned into the same `ListedPage`, so callers never see which path ran. Each object
is an `fs.records.ObjectRecord` (made by `records.from_listing`, the one listing-to-record
reader). Takes the gateway's `BucketHandle`; its failures are `ossbrowse.errors` errors.

A caller that only counts (`ops.usage`, du) reads pages lean (`iter_lean_pages`): the same
request and the same shape checks, but each object is a (key, size, storage class, last
modified) tuple, no record: building records was three quarters of a page's reading time
(3.0 ms a 1000-key page, 0.6 ms of it the expression itself).
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from typing import Protocol, TypeVar
from urllib.parse import unquote
from xml.etree import ElementTree

from ossbrowse.fs.gateway import listing as sdk_listing
from ossbrowse.fs.gateway.handle import BucketHandle
from ossbrowse.fs.records import ObjectRecord, delete_marker, from_listing, from_version
from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy
from ossbrowse.fs.storage_classes import CLASSES

T = TypeVar("T")

MAX_KEYS = 1000  # OSS's largest page


@dataclass(slots=True)
class ListedPage:
    object_list: list[ObjectRecord] = field(default_factory=list)
    prefix_list: list[str] = field(default_factory=list)
    is_truncated: bool = False
    next_continuation_token: str = ""


# key, size, storage class (the table's own string; "Standard" when the listing names none),
# last modified in seconds since the epoch (None when the server's date is odd)
LeanObject = tuple[str, int, str, float | None]


@dataclass(slots=True)
class LeanPage:
    """A listing page for counting: each object as a `LeanObject`, no record built."""

    objects: list[LeanObject] = field(default_factory=list)
    is_truncated: bool = False
    next_continuation_token: str = ""


class _Paged(Protocol):
    @property
    def is_truncated(self) -> bool: ...

    @property
    def next_continuation_token(self) -> str: ...


P = TypeVar("P", bound=_Paged)
C = TypeVar("C")  # where a listing goes on from: a token, or a (key, version id) pair
Q = TypeVar("Q")  # a page of any listing


@lru_cache(maxsize=4096)
def _epoch(text: str) -> int | None:
    # Many keys share a second; the cache turns most of these into a dict lookup.
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


# The shape OSS (and our emulator) sends, element for element. A page in exactly this shape is
# read by regular expressions, about five times faster than building an ElementTree (expat
# alone was half of a 100,000-object pricing run); anything else (an unknown field, a comment,
# CDATA, a character reference, a carriage return, another character set) goes to
# ElementTree, so an unusual page is read more slowly, never differently.
_OWNER = rb"(?:<Owner>\s*<ID>[^<]*</ID>\s*<DisplayName>[^<]*</DisplayName>\s*</Owner>\s*)?"
_CONTENTS = re.compile(
    rb"<Contents>\s*<Key>([^<]*)</Key>\s*<LastModified>([^<]*)</LastModified>"
    rb"\s*<ETag>([^<]*)</ETag>\s*(?:<Type>([^<]*)</Type>\s*)?<Size>([0-9]+)</Size>"
    rb"\s*(?:<StorageClass>([^<]*)</StorageClass>\s*)?"
    + _OWNER
    + rb"(?:<RestoreInfo>([^<]*)</RestoreInfo>\s*)?</Contents>"
)
_PREFIX = re.compile(rb"<CommonPrefixes>\s*<Prefix>([^<]*)</Prefix>\s*</CommonPrefixes>")
_TRUNCATED = re.compile(rb"<IsTruncated>(true|false)</IsTruncated>")
_TOKEN = re.compile(rb"<NextContinuationToken>([^<]*)</NextContinuationToken>")
_URL_ENCODED = re.compile(rb"<EncodingType>[Uu][Rr][Ll]</EncodingType>")
_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|apos);")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_OTHER_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|apos);)")
_END = re.compile(rb"</ListBucketResult>\s*\Z")


class _Unusual(Exception):
    """The page is not in the plain shape: read it with ElementTree."""


def _unquote(text: str) -> str:
    # Most keys are encoded only for their slashes; a `%` in encoded text always starts an
    # escape (a literal one is %25), so decoding %2F first is exact, and cheap.
    text = text.replace("%2F", "/")
    return unquote(text) if "%" in text else text


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        if _OTHER_AMP.search(text):
            raise _Unusual  # character references and the like: ElementTree knows them all
        text = _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)
    return text


_Found = list[tuple[bytes, bytes, bytes, bytes, bytes, bytes, bytes]]


def _plain_document(body: bytes, end: re.Pattern[bytes]) -> bool:
    """Whether a body that ends with `end` is url-encoded; raises _Unusual unless it is a
    whole UTF-8 document with no CR, CDATA or comment (the checks of every listing page)."""
    # A tag cannot hide in text (`<` is always escaped there), so searching the whole body for
    # one finds the element itself.
    if b"\r" in body or b"<!" in body or not end.search(body):
        raise _Unusual  # CR normalisation, CDATA and comments, a cut body: ElementTree's job
    declaration = _DECLARATION.match(body)
    if declaration and b"encoding" in declaration[0] and b"UTF-8" not in declaration[0].upper():
        raise _Unusual  # another character set
    return _URL_ENCODED.search(body) is not None


def _match_plain(body: bytes) -> tuple[bool, bool, _Found, list[bytes]]:
    """(url-encoded, truncated, the Contents fields, the prefixes) of a page in the plain
    shape; raises _Unusual for any other page."""
    encoded = _plain_document(body, _END)
    truncated = _TRUNCATED.search(body)
    if truncated is None or body.count(b"<NextContinuationToken>") > 1:
        raise _Unusual
    found = _CONTENTS.findall(body)
    prefixes = _PREFIX.findall(body)
    if len(found) != body.count(b"<Contents>") or len(prefixes) != body.count(b"<CommonPrefixes>"):
        raise _Unusual  # some entry is in a shape the expressions do not know
    return encoded, truncated.group(1) == b"true", found, prefixes


def _namer(encoded: bool) -> Callable[[bytes], str]:
    def name(raw: bytes) -> str:
        text = _text(raw)
        return _unquote(text) if encoded and "%" in text else text

    return name


def _parse_plain(body: bytes) -> ListedPage:
    encoded, truncated, found, prefixes = _match_plain(body)
    name = _namer(encoded)
    page = ListedPage(is_truncated=truncated)
    objects = page.object_list
    for key, modified, etag, kind, size, storage, restore in found:
        objects.append(
            from_listing(
                name(key),
                _epoch(modified.decode("utf-8")),  # an odd date is None either way
                _text(etag),
                kind.decode("utf-8") if kind else None,
                int(size),
                storage.decode("utf-8") if storage else None,
                _text(restore) if restore else None,
            )
        )
    page.prefix_list = [name(p) for p in prefixes]
    token = _TOKEN.search(body)
    if token is not None:
        page.next_continuation_token = name(token.group(1))
    return page


def parse_list_objects_v2(body: bytes) -> ListedPage:
    """A ListObjectsV2 response body, read as oss2's parser reads it (same values)."""
    try:
        return _parse_plain(body)
    except (_Unusual, UnicodeDecodeError):
        return _parse_tree(body)


# The table's class names as the listing's bytes: one shared string per class, no decoding.
_CLASS_BYTES: dict[bytes, str] = {name.encode("ascii"): name for name in CLASSES}


def _lean_names(raw: list[bytes] | tuple[bytes, ...], encoded: bool) -> list[str]:
    """The keys of a page, as `_namer` reads them one by one, decoded a page at a time: `<`
    cannot stand in XML text, so it joins and splits the page's keys exactly."""
    if not raw:
        return []
    text = b"<".join(raw).decode("utf-8")
    if "&" in text:
        name = _namer(encoded)  # entities (rare): each key read on its own
        return [name(key) for key in raw]
    if encoded and "%" in text:
        text = text.replace("%2F", "/")  # cannot span two keys: `<` stands between them
        if "%" in text:
            return [unquote(key) if "%" in key else key for key in text.split("<")]
    return text.split("<")


def _parse_plain_lean(body: bytes) -> LeanPage:
    encoded, truncated, found, _ = _match_plain(body)
    page = LeanPage(is_truncated=truncated)
    if found:
        # Columns, not rows: each field of the page is read by one C-level pass where it can.
        keys, modified, _etags, _kinds, sizes, storages, _restores = zip(*found, strict=True)
        classes = [name for name in map(_CLASS_BYTES.get, storages) if name is not None]
        if len(classes) != len(storages):  # a class the table does not know, or none named
            classes = [_class_name(raw) for raw in storages]
        times = map(_epoch, b"<".join(modified).decode("utf-8").split("<"))
        page.objects = list(
            zip(_lean_names(keys, encoded), map(int, sizes), classes, times, strict=True)
        )
    token = _TOKEN.search(body)
    if token is not None:
        page.next_continuation_token = _namer(encoded)(token.group(1))
    return page


def lean_page(page: ListedPage) -> LeanPage:
    """A page read into records, as a lean page (the unusual-shape and oss2 fallbacks)."""
    return LeanPage(
        [(o.key, o.size, o.storage_class, o.last_modified) for o in page.object_list],
        page.is_truncated,
        page.next_continuation_token,
    )


def parse_list_objects_v2_lean(body: bytes) -> LeanPage:
    """A ListObjectsV2 response body read for counting: the same values as
    `parse_list_objects_v2`, without records (common prefixes are not kept)."""
    try:
        return _parse_plain_lean(body)
    except (_Unusual, UnicodeDecodeError):
        return lean_page(_parse_tree(body))


def _parse_tree(body: bytes) -> ListedPage:
    root = ElementTree.fromstring(body)
    encoded = (root.findtext("EncodingType") or "").lower() == "url"

    def name(text: str | None) -> str:
        text = text or ""
        return _unquote(text) if encoded and "%" in text else text

    page = ListedPage(is_truncated=(root.findtext("IsTruncated") == "true"))
    objects = page.object_list
    for node in root:
        tag = node.tag
        if tag == "Contents":
            values = {child.tag: child.text for child in node}
            objects.append(
                from_listing(
                    name(values.get("Key")),
                    _epoch(values.get("LastModified") or ""),
                    values.get("ETag"),
                    values.get("Type"),
                    int(values.get("Size") or 0),
                    values.get("StorageClass"),
                    values.get("RestoreInfo"),
                )
            )
        elif tag == "CommonPrefixes":
            page.prefix_list.append(name(node.findtext("Prefix")))
        elif tag == "NextContinuationToken":
            page.next_continuation_token = name(node.text)
    return page


def list_objects_v2(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    delimiter: str = "",
    continuation_token: str = "",
    start_after: str = "",
    max_keys: int = MAX_KEYS,
    fast: bool = True,
) -> ListedPage:
    """One ListObjectsV2 page of a bucket; raises `ossbrowse.errors` errors."""
    if fast:
        body = sdk_listing.list_objects_v2_xml(
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            continuation_token=continuation_token,
            start_after=start_after,
            max_keys=max_keys,
        )
        if body is not None:
            return parse_list_objects_v2(body)
    # An oss2 without the primitive, or asked for: the SDK's own call.
    records, prefixes, truncated, token = sdk_listing.list_objects_v2(
        bucket,
        prefix=prefix,
        delimiter=delimiter,
        continuation_token=continuation_token,
        start_after=start_after,
        max_keys=max_keys,
    )
    return ListedPage(records, prefixes, truncated, token)


def list_objects_v2_lean(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    continuation_token: str = "",
    max_keys: int = MAX_KEYS,
    fast: bool = True,
) -> LeanPage:
    """One ListObjectsV2 page (no delimiter) of a bucket, read lean; raises `ossbrowse.errors`
    errors."""
    if fast:
        body = sdk_listing.list_objects_v2_xml(
            bucket,
            prefix=prefix,
            delimiter="",
            continuation_token=continuation_token,
            start_after="",
            max_keys=max_keys,
        )
        if body is not None:
            return parse_list_objects_v2_lean(body)
    page = list_objects_v2(
        bucket, prefix=prefix, continuation_token=continuation_token, max_keys=max_keys, fast=False
    )
    return lean_page(page)


def _paged(
    fetch: Callable[[C, int], Q],
    start: C,
    following: Callable[[Q, C], C | None],
    max_keys: int,
    first_max_keys: int | None,
    retry: RetryPolicy,
) -> Iterator[Q]:
    """Pages of `fetch(cursor, max keys)` from `start`, each asked under the retry rule; the
    cursor of the next page is `following(page, cursor)`, None after the last."""
    cursor = start
    size = first_max_keys or max_keys
    while True:
        page = retry.call(partial(fetch, cursor, size))
        yield page
        after = following(page, cursor)
        if after is None:
            return
        cursor = after
        size = max_keys


def _next_token(page: P, token: str) -> str | None:
    """The continuation token of the page after a ListObjectsV2 `page`, None after the last."""
    if not page.is_truncated or not page.next_continuation_token:
        return None
    return page.next_continuation_token


def iter_lean_pages(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    max_keys: int = MAX_KEYS,
    retry: RetryPolicy = DEFAULT_RETRY,
    fast: bool = True,
) -> Iterator[LeanPage]:
    """Every page under `prefix` (no delimiter), read lean, fetched lazily as `iter_pages`."""

    def fetch(token: str, size: int) -> LeanPage:
        return list_objects_v2_lean(
            bucket, prefix=prefix, continuation_token=token, max_keys=size, fast=fast
        )

    return _paged(fetch, "", _next_token, max_keys, None, retry)


def iter_pages(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    delimiter: str = "",
    max_keys: int = MAX_KEYS,
    first_max_keys: int | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    fast: bool = True,
) -> Iterator[ListedPage]:
    """Every page under `prefix`, fetched lazily (the next request goes out when the caller
    asks for the next page, so checking a cancel token between pages stops at once).

    `first_max_keys` makes the first page smaller, for a caller that shows it at once. A page
    that fails transiently (a 5xx, a reset, an answer cut short while it was read) is asked
    again under the one retry rule: a page is a read, so asking twice is harmless.
    """

    def fetch(token: str, size: int) -> ListedPage:
        return list_objects_v2(
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            continuation_token=token,
            max_keys=size,
            fast=fast,
        )

    return _paged(fetch, "", _next_token, max_keys, first_max_keys, retry)


# --- ListObjectVersions -------------------------------------------------------------------
# The same request path, page checks, retry rule and fallback as ListObjectsV2 above. Versions
# and delete markers are read by one expression, in the answer's own order (each key's
# entries newest first): oss2's parser hands them over as two lists, and their times are
# whole seconds, so a version and the delete marker written in the same second could not be
# put back in order. Reading them with oss2 was also about 70% of a whole listing's time.


class _VersionsPaged(Protocol):
    @property
    def truncated(self) -> bool: ...

    @property
    def next_key_marker(self) -> str: ...

    @property
    def next_version_id_marker(self) -> str: ...


V = TypeVar("V", bound=_VersionsPaged)


@dataclass(frozen=True, slots=True)
class VersionsPage:
    """One ListObjectVersions page. `records` holds versions and delete markers in OSS's
    order: by key, each key's newest first. Ask for the next page with both markers while
    `truncated`."""

    records: list[ObjectRecord]
    prefixes: list[str]  # common prefixes (with a delimiter), in key order
    truncated: bool
    next_key_marker: str
    next_version_id_marker: str


@dataclass(frozen=True, slots=True)
class LeanVersionsPage:
    """A ListObjectVersions page for counting: each version as a `LeanObject`, each delete
    marker by its key, no record built (common prefixes are not kept)."""

    objects: list[LeanObject]
    delete_markers: list[str]
    truncated: bool
    next_key_marker: str
    next_version_id_marker: str


_VERSIONS_END = re.compile(rb"</ListVersionsResult>\s*\Z")
# A Version has a body (ETag, Size...), a DeleteMarker none; OSS's reference puts RestoreInfo
# after Owner, our server before it: either is read.
_VERSION_ENTRY = re.compile(
    rb"<(Version|DeleteMarker)>\s*<Key>([^<]*)</Key>\s*<VersionId>([^<]*)</VersionId>"
    rb"\s*<IsLatest>(true|false)</IsLatest>\s*<LastModified>([^<]*)</LastModified>\s*"
    rb"(?:<ETag>([^<]*)</ETag>\s*(?:<Type>([^<]*)</Type>\s*)?<Size>([0-9]+)</Size>"
    rb"\s*(?:<StorageClass>([^<]*)</StorageClass>\s*)?)?"
    rb"(?:<RestoreInfo>([^<]*)</RestoreInfo>\s*)?"
    + _OWNER
    + rb"(?:<RestoreInfo>([^<]*)</RestoreInfo>\s*)?</\1>"
)
_NEXT_KEY = re.compile(rb"<NextKeyMarker>([^<]*)</NextKeyMarker>")
_NEXT_VERSION = re.compile(rb"<NextVersionIdMarker>([^<]*)</NextVersionIdMarker>")

_Entries = list[tuple[bytes, ...]]


def _match_versions(body: bytes) -> tuple[bool, bool, _Entries, list[bytes]]:
    """(url-encoded, truncated, the Version and DeleteMarker fields in document order, the
    prefixes) of a page in the plain shape; raises _Unusual for any other page."""
    encoded = _plain_document(body, _VERSIONS_END)
    truncated = _TRUNCATED.search(body)
    if (
        truncated is None
        or body.count(b"<NextKeyMarker>") > 1
        or body.count(b"<NextVersionIdMarker>") > 1
    ):
        raise _Unusual
    found: _Entries = _VERSION_ENTRY.findall(body)
    prefixes = _PREFIX.findall(body)
    entries = body.count(b"<Version>") + body.count(b"<DeleteMarker>")
    if len(found) != entries or len(prefixes) != body.count(b"<CommonPrefixes>"):
        raise _Unusual  # some entry is in a shape the expressions do not know
    for entry in found:
        if (entry[0] == b"DeleteMarker") == bool(entry[7]):
            raise _Unusual  # a version without a size, or a marker with one
    return encoded, truncated.group(1) == b"true", found, prefixes


def _version_markers(body: bytes, truncated: bool, name: Callable[[bytes], str]) -> tuple[str, str]:
    """NextKeyMarker and NextVersionIdMarker of a truncated page (both read as oss2 reads
    them: decoded under encoding-type=url); empty for the last page."""
    if not truncated:
        return "", ""
    key = _NEXT_KEY.search(body)
    version = _NEXT_VERSION.search(body)
    return (name(key.group(1)) if key else "", name(version.group(1)) if version else "")


def _parse_versions_plain(body: bytes) -> VersionsPage:
    encoded, truncated, found, prefixes = _match_versions(body)
    name = _namer(encoded)
    records: list[ObjectRecord] = []
    add = records.append
    for kind, key, vid, latest, modified, etag, otype, size, storage, before, after in found:
        when = _epoch(modified.decode("utf-8"))  # an odd date is None either way
        if kind == b"DeleteMarker":
            add(delete_marker(name(key), _text(vid), latest == b"true", when))
            continue
        restore = before or after
        add(
            from_version(
                name(key),
                _text(vid),
                latest == b"true",
                when,
                _text(etag),
                otype.decode("utf-8") if otype else None,
                int(size),
                storage.decode("utf-8") if storage else None,
                _text(restore) if restore else None,
            )
        )
    return VersionsPage(
        records, [name(p) for p in prefixes], truncated, *_version_markers(body, truncated, name)
    )


def _local(tag: str) -> str:
    # OSS's reference example puts its answer in a namespace: the element's own name.
    return tag.rpartition("}")[2]


def _parse_versions_tree(body: bytes) -> VersionsPage:
    root = ElementTree.fromstring(body)
    children = [(_local(node.tag), node) for node in root]
    top = {tag: node.text or "" for tag, node in children}
    encoded = top.get("EncodingType", "").lower() == "url"

    def name(text: str | None) -> str:
        text = text or ""
        return _unquote(text) if encoded and "%" in text else text

    records: list[ObjectRecord] = []
    prefixes: list[str] = []
    for tag, node in children:
        if tag in ("Version", "DeleteMarker"):
            values = {_local(child.tag): child.text for child in node}
            key, vid = name(values.get("Key")), values.get("VersionId") or ""
            latest = values.get("IsLatest") == "true"
            when = _epoch(values.get("LastModified") or "")
            if tag == "DeleteMarker":
                records.append(delete_marker(key, vid, latest, when))
            else:
                records.append(
                    from_version(
                        key,
                        vid,
                        latest,
                        when,
                        values.get("ETag"),
                        values.get("Type"),
                        int(values.get("Size") or 0),
                        values.get("StorageClass"),
                        values.get("RestoreInfo"),
                    )
                )
        elif tag == "CommonPrefixes":
            prefixes.extend(name(child.text) for child in node if _local(child.tag) == "Prefix")
    truncated = top.get("IsTruncated") == "true"
    markers = (name(top.get("NextKeyMarker")), name(top.get("NextVersionIdMarker")))
    return VersionsPage(records, prefixes, truncated, *(markers if truncated else ("", "")))


def parse_list_object_versions(body: bytes) -> VersionsPage:
    """A ListObjectVersions response body: the values oss2's parser reads, versions and
    delete markers in one list in the answer's order."""
    try:
        return _parse_versions_plain(body)
    except (_Unusual, UnicodeDecodeError):
        return _parse_versions_tree(body)


def _class_name(raw: bytes) -> str:
    """A listed storage class as the table names it ("Standard" when none is named)."""
    return _CLASS_BYTES.get(raw) or (raw.decode("utf-8") if raw else "Standard")


def _parse_versions_plain_lean(body: bytes) -> LeanVersionsPage:
    encoded, truncated, found, _ = _match_versions(body)
    name = _namer(encoded)
    objects: list[LeanObject] = []
    markers: list[str] = []
    keys = _lean_names([entry[1] for entry in found], encoded)
    for key, entry in zip(keys, found, strict=True):
        if entry[0] == b"DeleteMarker":
            markers.append(key)
        else:
            objects.append(
                (key, int(entry[7]), _class_name(entry[8]), _epoch(entry[4].decode("utf-8")))
            )
    return LeanVersionsPage(objects, markers, truncated, *_version_markers(body, truncated, name))


def lean_versions(page: VersionsPage) -> LeanVersionsPage:
    """A page read into records, as a lean page (the unusual-shape fallback)."""
    return LeanVersionsPage(
        [
            (r.key, r.size, r.storage_class, r.last_modified)
            for r in page.records
            if not r.delete_marker
        ],
        [r.key for r in page.records if r.delete_marker],
        page.truncated,
        page.next_key_marker,
        page.next_version_id_marker,
    )


def parse_list_object_versions_lean(body: bytes) -> LeanVersionsPage:
    """A ListObjectVersions response body read for counting: the same values as
    `parse_list_object_versions`, without records."""
    try:
        return _parse_versions_plain_lean(body)
    except (_Unusual, UnicodeDecodeError):
        return lean_versions(_parse_versions_tree(body))


def _versions_body(
    bucket: BucketHandle,
    prefix: str,
    delimiter: str,
    key_marker: str,
    version_id_marker: str,
    max_keys: int,
) -> bytes:
    return sdk_listing.list_object_versions_xml(
        bucket,
        prefix=prefix,
        delimiter=delimiter,
        key_marker=key_marker,
        version_id_marker=version_id_marker,
        max_keys=max_keys,
    )


def list_object_versions(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    delimiter: str = "",
    key_marker: str = "",
    version_id_marker: str = "",
    max_keys: int = MAX_KEYS,
) -> VersionsPage:
    """One ListObjectVersions page of a bucket, after (`key_marker`, `version_id_marker`);
    raises `ossbrowse.errors` errors."""
    body = _versions_body(bucket, prefix, delimiter, key_marker, version_id_marker, max_keys)
    return parse_list_object_versions(body)


def list_object_versions_lean(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    key_marker: str = "",
    version_id_marker: str = "",
    max_keys: int = MAX_KEYS,
) -> LeanVersionsPage:
    """One ListObjectVersions page (no delimiter) of a bucket, read lean."""
    body = _versions_body(bucket, prefix, "", key_marker, version_id_marker, max_keys)
    return parse_list_object_versions_lean(body)


def _next_markers(page: V, markers: tuple[str, str]) -> tuple[str, str] | None:
    """Both markers of the page after `page`, None after the last (or when a server's markers
    do not move on: asking again would loop forever)."""
    following = (page.next_key_marker, page.next_version_id_marker)
    if not page.truncated or not following[0] or following == markers:
        return None
    return following


def iter_version_pages(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    delimiter: str = "",
    key_marker: str = "",
    version_id_marker: str = "",
    max_keys: int = MAX_KEYS,
    first_max_keys: int | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> Iterator[VersionsPage]:
    """Every ListObjectVersions page under `prefix` from the given markers, fetched lazily as
    `iter_pages` fetches ListObjectsV2 pages (the first one `first_max_keys` if given)."""

    def fetch(markers: tuple[str, str], size: int) -> VersionsPage:
        key, version = markers
        return list_object_versions(
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            key_marker=key,
            version_id_marker=version,
            max_keys=size,
        )

    start = (key_marker, version_id_marker)
    return _paged(fetch, start, _next_markers, max_keys, first_max_keys, retry)


def iter_lean_version_pages(
    bucket: BucketHandle,
    *,
    prefix: str = "",
    max_keys: int = MAX_KEYS,
    retry: RetryPolicy = DEFAULT_RETRY,
) -> Iterator[LeanVersionsPage]:
    """Every ListObjectVersions page under `prefix` (no delimiter), read lean."""

    def fetch(markers: tuple[str, str], size: int) -> LeanVersionsPage:
        key, version = markers
        return list_object_versions_lean(
            bucket, prefix=prefix, key_marker=key, version_id_marker=version, max_keys=size
        )

    return _paged(fetch, ("", ""), _next_markers, max_keys, None, retry)


class _Done:
    """The end of the pages, as the prefetch thread hands it over."""


_DONE = _Done()


def prefetch(pages: Iterator[T]) -> Iterator[T]:
    """`pages`, with the next one fetched in a thread while the caller works on this one.

    The server builds page N+1 while this process reads page N (on two cores, the two
    overlap): pricing 100,000 objects spent a fifth of its time waiting for pages. At most
    two pages are in memory; one request may be in flight when the caller stops.
    """
    slots: queue.Queue[T | BaseException | _Done] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: T | BaseException | _Done) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer went away: drop the page, end the thread

    def produce() -> None:
        try:
            for page in pages:
                if not put(page):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="list-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            page = slots.get()
            if isinstance(page, _Done):
                return
            if isinstance(page, BaseException):
                raise page
            yield page
    finally:
        stop.set()
