"""The gateway to OSS (ossbrowse/fs/gateway): the only code that imports oss2, answering with
the product's records and errors; tested against the local server through unmodified oss2."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ossbrowse import errors
from ossbrowse.crc64 import crc64
from ossbrowse.fs.gateway import multipart, objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.retrying import RetryPolicy

PACKAGE = Path(__file__).resolve().parents[2] / "ossbrowse"
FAST = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.01)


def _imports_oss2(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name == "oss2" or a.name.startswith("oss2.") for a in node.names
        ):
            return True
        module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
        if isinstance(node, ast.ImportFrom) and node.level == 0 and module.split(".")[0] == "oss2":
            return True
    return False


def test_only_the_gateway_imports_oss2() -> None:
    # Lazy imports inside functions count too (ast.walk sees every import statement).
    outside = sorted(
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if _imports_oss2(p) and p.parts[len(PACKAGE.parts)] != "emulator"
        and "gateway" not in p.relative_to(PACKAGE).parts
    )  # fmt: skip
    assert outside == []


def test_translating_an_exception_does_not_load_oss2() -> None:
    code = (
        "import sys; from ossbrowse.fs.gateway import failures as f;"
        "x = ValueError('x');"
        "assert f.kind(x) is None and f.translate(x, action='a').code == '';"
        "assert 'oss2' not in sys.modules, 'oss2 was loaded'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_head_is_the_one_record_and_a_missing_key_is_told_apart(oss_bucket) -> None:
    oss_bucket.put_object("a.txt", b"hello", headers={"x-oss-storage-class": "IA"})
    record = objects.head(oss_bucket, "a.txt")
    assert isinstance(record, ObjectRecord)
    assert (record.key, record.size, record.storage_class) == ("a.txt", 5, "IA")
    assert record.crc64 == crc64(b"hello")
    with pytest.raises(errors.NoSuchKey) as caught:
        objects.head(oss_bucket, "missing")
    assert caught.value.status == 404 and caught.value.code in ("", "NoSuchKey")
    assert f"oss://{oss_bucket.bucket_name}/missing" in str(caught.value)


def test_tags_are_written_read_and_removed_as_plain_dicts(oss_bucket) -> None:
    oss_bucket.put_object("t", b"x")
    objects.write_tags(oss_bucket, "t", {"team": "data", "tier": "gold"})
    assert objects.read_tags(oss_bucket, "t") == {"team": "data", "tier": "gold"}
    objects.write_tags(oss_bucket, "t", {})
    assert objects.read_tags(oss_bucket, "t") == {}


def test_restore_answers_its_status_and_a_second_one_is_in_progress(oss_bucket) -> None:
    oss_bucket.put_object("cold", b"x", headers={"x-oss-storage-class": "Archive"})
    assert objects.restore_object(oss_bucket, "cold", 1) == 202
    with pytest.raises(errors.RestoreInProgress) as caught:
        objects.restore_object(oss_bucket, "cold", 1)
    assert caught.value.code == "RestoreAlreadyInProgress" and caught.value.status == 409
    assert caught.value.request_id


def test_multipart_uploads_and_parts_are_records_and_complete_is_one(oss_bucket) -> None:
    data = b"z" * 1000
    upload_id = oss_bucket.init_multipart_upload("big").upload_id
    etag = oss_bucket.upload_part("big", upload_id, 1, data).etag
    page = multipart.list_uploads(
        oss_bucket, prefix="b", key_marker="", upload_id_marker="", max_uploads=10
    )
    assert [(u.key, u.upload_id) for u in page.uploads] == [("big", upload_id)]
    assert not page.truncated and page.uploads[0].initiated > 0
    assert multipart.list_parts(oss_bucket, "big", upload_id) == [
        multipart.ListedPart(1, etag.strip('"'), len(data))
    ]
    done = multipart.complete_multipart_upload(
        oss_bucket, "big", upload_id, [(1, etag)], expect_crc=crc64(data), policy=FAST
    )
    assert done == multipart.Completed(crc64(data), done.etag) and not done.from_head
    with pytest.raises(errors.NoSuchUpload) as caught:
        multipart.list_parts(oss_bucket, "big", upload_id)
    assert caught.value.code == "NoSuchUpload" and "no longer exists" in str(caught.value)


def test_presign_sends_nothing_and_the_url_reads_the_object(oss_bucket) -> None:
    import requests

    oss_bucket.put_object("p.txt", b"signed")
    url = objects.presign_get(oss_bucket, "p.txt", 60)
    assert requests.get(url, timeout=10).content == b"signed"


def test_buckets_are_records_with_their_date_class_and_region(oss_server, oss_bucket) -> None:
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.fs.gateway import buckets
    from ossbrowse.fs.gateway.client import OssClient

    settings = ConnectionSettings(
        endpoint=oss_server.endpoint,
        access_key_id=oss_server.access_key_id,
        access_key_secret=oss_server.access_key_secret,
    )
    client = OssClient(settings)
    page = buckets.list_buckets(client, marker="", max_keys=1000)
    found = [b for b in page.buckets if b.name == oss_bucket.bucket_name]
    assert len(found) == 1 and found[0].created and found[0].created > 0
    info = buckets.bucket_info(client.bucket(oss_bucket.bucket_name))
    assert info.name == oss_bucket.bucket_name and info.storage_class == "Standard"
    assert info.created and abs(info.created - found[0].created) < 1
