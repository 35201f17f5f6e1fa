"""Request XML is parsed by one hardened parser (defusedxml) whatever its encoding: a DOCTYPE
or an entity is MalformedXML, as OSS answers, never expanded (issue 11, case 13)."""

from __future__ import annotations

import base64
import hashlib

import oss2
import pytest

from tests.emulator.helpers import signed_request

_DELETE_WITH_ENTITY = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE Delete [<!ENTITY victim "keep-me">]>\n'
    "<Delete><Quiet>false</Quiet><Object><Key>&victim;</Key></Object></Delete>"
)
_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    "<Delete><Object><Key>&lol2;</Key></Object></Delete>"
)
_EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<Delete><Object><Key>&x;</Key></Object></Delete>"
)


def _delete(server, bucket: str, body: bytes):
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    return signed_request(server, "POST", bucket, "", body=body, params={"delete": ""},
                          headers={"Content-MD5": md5, "Content-Type": "application/xml"},
                          path=f"/{bucket}/")  # fmt: skip


@pytest.mark.parametrize("encoding", ["UTF-16", "UTF-16-LE", "UTF-8"])
def test_entity_in_any_encoding_is_malformed_xml(oss_server, oss_bucket, encoding):
    oss_bucket.put_object("keep-me", b"precious")
    text = _DELETE_WITH_ENTITY.format(encoding=encoding.replace("-LE", ""))
    codec = {"UTF-16": "utf-16", "UTF-16-LE": "utf-16-le", "UTF-8": "utf-8"}[encoding]
    body = text.encode(codec)
    if codec == "utf-16-le":
        body = b"\xff\xfe" + body  # a byte-order mark, as a UTF-16 writer puts it
    status, answer = _delete(oss_server, oss_bucket.bucket_name, body)
    assert status == 400 and b"<Code>MalformedXML</Code>" in answer
    assert oss_bucket.get_object("keep-me").read() == b"precious"


@pytest.mark.parametrize("body", [_LAUGHS, _EXTERNAL], ids=["entity-expansion", "external"])
def test_entity_tricks_are_malformed_xml(oss_server, oss_bucket, body):
    status, answer = _delete(oss_server, oss_bucket.bucket_name, body.encode())
    assert status == 400 and b"<Code>MalformedXML</Code>" in answer


def test_a_well_formed_utf16_body_is_read(oss_server, oss_auth):
    """Hardening refuses tricks, not encodings: a plain UTF-16 CreateBucketConfiguration works."""
    body = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        "<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>"
    ).encode("utf-16")
    status, answer = signed_request(oss_server, "PUT", "utf16-made", "", body=body,
                                    path="/utf16-made/")  # fmt: skip
    assert status == 200, answer
    bucket = oss2.Bucket(oss_auth, oss_server.endpoint, "utf16-made")
    assert bucket.get_bucket_info().storage_class == "IA"
    bucket.delete_bucket()


def test_create_bucket_body_with_an_entity_is_refused(oss_server):
    body = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE c [<!ENTITY s "IA">]>'
        "<CreateBucketConfiguration><StorageClass>&s;</StorageClass></CreateBucketConfiguration>"
    ).encode("utf-16")
    status, answer = signed_request(oss_server, "PUT", "entity-made", "", body=body,
                                    path="/entity-made/")  # fmt: skip
    assert status == 400 and b"<Code>MalformedXML</Code>" in answer
    assert "entity-made" not in oss_server.store.buckets
