"""What only the OSS side has: markers, buckets, object types, CRC64, archive and restore,
signing versions and STS tokens — all against the local server through oss2."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import oss2
import pytest

from ossbrowse import errors
from ossbrowse.config import ConnectionSettings
from ossbrowse.crc64 import crc64
from ossbrowse.fs.base import Entry, EntryKind, RestoreStatus
from ossbrowse.fs.gateway.handle import sdk_bucket
from ossbrowse.fs.oss import OssClient, OssFileSystem, require_readable
from ossbrowse.fs.restore_state import restore_state

from .conftest import settings_for


def test_folder_markers_show_once_and_never_as_their_own_child(oss_fs, oss_bucket):
    name = oss_bucket.bucket_name
    for key in ["d/", "d/sub/", "d/sub/x", "d/emptysub/", "d/file.txt", "d/sub2/y"]:
        oss_bucket.put_object(key, b"" if key.endswith("/") else b"x")
    entries = list(oss_fs.iter_entries(f"oss://{name}/d/"))
    assert [(e.name, e.kind) for e in entries] == [
        ("emptysub", EntryKind.FOLDER),
        ("file.txt", EntryKind.FILE),
        ("sub", EntryKind.FOLDER),
        ("sub2", EntryKind.FOLDER),
    ]
    assert entries[0].path == f"oss://{name}/d/emptysub/"
    # Alluxio style, without the slash, lists the same folder.
    assert [e.name for e in oss_fs.iter_entries(f"oss://{name}/d")] == [e.name for e in entries]


def test_page_of_only_the_marker_is_skipped(oss_fs, oss_bucket):
    oss_bucket.put_object("m/", b"")
    oss_bucket.put_object("m/only", b"x")
    page = oss_fs.list_page(f"oss://{oss_bucket.bucket_name}/m/", limit=1)
    assert [e.name for e in page.entries] == ["only"]


def test_bucket_top_and_keys_that_look_like_paths(oss_fs, oss_bucket):
    oss_bucket.put_object("../escape", b"x")
    oss_bucket.put_object("top.txt", b"x")
    top = {e.name: e for e in oss_fs.iter_entries(f"oss://{oss_bucket.bucket_name}/")}
    assert set(top) == {"..", "top.txt"}
    assert top[".."].is_dir
    assert [e.name for e in oss_fs.iter_entries(top[".."].path)] == ["escape"]


def test_buckets_are_listed_paged_with_region(oss_fs, make_bucket):
    made = {make_bucket().bucket_name for _ in range(3)}
    seen = {}
    token = None
    while True:
        page = oss_fs.list_page("oss://", token, limit=1)
        assert len(page.entries) <= 1
        seen.update({e.name: e for e in page.entries})
        if page.next_token is None:
            break
        token = page.next_token
    assert made <= set(seen)
    one = seen[sorted(made)[0]]
    assert one.kind is EntryKind.BUCKET and one.path == f"oss://{one.name}/"
    assert one.region == "cn-hangzhou"


def test_stat_bucket_and_root(oss_fs, oss_bucket):
    entry = oss_fs.stat(f"oss://{oss_bucket.bucket_name}/")
    assert entry.kind is EntryKind.BUCKET and entry.name == oss_bucket.bucket_name
    assert oss_fs.stat("oss://").is_dir
    assert oss_fs.parent("oss://") is None
    assert oss_fs.parent(f"oss://{oss_bucket.bucket_name}/") == "oss://"


def test_stat_object_reports_type_crc_etag_and_metadata(oss_fs, oss_bucket):
    data = b"some bytes worth checking"
    oss_bucket.put_object("o.txt", data, headers={"x-oss-meta-owner": "ops", "x-oss-meta-n": "1"})
    entry = oss_fs.stat(f"oss://{oss_bucket.bucket_name}/o.txt")
    assert entry.object_type == "Normal"
    assert entry.crc64 == crc64(data)
    assert entry.etag and '"' not in entry.etag
    assert entry.storage_class == "Standard"
    assert entry.user_meta == {"owner": "ops", "n": "1"}
    assert entry.restore.status is RestoreStatus.NOT_NEEDED


def test_appendable_object_type(oss_fs, oss_bucket):
    oss_bucket.append_object("log", 0, b"one ")
    oss_bucket.append_object("log", 4, b"two")
    entry = oss_fs.stat(f"oss://{oss_bucket.bucket_name}/log")
    assert entry.object_type == "Appendable" and entry.size == 7
    (listed,) = oss_fs.iter_entries(f"oss://{oss_bucket.bucket_name}/")
    assert listed.object_type == "Appendable"


def test_stat_folder_url_answers_a_folder_if_anything_is_under_it(oss_fs, oss_bucket):
    oss_bucket.put_object("p/q/r.txt", b"x")
    name = oss_bucket.bucket_name
    assert oss_fs.stat(f"oss://{name}/p/").kind is EntryKind.FOLDER
    assert oss_fs.stat(f"oss://{name}/p/q").kind is EntryKind.FOLDER  # Alluxio style
    with pytest.raises(errors.NoSuchKey, match="does not exist"):
        oss_fs.stat(f"oss://{name}/p/nothing/")


def test_archived_object_cannot_be_read_until_restored(oss_fs, oss_bucket, oss_server):
    oss_bucket.put_object("cold.bin", b"frozen", headers={"x-oss-storage-class": "Archive"})
    path = f"oss://{oss_bucket.bucket_name}/cold.bin"
    entry = oss_fs.stat(path)
    assert entry.is_archived and entry.restore.status is RestoreStatus.NOT_RESTORED
    (listed,) = oss_fs.iter_entries(f"oss://{oss_bucket.bucket_name}/")
    assert listed.storage_class == "Archive"
    with pytest.raises(errors.ArchivedObjectError, match="Restore it first"):
        require_readable(entry)  # before reading, from stat
    with pytest.raises(errors.ArchivedObjectError, match=r"InvalidObjectState.*Restore it first"):
        oss_fs.open_read(path)  # and always from the 403

    oss_bucket.restore_object("cold.bin")
    assert oss_fs.stat(path).restore.status is RestoreStatus.IN_PROGRESS
    deadline = time.monotonic() + 60  # a hang guard: the restore takes 1 s, a loaded machine more
    while oss_fs.stat(path).restore.status is not RestoreStatus.RESTORED:
        assert time.monotonic() < deadline, "restore never finished"
        time.sleep(0.2)
    restored = oss_fs.stat(path)
    assert restored.restore.expires is not None and restored.restore.readable
    with oss_fs.open_read(path) as stream:
        assert stream.read() == b"frozen"


def test_whole_read_is_checked_against_crc64(oss_fs, oss_bucket, oss_faults):
    oss_bucket.put_object("c.bin", b"x" * 5000)
    oss_faults.add("get_object:corrupt:count=1")
    stream = oss_fs.open_read(f"oss://{oss_bucket.bucket_name}/c.bin")
    with pytest.raises(errors.IntegrityError, match="CRC64"):
        stream.read()
    stream.close()
    with oss_fs.open_read(f"oss://{oss_bucket.bucket_name}/c.bin") as stream:
        assert stream.read() == b"x" * 5000


def test_missing_bucket(oss_fs):
    with pytest.raises(errors.BucketNotFound, match="no-such-bucket-here"):
        oss_fs.list_page("oss://no-such-bucket-here/")
    with pytest.raises(errors.BucketNotFound):
        oss_fs.stat("oss://no-such-bucket-here/key")
    assert not oss_fs.exists("oss://no-such-bucket-here/key")


def test_v4_signing_when_the_region_is_known(oss_server, oss_bucket):
    settings = settings_for(oss_server, region="cn-hangzhou")
    client = OssClient(settings)
    assert client.signature_version == 4
    assert isinstance(sdk_bucket(client.bucket("xyz")).auth, oss2.ProviderAuthV4)
    fs = OssFileSystem(client)
    oss_bucket.put_object("v4.txt", b"signed")
    with fs.open_read(f"oss://{oss_bucket.bucket_name}/v4.txt") as stream:
        assert stream.read() == b"signed"
    assert [e.name for e in fs.iter_entries(f"oss://{oss_bucket.bucket_name}/")] == ["v4.txt"]


def test_v1_without_region_and_path_style_for_loopback(oss_server):
    client = OssClient(settings_for(oss_server))
    assert client.signature_version == 1 and client.path_style
    assert isinstance(sdk_bucket(client.bucket("xyz")).auth, oss2.Auth)
    assert client.bucket("xyz") is client.bucket("xyz")  # cached


def test_endpoint_rules_without_requests():
    settings = ConnectionSettings(
        endpoint="https://oss-cn-hangzhou.aliyuncs.com",
        region="cn-hangzhou",
        access_key_id="LTAIxxxxxxxxxxxxxxxx",
        access_key_secret="secret",
    )
    client = OssClient(settings)
    assert not client.path_style and client.signature_version == 4
    with pytest.raises(errors.ConfigError, match="No OSS endpoint"):
        OssClient(ConnectionSettings(access_key_id="a", access_key_secret="b"))
    with pytest.raises(errors.ConfigError, match="secret is missing"):
        OssClient(ConnectionSettings(endpoint="http://127.0.0.1:1", access_key_id="a"))


@pytest.fixture(scope="module")
def sts_server():
    from ossbrowse.emulator import EmulatorServer

    with EmulatorServer(sts_token="the-sts-token") as srv:
        srv.create_bucket("sts-bucket")
        yield srv


@pytest.mark.parametrize("region", [None, "cn-hangzhou"], ids=["v1", "v4"])
def test_sts_token_is_sent(sts_server, region):
    fs = OssFileSystem(
        OssClient(settings_for(sts_server, sts_token="the-sts-token", region=region))
    )
    assert fs.list_page("oss://sts-bucket/").entries == []
    fs.mkdir("oss://sts-bucket/made/")
    assert fs.exists("oss://sts-bucket/made/")
    fs.delete("oss://sts-bucket/made/")


# --- pure logic ---------------------------------------------------------------------------


def test_parse_restore_states():
    # The pane's restore state comes from the one reader (fs.restore_state), expiry included.
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    later = (now + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    earlier = (now - timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert restore_state("Standard", None).status is RestoreStatus.NOT_NEEDED
    assert restore_state("Archive", None).status is RestoreStatus.NOT_RESTORED
    assert restore_state("ColdArchive", None).status is RestoreStatus.NOT_RESTORED
    assert restore_state("Archive", 'ongoing-request="true"').status is RestoreStatus.IN_PROGRESS
    done = restore_state("Archive", f'ongoing-request="false", expiry-date="{later}"', now)
    assert done.status is RestoreStatus.RESTORED
    assert done.expires == now + timedelta(days=1)
    expired = restore_state("Archive", f'ongoing-request="false", expiry-date="{earlier}"', now)
    assert expired.status is RestoreStatus.NOT_RESTORED


def test_require_readable_passes_readable_entries():
    require_readable(Entry("a", "oss://abc/a", EntryKind.FILE, storage_class="Standard"))
