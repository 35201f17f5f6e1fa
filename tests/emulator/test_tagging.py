"""Object tagging through oss2 and alibabacloud-oss-v2 (issue 13.10): tags given on PUT, copy,
append and multipart initiate are kept; HEAD and GET count them; ?tagging reads, replaces and
deletes them, within OSS's limits."""

import oss2
import pytest
from oss2.headers import OSS_OBJECT_TAGGING, OSS_OBJECT_TAGGING_COPY_DIRECTIVE
from oss2.models import PartInfo, Tagging, TaggingRule

from tests.emulator.helpers import signed_request
from tests.emulator.sdk_v2 import v2_client


def tags_of(bucket, key) -> dict:
    return bucket.get_object_tagging(key).tag_set.tagging_rule


def count_of(bucket, key) -> str | None:
    return bucket.head_object(key).headers.get("x-oss-tagging-count")


def test_tags_on_put_head_get_and_tagging_calls(oss_bucket):
    oss_bucket.put_object("k", b"x", headers={OSS_OBJECT_TAGGING: "a=1&b=two%20words&c"})
    assert tags_of(oss_bucket, "k") == {"a": "1", "b": "two words", "c": ""}
    assert count_of(oss_bucket, "k") == "3"
    assert oss_bucket.get_object("k").headers["x-oss-tagging-count"] == "3"
    rule = TaggingRule()
    rule.add("only", "one")
    oss_bucket.put_object_tagging("k", Tagging(rule))
    assert tags_of(oss_bucket, "k") == {"only": "one"}
    assert count_of(oss_bucket, "k") == "1"
    oss_bucket.delete_object_tagging("k")
    assert tags_of(oss_bucket, "k") == {}
    assert count_of(oss_bucket, "k") is None  # OSS sends no count for an untagged object
    with pytest.raises(oss2.exceptions.NoSuchKey):
        oss_bucket.get_object_tagging("missing")


def test_tags_on_copy_follow_the_tagging_directive(oss_bucket):
    oss_bucket.put_object("src", b"x", headers={OSS_OBJECT_TAGGING: "from=source"})
    oss_bucket.copy_object(oss_bucket.bucket_name, "src", "kept")
    assert tags_of(oss_bucket, "kept") == {"from": "source"}
    headers = {OSS_OBJECT_TAGGING: "new=tag", OSS_OBJECT_TAGGING_COPY_DIRECTIVE: "REPLACE"}
    oss_bucket.copy_object(oss_bucket.bucket_name, "src", "replaced", headers=headers)
    assert tags_of(oss_bucket, "replaced") == {"new": "tag"}
    headers = {OSS_OBJECT_TAGGING: "ignored=yes"}  # COPY (the default) ignores the header
    oss_bucket.copy_object(oss_bucket.bucket_name, "src", "copied", headers=headers)
    assert tags_of(oss_bucket, "copied") == {"from": "source"}


def test_tags_on_append_and_multipart(oss_bucket):
    oss_bucket.append_object("log", 0, b"a", headers={OSS_OBJECT_TAGGING: "kind=log"})
    oss_bucket.append_object("log", 1, b"b")
    assert tags_of(oss_bucket, "log") == {"kind": "log"}
    upload_id = oss_bucket.init_multipart_upload(
        "mp", headers={OSS_OBJECT_TAGGING: "kind=mp"}
    ).upload_id
    etag = oss_bucket.upload_part("mp", upload_id, 1, b"part").etag
    oss_bucket.complete_multipart_upload("mp", upload_id, [PartInfo(1, etag)])
    assert tags_of(oss_bucket, "mp") == {"kind": "mp"}
    assert count_of(oss_bucket, "mp") == "1"


def _put_tagging_raw(server, bucket, key, tags):
    body = "".join(f"<Tag><Key>{k}</Key><Value>{v}</Value></Tag>" for k, v in tags)
    body = f"<Tagging><TagSet>{body}</TagSet></Tagging>".encode()
    return signed_request(server, "PUT", bucket, key, body, params={"tagging": ""})


@pytest.mark.parametrize(
    "tags",
    [
        [(f"k{i}", "v") for i in range(11)],  # more than 10
        [("k" * 129, "v")],  # key longer than 128
        [("k", "v" * 257)],  # value longer than 256
        [("k", "1"), ("k", "2")],  # the same key twice
    ],
)
def test_tag_limits_are_oss_limits(oss_bucket, oss_server, tags):
    oss_bucket.put_object("k", b"x")
    status, body = _put_tagging_raw(oss_server, oss_bucket.bucket_name, "k", tags)
    assert status == 400 and b"<Code>InvalidTag</Code>" in body
    ok = [(f"k{i}", "v" * 256) for i in range(9)] + [("k" * 128, "v")]
    status, _ = _put_tagging_raw(oss_server, oss_bucket.bucket_name, "k", ok)
    assert status == 200 and len(tags_of(oss_bucket, "k")) == 10


def test_bad_tagging_header_refused(oss_bucket):
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.put_object("k", b"x", headers={OSS_OBJECT_TAGGING: "aa=bb=cc"})
    assert (info.value.status, info.value.code) == (400, "InvalidTag")
    assert not oss_bucket.object_exists("k")


def test_tagging_through_the_v2_sdk(oss_bucket, oss_server):
    import alibabacloud_oss_v2 as oss

    client = v2_client(oss_server)
    name = oss_bucket.bucket_name
    client.put_object(oss.PutObjectRequest(bucket=name, key="k", body=b"x", tagging="a=1&b=2"))
    head = client.head_object(oss.HeadObjectRequest(bucket=name, key="k"))
    assert head.tagging_count == 2
    got = client.get_object_tagging(oss.GetObjectTaggingRequest(bucket=name, key="k"))
    assert {t.key: t.value for t in got.tag_set.tags} == {"a": "1", "b": "2"}
    tagging = oss.Tagging(tag_set=oss.TagSet(tags=[oss.Tag(key="z", value="9")]))
    client.put_object_tagging(oss.PutObjectTaggingRequest(bucket=name, key="k", tagging=tagging))
    got = client.get_object_tagging(oss.GetObjectTaggingRequest(bucket=name, key="k"))
    assert [(t.key, t.value) for t in got.tag_set.tags] == [("z", "9")]
    client.delete_object_tagging(oss.DeleteObjectTaggingRequest(bucket=name, key="k"))
    got = client.get_object_tagging(oss.GetObjectTaggingRequest(bucket=name, key="k"))
    assert not (got.tag_set and got.tag_set.tags)
