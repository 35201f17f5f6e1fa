"""Merging mapping sources, finding a folder's prefix, and refusing writes to read-only mounts."""

import pytest

from ossbrowse.errors import ReadOnlyError, UsageError
from ossbrowse.mount import mapping as mapping_mod
from ossbrowse.mount.cmdline import DaemonMount
from ossbrowse.mount.fcconfig import FcMountPoint
from ossbrowse.mount.locate import locate
from ossbrowse.mount.mapping import (
    MountMapping,
    find_mapping,
    gather_mappings,
    mappings_from_config,
    mappings_from_system,
    parse_mount_spec,
)
from ossbrowse.mount.mountinfo import parse_line

OSSFS = "813 790 0:98 / /mnt/oss ro,nosuid,nodev,relatime - fuse.ossfs ossfs ro,user_id=0"
OSSFS2 = (
    "901 27 0:120 / /mnt/model rw,relatime - fuse.ossfs2 "
    "mtp-temp.oss-cn-beijing-internal.aliyuncs.com:/GW1/model rw,user_id=0"
)
S3FS_OTHER = "903 27 0:122 / /mnt/s3 rw,relatime - fuse.s3fs s3fs rw,user_id=0"


def test_mount_spec():
    item = parse_mount_spec("/mnt/oss=oss://my-bucket/files")
    assert (item.local, item.bucket, item.prefix) == ("/mnt/oss", "my-bucket", "files/")
    assert item.url == "oss://my-bucket/files/"
    for bad in ("/mnt/oss", "=oss://b/x", "/mnt/oss=s3://bkt/x", "/mnt/oss=oss://B/x"):
        with pytest.raises(UsageError):
            parse_mount_spec(bad)


def test_config_table_forms():
    items = mappings_from_config(
        {
            "/mnt/a": "oss://bkt-a/x",
            "/mnt/b": {
                "url": "oss://bkt-b",
                "read_only": True,
                "endpoint": "oss-cn-x.aliyuncs.com",
            },
        }
    )
    assert [(i.local, i.bucket, i.prefix, i.read_only) for i in items] == [
        ("/mnt/a", "bkt-a", "x/", False),
        ("/mnt/b", "bkt-b", "", True),
    ]
    with pytest.raises(UsageError, match="must map to"):
        mappings_from_config({"/mnt/c": 42})


def test_system_joins_mountinfo_with_daemons():
    mounts = [parse_line(OSSFS), parse_line(OSSFS2), parse_line(S3FS_OTHER)]
    daemons = [
        DaemonMount("ossfs", "/mnt/oss", "bkt", "out/", "http://oss-cn-x.aliyuncs.com", False, 77)
    ]
    found = {m.local: m for m in mappings_from_system(mounts, daemons)}
    assert set(found) == {"/mnt/oss", "/mnt/model"}  # s3fs without an OSS daemon: not ours
    assert (found["/mnt/oss"].bucket, found["/mnt/oss"].prefix) == ("bkt", "out/")
    assert found["/mnt/oss"].read_only  # from `ro` in mountinfo, although the daemon said rw
    assert "PID 77" in found["/mnt/oss"].origin
    assert (found["/mnt/model"].bucket, found["/mnt/model"].prefix) == ("mtp-temp", "GW1/model/")


def test_order_of_trust_and_read_only_from_any_source():
    system = [MountMapping("/mnt/oss", None, kind="ossfs", origin="mountinfo")]
    fc = [FcMountPoint("/mnt/oss", "fc-bucket", "fc/", "http://e", True, "s.yaml")]
    merged = gather_mappings(
        specs=[], config_table={"/mnt/oss": "oss://cfg-bucket/cfg"}, fc_points=fc, system=system
    )
    (item,) = merged
    # The system knew it is ossfs but not the bucket: the config file fills it in; FC's
    # readOnly still counts, and its endpoint fills the gap.
    assert (item.bucket, item.prefix, item.kind) == ("cfg-bucket", "cfg/", "ossfs")
    assert item.read_only and item.endpoint == "http://e"
    flagged = gather_mappings(
        specs=["/mnt/oss=oss://flag-bucket/f"], config_table={}, fc_points=fc, system=system
    )
    assert flagged[0].bucket == "flag-bucket"


def test_find_and_locate_a_subfolder(tmp_path):
    root = tmp_path / "mnt"
    (root / "a" / "b").mkdir(parents=True)
    mappings = [MountMapping(str(root), "bkt", "top/", read_only=True, kind="fc")]
    assert find_mapping(str(root / "a"), mappings).bucket == "bkt"
    assert find_mapping(str(tmp_path), mappings) is None
    folder, item = locate(str(root / "a" / "b"), mappings)
    assert folder == str(root / "a" / "b")
    assert (item.bucket, item.prefix, item.read_only) == ("bkt", "top/a/b/", True)
    folder, item = locate(str(root), mappings, against="oss://other/p")
    assert (item.bucket, item.prefix, item.read_only) == ("other", "p/", True)


def test_locate_says_how_to_name_the_prefix(tmp_path):
    with pytest.raises(UsageError, match="--against oss://bucket/prefix"):
        locate(str(tmp_path), [])
    unknown = [MountMapping(str(tmp_path), None, kind="ossfs")]
    with pytest.raises(UsageError, match="cannot be read from this system"):
        locate(str(tmp_path), unknown)
    with pytest.raises(UsageError, match="not a folder"):
        locate(str(tmp_path / "nope"), [])


def test_read_only_refusal(tmp_path, monkeypatch):
    monkeypatch.setattr(mapping_mod.mountinfo, "read_mountinfo", lambda: [])
    ro = [MountMapping(str(tmp_path), "bkt", "x/", read_only=True)]
    assert mapping_mod.is_read_only(str(tmp_path / "f.txt"), ro)
    assert not mapping_mod.is_read_only(str(tmp_path / "f.txt"), [])
    with pytest.raises(ReadOnlyError, match="read-only OSS mount"):
        mapping_mod.ensure_writable(str(tmp_path / "f.txt"), ro)
    mapping_mod.ensure_writable(str(tmp_path / "f.txt"), [])


def test_read_only_from_mountinfo(tmp_path, monkeypatch):
    line = f"813 790 0:98 / {tmp_path} ro,relatime - fuse.ossfs ossfs ro,user_id=0"
    monkeypatch.setattr(mapping_mod.mountinfo, "read_mountinfo", lambda: [parse_line(line)])
    assert mapping_mod.is_read_only(str(tmp_path / "sub" / "f"))


def test_ossbrowse_on_a_mount_opens_its_bucket_side(tmp_path):
    import argparse

    from ossbrowse.commands.ui import initial_locations

    folder = tmp_path / "mnt"
    (folder / "sub").mkdir(parents=True)
    spec = [f"{folder}=oss://bkt-ui/p"]
    args = argparse.Namespace(left=str(folder / "sub"), right=None, mount=spec)
    assert initial_locations(args) == (str(folder / "sub"), "oss://bkt-ui/p/sub/")
    plain = argparse.Namespace(left=str(tmp_path), right=None, mount=[])
    assert initial_locations(plain) == (str(tmp_path), "oss://")
    given = argparse.Namespace(left=str(folder), right="oss://other/", mount=spec)
    assert initial_locations(given)[1] == "oss://other/"
