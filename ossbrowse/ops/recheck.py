"""What each source holds right now: the ETag check a move makes just before deleting a source.

OSS has no conditional delete, so a move narrows the window instead: a source whose ETag is no
longer the one its verified copy was made from has been overwritten since, and is kept. A few
keys are HEADed (no ListObjects permission needed, as for a single rename); more are read from
listing pages that start at the first key asked (ListObjectsV2 `start-after`), so a chunk of
neighbouring keys costs one request per 1,000, not one each.
"""

from __future__ import annotations

import functools
from typing import Any

from ossbrowse.errors import NoSuchKey
from ossbrowse.fs import listing_xml
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.retrying import DEFAULT_RETRY, CancelWaiter, RetryPolicy

HEAD_AT_MOST = 2  # up to this many keys a HEAD each is no dearer than a page
_LAST_CHAR = "\U0010ffff"  # sorts after every other character, in UTF-8 byte order too
_MAX_KEY_BYTES = 1023


def just_before(key: str) -> str:
    """A string that sorts before `key` and after (nearly) every other key that does: the
    `start-after` that makes a listing begin with `key` itself."""
    if not key:
        return ""
    head, last = key[:-1], ord(key[-1])
    if last == 0:
        return head
    below = last - 1
    if 0xD800 <= below <= 0xDFFF:
        below = 0xD7FF  # no surrogate in a key: the code point before them
    candidate = head + chr(below)
    # Appending the largest character skips keys that merely start with the candidate.
    longer = candidate + _LAST_CHAR
    return longer if len(longer.encode("utf-8", "surrogatepass")) <= _MAX_KEY_BYTES else candidate


def _common_prefix(a: str, b: str) -> str:
    # Character by character on purpose: a key prefix, not a path.
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _etag(value: str | None) -> str | None:
    return value.strip('"') if value else None


def _head(bucket: Any, key: str, policy: RetryPolicy, cancel: CancelWaiter | None) -> str | None:
    try:
        head = policy.call(lambda: objects.head(bucket, key), cancel=cancel)
    except NoSuchKey:
        return None
    return _etag(head.etag)


def current_etags(
    bucket: Any,
    keys: list[str],
    *,
    policy: RetryPolicy = DEFAULT_RETRY,
    cancel: CancelWaiter | None = None,
) -> dict[str, str | None]:
    """Each key's ETag as OSS holds it now (None: there is no such object now).

    Raises what the gateway raises when OSS cannot be asked (after the retry rule's attempts).
    """
    wanted = sorted(set(keys))
    if len(wanted) <= HEAD_AT_MOST:
        return {key: _head(bucket, key, policy, cancel) for key in wanted}
    prefix = _common_prefix(wanted[0], wanted[-1])  # of sorted keys: of all of them
    found: dict[str, str | None] = {}
    position = 0
    while position < len(wanted):
        first, before = wanted[position], position
        page = policy.call(
            functools.partial(
                listing_xml.list_objects_v2,
                bucket,
                prefix=prefix,
                start_after=just_before(first),
                max_keys=listing_xml.MAX_KEYS,
            ),
            cancel=cancel,
        )
        listed = {o.key: o.etag for o in page.object_list}
        last = page.object_list[-1].key if page.object_list else None
        while position < len(wanted):
            key = wanted[position]
            # Past the page's last key only an untruncated page says "not there".
            if page.is_truncated and (last is None or key > last):
                break
            found[key] = _etag(listed.get(key))
            position += 1
        if position == before:
            break  # a page that settled nothing would be asked again forever: HEAD the rest
    for key in wanted[position:]:
        found[key] = _head(bucket, key, policy, cancel)
    return found
