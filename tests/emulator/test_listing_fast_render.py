"""The listing's hand-built `<Contents>` is byte for byte what the generic XML renderer gives."""

from __future__ import annotations

import time

import pytest

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.handlers_list import _contents
from ossbrowse.emulator.headers import restore_header
from ossbrowse.emulator.model import ObjectMeta

KEYS = ["a/b.txt", "a b", "<&>\"'x", "é/€", "\x1b[31m", "q?x#y%20+", "~._-/AZ", "a//b/"]


def _generic(meta: ObjectMeta, url: bool) -> str:
    fields: list = [
        ("Key", xmlbody.encode_name(meta.key, url)),
        ("LastModified", xmlbody.iso8601(meta.mtime)),
        ("ETag", f'"{meta.etag}"'),
        ("Type", meta.object_type),
        ("Size", meta.size),
        ("StorageClass", meta.storage_class),
    ]
    restore = restore_header(meta)
    if restore:
        fields.append(("RestoreInfo", restore))
    return xmlbody.render("Contents", fields)


@pytest.mark.parametrize("url", [True, False])
@pytest.mark.parametrize("key", KEYS)
def test_same_bytes_as_the_generic_renderer(key, url):
    now = time.time()
    states = [
        ("Standard", None, None),
        ("Archive", now + 10, now + 100),  # restoring
        ("ColdArchive", now - 1, now + 100),  # restored
        ("Archive", now - 10, now - 1),  # restore expired
    ]
    for storage_class, until, expiry in states:
        meta = ObjectMeta(key=key, size=5, etag="ABC", crc64=0, mtime=now + 0.5,
                          storage_class=storage_class, restore_until=until,
                          restore_expiry=expiry)  # fmt: skip
        assert _contents(None, meta, url, False) == _generic(meta, url)
