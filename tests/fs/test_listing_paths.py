"""The fast listing path and oss2's public call give the same pages, with and without delimiter."""

from __future__ import annotations

import pytest

from ossbrowse import errors
from ossbrowse.fs import listing_xml

KEYS = [
    "top.txt",
    "a/1.txt",
    "a/2 b+c%20.txt",
    "a/sub/deep.bin",
    "a/é €/x",
    "a/q?x#y",
    "a/\x1b[31mred",
    "a/",
    "b/",
    "z\x01ctl",
]


@pytest.fixture
def filled(oss_bucket):
    for key in KEYS:
        oss_bucket.put_object(key, b"data-" + key.encode())
    oss_bucket.put_object("a/cold", b"x", headers={"x-oss-storage-class": "Archive"})
    return oss_bucket


def _expected(prefix: str, delimiter: str) -> list[str]:
    # Keys with the delimiter after the prefix roll up into CommonPrefixes, not objects.
    return sorted(
        k
        for k in [*KEYS, "a/cold"]
        if k.startswith(prefix) and not (delimiter and delimiter in k[len(prefix) :])
    )


def _pages(bucket, fast: bool, **kw):
    return list(listing_xml.iter_pages(bucket, fast=fast, **kw))


@pytest.mark.parametrize(
    ("prefix", "delimiter", "max_keys"),
    [("", "", 1000), ("", "/", 1000), ("a/", "/", 2), ("a/", "", 3), ("nothing/", "/", 10)],
)
def test_fast_and_sdk_paths_agree(filled, prefix, delimiter, max_keys):
    fast = _pages(filled, True, prefix=prefix, delimiter=delimiter, max_keys=max_keys)
    sdk = _pages(filled, False, prefix=prefix, delimiter=delimiter, max_keys=max_keys)
    assert fast == sdk
    listed = [o.key for page in fast for o in page.object_list]
    assert listed == _expected(prefix, delimiter)
    if delimiter and prefix == "a/":
        assert [p for page in fast for p in page.prefix_list] == ["a/sub/", "a/é €/"]
    cold = [o for page in fast for o in page.object_list if o.key == "a/cold"]
    if cold:
        assert cold[0].storage_class == "Archive" and cold[0].size == 1


def test_first_page_can_be_smaller(filled):
    pages = _pages(filled, True, max_keys=1000, first_max_keys=2)
    assert [len(p.object_list) for p in pages] == [2, len(KEYS) + 1 - 2]


def test_a_5xx_page_is_tried_again(filled, oss_faults):
    rule = oss_faults.add("list_objects_v2:status=503:count=2")
    pages = _pages(filled, True, prefix="a/", max_keys=1000)
    assert rule.fired == 2
    assert [o.key for o in pages[0].object_list] == _expected("a/", "")


def test_a_4xx_page_is_not_tried_again(make_bucket, oss_auth):
    import oss2

    bucket = make_bucket()
    bad = oss2.Bucket(oss2.Auth("ossbrowse", "wrong-secret"), bucket.endpoint, bucket.bucket_name)
    with pytest.raises(errors.CredentialsError) as caught:
        _pages(bad, True)
    assert caught.value.status == 403


def test_prefetch_keeps_order_and_hands_over_errors():
    def pages():
        yield 1
        yield 2
        raise RuntimeError("page 3 failed")

    got = []
    with pytest.raises(RuntimeError, match="page 3"):
        for page in listing_xml.prefetch(pages()):
            got.append(page)
    assert got == [1, 2]


def test_prefetch_stops_when_the_caller_does():
    import threading

    made = []

    def pages():
        for n in range(1000):
            made.append(n)
            yield n

    # Only this listing's thread: another test's prefetch may still be alive in this process
    # (held at the server until that test's end), and is not this test's business.
    before = set(threading.enumerate())
    it = listing_xml.prefetch(pages())
    assert next(it) == 0
    it.close()
    for thread in set(threading.enumerate()) - before:
        if thread.name == "list-prefetch":
            thread.join(timeout=60)  # a hang guard, not a duration being tested
            assert not thread.is_alive()
    assert len(made) <= 3  # one handed over, one waiting, one being made
