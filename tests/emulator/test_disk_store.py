"""The disk store (`root=`): data survives a restart, keys never become paths, writes are
atomic."""

import os

import oss2
import pytest
from oss2.models import PartInfo

from ossbrowse.emulator import EmulatorServer, FaultPlan


def bucket_for(srv, name="disk-bucket", **kw):
    auth = oss2.Auth(srv.access_key_id, srv.access_key_secret)
    return oss2.Bucket(auth, srv.endpoint, name, **kw)


def test_restart_keeps_everything(tmp_path):
    keys = {"plain": b"1", "../../escape": b"2", "dir/ünï\x07": b"3" * 300_000}
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        for key, data in keys.items():
            bucket.put_object(key, data, headers={"x-oss-meta-k": "v"})
        bucket.append_object("log", 0, b"a")
        bucket.append_object("log", 1, b"b")
        bucket.put_object("cold", b"c", headers={"x-oss-storage-class": "Archive"})
        upload_id = bucket.init_multipart_upload("pending").upload_id
        etag = bucket.upload_part("pending", upload_id, 1, b"part").etag
        bucket.delete_object("plain")
    # Nothing was written outside the root, and no file is named after a key.
    names = {p.name for p in tmp_path.rglob("*")}
    assert not any("escape" in n or "ünï" in n for n in names)
    assert not (tmp_path.parent / "escape").exists()
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        assert not bucket.object_exists("plain")
        assert bucket.get_object("../../escape").read() == b"2"
        got = bucket.get_object("dir/ünï\x07", byte_range=(10, 19))
        assert got.read() == b"3" * 10
        assert bucket.head_object("dir/ünï\x07").headers["x-oss-meta-k"] == "v"
        assert bucket.get_object("log").read() == b"ab"
        assert bucket.append_object("log", 2, b"c").next_position == 3
        assert bucket.head_object("cold").headers["x-oss-storage-class"] == "Archive"
        assert [p.part_number for p in bucket.list_parts("pending", upload_id).parts] == [1]
        bucket.complete_multipart_upload("pending", upload_id, [PartInfo(1, etag)])
        assert bucket.get_object("pending").read() == b"part"
        assert [o.key for o in oss2.ObjectIteratorV2(bucket)] == sorted(
            ["../../escape", "cold", "dir/ünï\x07", "log", "pending"], key=str.encode
        )


def test_interrupted_upload_leaves_old_object(tmp_path):
    plan = FaultPlan()
    with EmulatorServer(root=tmp_path, faults=plan) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        bucket.put_object("k", b"old")
        plan.add("put_object:reset_after=1000")
        with pytest.raises(oss2.exceptions.RequestError):
            bucket.put_object("k", os.urandom(500_000))
        plan.clear()
        assert bucket.get_object("k").read() == b"old"
    assert list((tmp_path / "tmp").iterdir()) == []
    with EmulatorServer(root=tmp_path) as srv:
        assert bucket_for(srv).get_object("k").read() == b"old"


def test_orphan_bodies_removed_at_start(tmp_path):
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        bucket.put_object("k", b"v")
    data_files = list(tmp_path.rglob("*.data"))
    assert len(data_files) == 1
    orphan = data_files[0].with_name(data_files[0].name.split("-")[0] + "-deadbeef.data")
    orphan.write_bytes(b"half-written")
    with EmulatorServer(root=tmp_path) as srv:
        assert bucket_for(srv).get_object("k").read() == b"v"
    assert not orphan.exists()


def test_large_get_with_sendfile_and_crc(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 7)
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv, enable_crc=True)
        bucket.create_bucket()
        bucket.put_object("big", data)
        assert bucket.get_object("big").read() == data
        assert bucket.get_object("big", byte_range=(5, 1_000_004)).read() == data[5:1_000_005]


def test_get_racing_an_overwrite_gets_the_whole_old_body(tmp_path):
    """Issue 11.11: the overwrite lands between the GET's lookup and its first byte read."""
    with EmulatorServer(root=tmp_path) as srv:
        reader, writer = bucket_for(srv), bucket_for(srv)  # two connection pools
        reader.create_bucket()
        old, new = b"o" * 300_000, b"n" * 200_000
        reader.put_object("k", old)
        fired = []

        def overwrite() -> None:
            if not fired:
                fired.append(True)
                writer.put_object("k", new)

        srv.store.backend.before_read = overwrite
        assert reader.get_object("k").read() == old
        srv.store.backend.before_read = None
        assert fired
        # The old body file is gone from the store; the reader had it open.
        assert len(list(tmp_path.rglob("*.data"))) == 1
        assert reader.get_object("k").read() == new


def test_copy_racing_an_overwrite_of_its_source_copies_one_whole_body(tmp_path):
    with EmulatorServer(root=tmp_path) as srv:
        bucket, writer = bucket_for(srv), bucket_for(srv)
        bucket.create_bucket()
        bucket.put_object("src", b"old" * 1000)
        fired = []

        def overwrite() -> None:
            if not fired:
                fired.append(True)
                writer.put_object("src", b"new")

        srv.store.backend.before_read = overwrite
        bucket.copy_object("disk-bucket", "src", "dst")
        srv.store.backend.before_read = None
        assert fired
        assert bucket.get_object("dst").read() == b"old" * 1000
        assert bucket.get_object("src").read() == b"new"


def test_complete_publishes_the_object_before_forgetting_the_upload(tmp_path):
    """Issue 11.12: a crash between the two steps leaves the object and an abortable upload."""
    data = b"p" * 200_000
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        upload_id = bucket.init_multipart_upload("big").upload_id
        etag = bucket.upload_part("big", upload_id, 1, data).etag

        def crash(step: str) -> None:
            if step == "complete:published":
                raise RuntimeError("crash between publishing and forgetting the upload")

        srv.store.step_hook = crash
        with pytest.raises(oss2.exceptions.ServerError):
            bucket.complete_multipart_upload("big", upload_id, [PartInfo(1, etag)])
    with EmulatorServer(root=tmp_path) as srv:  # what a restart after that crash finds
        bucket = bucket_for(srv)
        assert bucket.get_object("big").read() == data
        stale = [u.upload_id for u in oss2.MultipartUploadIterator(bucket)]
        assert stale == [upload_id]
        bucket.abort_multipart_upload("big", upload_id)
        assert list(oss2.MultipartUploadIterator(bucket)) == []
        assert bucket.get_object("big").read() == data


def test_complete_racing_a_part_upload_concatenates_the_checked_parts(tmp_path):
    with EmulatorServer(root=tmp_path) as srv:
        bucket, writer = bucket_for(srv), bucket_for(srv)
        bucket.create_bucket()
        upload_id = bucket.init_multipart_upload("mp").upload_id
        first = b"a" * 200_000
        etags = [bucket.upload_part("mp", upload_id, 1, first).etag]
        etags.append(bucket.upload_part("mp", upload_id, 2, b"tail").etag)
        fired = []

        def upload_part_one_again() -> None:
            if not fired:
                fired.append(True)
                writer.upload_part("mp", upload_id, 1, b"b" * 200_000)

        srv.store.backend.before_read = upload_part_one_again
        parts = [PartInfo(1, etags[0]), PartInfo(2, etags[1])]
        bucket.complete_multipart_upload("mp", upload_id, parts)
        srv.store.backend.before_read = None
        assert fired
        assert bucket.get_object("mp").read() == first + b"tail"


def test_tags_and_upload_records_survive_a_restart(tmp_path):
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        bucket.put_object("k", b"x", headers={"x-oss-tagging": "a=1"})
        headers = {"x-oss-tagging": "b=2", "x-oss-object-acl": "public-read"}
        upload_id = bucket.init_multipart_upload("mp", headers=headers).upload_id
        etag = bucket.upload_part("mp", upload_id, 1, b"part").etag
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        assert bucket.get_object_tagging("k").tag_set.tagging_rule == {"a": "1"}
        bucket.complete_multipart_upload("mp", upload_id, [PartInfo(1, etag)])
        assert bucket.get_object_tagging("mp").tag_set.tagging_rule == {"b": "2"}
        assert bucket.get_object_acl("mp").acl == "public-read"


def test_a_crash_while_publishing_leaves_the_upload_whole(tmp_path):
    """Issue 11.12, the other side: the upload is forgotten only after the object is in
    place, so a crash while publishing leaves every part, and the complete can be retried."""
    data = b"q" * 200_000
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        upload_id = bucket.init_multipart_upload("big").upload_id
        etag = bucket.upload_part("big", upload_id, 1, data).etag
        backend = srv.store.backend

        def crash_in_place(*args):
            raise OSError("disk gone while publishing")

        backend.place = crash_in_place  # this instance only, for this server's life
        with pytest.raises(oss2.exceptions.ServerError):
            bucket.complete_multipart_upload("big", upload_id, [PartInfo(1, etag)])
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        assert not bucket.object_exists("big")
        assert [p.part_number for p in bucket.list_parts("big", upload_id).parts] == [1]
        bucket.complete_multipart_upload("big", upload_id, [PartInfo(1, etag)])
        assert bucket.get_object("big").read() == data


def test_restart_keeps_versions_and_delete_markers(tmp_path):
    config = oss2.models.BucketVersioningConfig
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        bucket.create_bucket()
        bucket.put_object("k", b"null one")  # before versioning: the null version
        bucket.put_bucket_versioning(config("Enabled"))
        first = bucket.put_object("k", b"one").versionid
        bucket.put_object("k", b"two")
        marker = bucket.delete_object("k").versionid
        bucket.put_object("gone", b"x")
        bucket.delete_object("gone")
        bucket.put_bucket_versioning(config("Suspended"))
        bucket.put_object("s", b"a")
        bucket.put_object("s", b"b")  # replaces the null version, on disk too
        before = bucket.list_object_versions()
        entries = sorted((v.key, v.versionid, v.is_latest) for v in before.versions)
        markers = sorted((m.key, m.versionid) for m in before.delete_marker)
    with EmulatorServer(root=tmp_path) as srv:
        bucket = bucket_for(srv)
        assert bucket.get_bucket_versioning().status == "Suspended"
        after = bucket.list_object_versions()
        assert sorted((v.key, v.versionid, v.is_latest) for v in after.versions) == entries
        assert sorted((m.key, m.versionid) for m in after.delete_marker) == markers
        assert len(entries) == 5 and len(markers) == 2
        assert not bucket.object_exists("k")
        assert bucket.get_object("k", params={"versionId": first}).read() == b"one"
        assert bucket.get_object("k", params={"versionId": "null"}).read() == b"null one"
        assert bucket.get_object("s").read() == b"b"
        bucket.delete_object("k", params={"versionId": marker})  # undelete after a restart
        assert bucket.get_object("k").read() == b"two"
        # A new version after the restart is still the newest.
        bucket.put_bucket_versioning(config("Enabled"))
        newest = bucket.put_object("k", b"three").versionid
        assert newest < first
        versions = bucket.list_object_versions(prefix="k").versions
        assert versions[0].is_latest and versions[0].versionid == newest
    # Every body on disk belongs to a version (the replaced null version's is gone).
    bodies = list(tmp_path.rglob("*.data"))
    assert len(bodies) == 6


@pytest.mark.parametrize("status", ["Enabled", "Suspended"])
def test_a_version_removed_while_it_is_read_is_read_whole(tmp_path, status):
    """A GET of one version racing the removal of that very version (a delete by id, or the
    suspended bucket's null version written over) sends the whole body it opened."""
    with EmulatorServer(root=tmp_path) as srv:
        reader, writer = bucket_for(srv), bucket_for(srv)  # two connection pools
        reader.create_bucket()
        reader.put_bucket_versioning(oss2.models.BucketVersioningConfig(status))
        old = b"o" * 300_000
        version = reader.put_object("k", old).versionid
        fired = []

        def remove() -> None:
            if not fired:
                fired.append(True)
                if status == "Enabled":
                    writer.delete_object("k", params={"versionId": version})
                else:
                    writer.put_object("k", b"new")  # replaces the null version for good

        srv.store.backend.before_read = remove
        assert reader.get_object("k", params={"versionId": version}).read() == old
        srv.store.backend.before_read = None
        assert fired
        left = 0 if status == "Enabled" else 1
        assert len(list(tmp_path.rglob("*.data"))) == left
