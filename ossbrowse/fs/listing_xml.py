"""ListObjectsV2 through oss2's signed-request primitive, parsed here at a fraction of the cost.

oss2's own parser spends most of a page's time in Python per key (ISO-8601 by regex, an
element lookup per field, `unquote` on every key): in a profile of `ossbrowse ls` on 100,000
keys it was over half the run. The request is still signed and sent by oss2 (`Bucket._do`,
the primitive its `list_objects_v2` calls); only the XML is read differently. An oss2 without
that primitive falls back to its public call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import unquote
from xml.etree import ElementTree


@dataclass(slots=True)
class ListedObject:
    key: str
    last_modified: int | None  # seconds since the epoch, as oss2 gives it
    etag: str
    type: str | None
    size: int
    storage_class: str | None
    restore_info: str | None = None


@dataclass(slots=True)
class ListedPage:
    object_list: list[ListedObject] = field(default_factory=list)
    prefix_list: list[str] = field(default_factory=list)
    is_truncated: bool = False
    next_continuation_token: str = ""


@lru_cache(maxsize=4096)
def _epoch(text: str) -> int | None:
    # Many keys share a second; the cache turns most of these into a dict lookup.
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def parse_list_objects_v2(body: bytes) -> ListedPage:
    root = ElementTree.fromstring(body)
    encoded = (root.findtext("EncodingType") or "").lower() == "url"

    def name(text: str | None) -> str:
        text = text or ""
        return unquote(text) if encoded and "%" in text else text

    page = ListedPage(is_truncated=(root.findtext("IsTruncated") == "true"))
    for node in root:
        tag = node.tag
        if tag == "Contents":
            values = {child.tag: child.text for child in node}
            page.object_list.append(
                ListedObject(
                    key=name(values.get("Key")),
                    last_modified=_epoch(values.get("LastModified") or ""),
                    etag=(values.get("ETag") or "").strip('"'),
                    type=values.get("Type"),
                    size=int(values.get("Size") or 0),
                    storage_class=values.get("StorageClass"),
                    restore_info=values.get("RestoreInfo"),
                )
            )
        elif tag == "CommonPrefixes":
            page.prefix_list.append(name(node.findtext("Prefix")))
        elif tag == "NextContinuationToken":
            page.next_continuation_token = name(node.text)
    return page


def list_objects_v2(
    bucket, *, prefix: str, delimiter: str = "", continuation_token: str = "", max_keys: int
) -> ListedPage:
    """One ListObjectsV2 page of an oss2.Bucket; raises what oss2 raises."""
    do = getattr(bucket, "_do", None)
    if do is None:  # pragma: no cover - an oss2 without the primitive
        return bucket.list_objects_v2(  # type: ignore[no-any-return]
            prefix=prefix,
            delimiter=delimiter,
            continuation_token=continuation_token,
            max_keys=max_keys,
        )
    params = {
        "list-type": "2",
        "prefix": prefix,
        "delimiter": delimiter,
        "continuation-token": continuation_token,
        "start-after": "",
        "fetch-owner": "false",
        "max-keys": str(max_keys),
        "encoding-type": "url",
    }
    response = do("GET", bucket.bucket_name, "", params=params)
    return parse_list_objects_v2(response.read())
