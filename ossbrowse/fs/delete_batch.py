"""Batch deletes that no single key can block: DeleteMultipleObjects, with DeleteObject beside it.

A key is 1 to 1023 bytes of UTF-8, control characters included; the Delete request is XML 1.0,
which cannot carry most of them (U+0001..U+0008, U+000B, U+000C, U+000E..U+001F, U+FFFE,
U+FFFF), not even as character references. oss2 writes such a key raw into the body, and the
whole batch is refused (MalformedXML): one `bell\\x07.txt` kept 999 other keys from being
deleted, every time. So:

- keys XML 1.0 can carry go in the batch; tab, line feed and carriage return as character
  references (a raw CR would be read back as LF by any XML parser: another key's name);
- keys it cannot carry are deleted one by one with DeleteObject (the key is in the URL there);
- a batch refused as a whole for its body (any 400 answer: MalformedXML, InvalidArgument, ...)
  falls back to DeleteObject per key; a key the answer does not list as deleted does too.

The official SDKs send the same `?delete&encoding-type=url` request with the body's keys
XML-escaped, and read keys URL-encoded in the answer; so does this module. The request is
signed and sent by oss2 (`Bucket._do`, as in `listing_xml`); every attempt goes through the one
retry rule (`fs.retrying`), and a repeated delete is harmless (deleting a gone key succeeds).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ossbrowse.fs.gateway import deleting, objects
from ossbrowse.fs.gateway.handle import BucketHandle
from ossbrowse.fs.retrying import DEFAULT_RETRY, CancelWaiter, RetryPolicy

MAX_BATCH = 1000  # OSS's limit for one DeleteMultipleObjects

# What XML 1.0 cannot carry at all (https://www.w3.org/TR/xml/#charsets), lone surrogates too.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_TO_ESCAPE = re.compile("[&<>\t\n\r]")


def xml_can_carry(key: str) -> bool:
    """Whether `key` can be written into an XML 1.0 body at all."""
    return _NOT_XML.search(key) is None


def _escape(key: str) -> str:
    return _TO_ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], key)


def delete_body(keys: list[str]) -> bytes:
    """The DeleteMultipleObjects body for `keys` (all of which `xml_can_carry`), verbose mode:
    the answer lists every key deleted, so a key left out of it is noticed."""
    objects = "".join(f"<Object><Key>{_escape(k)}</Key></Object>" for k in keys)
    text = f'<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet>{objects}</Delete>'
    return text.encode("utf-8")


def parse_deleted(body: bytes) -> set[str]:
    """The keys a DeleteResult lists as deleted (URL-decoded when it says it encoded them)."""
    if not body.strip():
        return set()
    from defusedxml.ElementTree import fromstring

    root = fromstring(body)
    encoded = (root.findtext("EncodingType") or "").lower() == "url"
    keys = set()
    for node in root.findall("Deleted"):
        key = node.findtext("Key") or ""
        keys.add(unquote(key) if encoded else key)
    return keys


@dataclass
class DeleteOutcome:
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, BaseException]] = field(default_factory=list)  # (key, why)
    single_requests: int = 0  # DeleteObject requests sent beside the batch


def _send_batch(bucket: BucketHandle, keys: list[str]) -> set[str]:
    body = delete_body(keys)
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode("ascii")
    headers = {"Content-MD5": md5, "Content-Type": "application/xml"}
    answer = deleting.delete_objects_xml(bucket, body, headers)
    if answer is None:  # an oss2 without the primitive: its own call (raw keys; the rest is ours)
        return deleting.delete_objects(bucket, keys)
    return parse_deleted(answer)  # read inside the attempt: a cut answer is retried


def _refused_for_its_body(exc: BaseException) -> bool:
    # 400 is what OSS answers for a body it cannot take (MalformedXML, InvalidArgument, ...);
    # 403 or 404 would refuse every key the same way one by one.
    return getattr(exc, "status", None) == 400


def delete_keys(
    bucket: BucketHandle,
    keys: list[str],
    *,
    policy: RetryPolicy = DEFAULT_RETRY,
    cancel: CancelWaiter | None = None,
) -> DeleteOutcome:
    """Delete up to 1000 `keys` of a bucket; each key ends up deleted or failed with why.

    Raises nothing from OSS: a failure is recorded against the keys it concerns.
    """
    if len(keys) > MAX_BATCH:
        raise ValueError(f"at most {MAX_BATCH} keys a batch, not {len(keys)}")
    outcome = DeleteOutcome()
    batch = [k for k in keys if xml_can_carry(k)]
    one_by_one = [k for k in keys if not xml_can_carry(k)]
    if batch:
        try:
            deleted = policy.call(lambda: _send_batch(bucket, batch), cancel=cancel)
        except Exception as exc:
            if _refused_for_its_body(exc):
                one_by_one = batch + one_by_one
            else:
                outcome.failed.extend((k, exc) for k in batch)
        else:
            for key in batch:
                if key in deleted:
                    outcome.deleted.append(key)
                else:
                    one_by_one.append(key)
    for key in one_by_one:  # few: a batch's odd keys are finished even after a cancel
        outcome.single_requests += 1
        try:
            policy.call(functools.partial(objects.delete_object, bucket, key), cancel=cancel)
        except Exception as exc:
            outcome.failed.append((key, exc))
        else:
            outcome.deleted.append(key)
    return outcome
