"""Batch deletes that no key can block (`ossbrowse.fs.delete_batch`), against the local server."""

from __future__ import annotations

import oss2
import pytest

from ossbrowse.fs import delete_batch
from ossbrowse.fs.delete_batch import delete_body, delete_keys, parse_deleted, xml_can_carry
from ossbrowse.fs.retrying import RetryPolicy

FAST = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.01)


def _keys(bucket, prefix: str = "") -> list[str]:
    return sorted(o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix))


def test_which_keys_xml_can_carry():
    assert xml_can_carry("plain/key.txt")
    assert xml_can_carry("tab\tnewline\ncarriage\rreturn & <tags>")
    assert xml_can_carry("文件/名")
    for bad in ("bell\x07.txt", "nul\x00", "esc\x1b[31m", "\x0b", "\x0c", "\ufffe", "\uffff"):
        assert not xml_can_carry(bad), repr(bad)


def test_the_body_keeps_every_character_it_carries():
    from xml.etree import ElementTree

    keys = ["a\rb", "a\nb", "a\tb", "a&b<c>d", "文件"]
    root = ElementTree.fromstring(delete_body(keys))
    # A raw CR would come back as LF (another key's name); a reference comes back as itself.
    assert [node.text for node in root.iter("Key")] == keys


def test_the_answer_is_read_url_decoded():
    body = (
        b"<?xml version='1.0' encoding='UTF-8'?><DeleteResult><EncodingType>url</EncodingType>"
        b"<Deleted><Key>src%2Fbell%07.txt</Key></Deleted><Deleted><Key>a%2Bb</Key></Deleted>"
        b"</DeleteResult>"
    )
    assert parse_deleted(body) == {"src/bell\x07.txt", "a+b"}
    assert parse_deleted(b"") == set()


def test_a_control_character_blocks_nothing(oss_bucket):
    ordinary = [f"src/k{i:02d}" for i in range(20)]
    odd = ["src/bell\x07.txt", "src/esc\x1b[31m.txt"]
    for key in ordinary + odd:
        oss_bucket.put_object(key, b"x")
    outcome = delete_keys(oss_bucket, ordinary + odd, policy=FAST)
    assert outcome.failed == []
    assert sorted(outcome.deleted) == sorted(ordinary + odd)
    assert outcome.single_requests == len(odd)  # the batch carried all the others
    assert _keys(oss_bucket, "src/") == []


def test_a_carriage_return_deletes_its_own_key_not_its_neighbour(oss_bucket):
    oss_bucket.put_object("cr\rkey", b"cr")
    oss_bucket.put_object("cr\nkey", b"lf")
    oss_bucket.put_object("other", b"o")
    outcome = delete_keys(oss_bucket, ["cr\rkey", "other"], policy=FAST)
    assert sorted(outcome.deleted) == ["cr\rkey", "other"] and outcome.failed == []
    assert _keys(oss_bucket) == ["cr\nkey"]


def test_a_batch_refused_as_a_whole_falls_back_to_single_deletes(oss_bucket, monkeypatch):
    keys = [f"r/{i}" for i in range(5)]
    for key in keys:
        oss_bucket.put_object(key, b"x")
    # A body the server refuses (MalformedXML, 400), for real: whatever the reason a batch is
    # refused for its body, its keys are still deleted, one by one.
    monkeypatch.setattr(delete_batch, "delete_body", lambda _keys: b"<Delete><Object>")
    outcome = delete_keys(oss_bucket, keys, policy=FAST)
    assert sorted(outcome.deleted) == keys and outcome.failed == []
    assert outcome.single_requests == len(keys)
    assert _keys(oss_bucket, "r/") == []


def test_a_refusal_that_is_not_about_the_body_is_reported_per_key(oss_server, oss_bucket):
    oss_bucket.put_object("locked/a", b"x")
    anonymous = oss2.Bucket(oss2.AnonymousAuth(), oss_server.endpoint, oss_bucket.bucket_name)
    outcome = delete_keys(anonymous, ["locked/a"], policy=FAST)
    assert outcome.deleted == [] and [k for k, _ in outcome.failed] == ["locked/a"]
    assert outcome.single_requests == 0  # AccessDenied would repeat for every key
    assert _keys(oss_bucket, "locked/") == ["locked/a"]


def test_more_than_a_batch_is_refused_up_front(oss_bucket):
    with pytest.raises(ValueError):
        delete_keys(oss_bucket, [f"k{i}" for i in range(1001)])
