"""Bucket and prefix from FUSE daemons' command lines (ossfs, ossfs 2.0, s3fs)."""

import os
import subprocess
import sys
import time

from ossbrowse.mount.cmdline import parse_cmdline, scan_daemons


def test_ossfs_bucket_prefix_endpoint_and_ro():
    # The documented form: ossfs bucket[:/prefix] mountpoint -ourl=endpoint [-o ro]
    mount = parse_cmdline(
        [
            "/usr/local/bin/ossfs",
            "my-bucket:/files/out",
            "/mnt/oss",
            "-ourl=http://oss-cn-hangzhou-internal.aliyuncs.com",
            "-o",
            "allow_other,ro",
        ]
    )
    assert mount.kind == "ossfs"
    assert (mount.bucket, mount.prefix, mount.mount_point) == (
        "my-bucket",
        "files/out/",
        "/mnt/oss",
    )
    assert mount.endpoint == "http://oss-cn-hangzhou-internal.aliyuncs.com"
    assert mount.read_only


def test_ossfs_whole_bucket_with_flags():
    mount = parse_cmdline(
        ["ossfs", "-f", "bucket-test", "/tmp/ossfs", "-o", "url=oss-cn-hangzhou.aliyuncs.com"]
    )
    assert (mount.bucket, mount.prefix, mount.read_only) == ("bucket-test", "", False)


def test_s3fs_only_against_an_oss_endpoint():
    oss = parse_cmdline(
        ["s3fs", "mybucket", "/mnt/s3", "-ourl=http://oss-cn-hangzhou-internal.aliyuncs.com"]
    )
    assert oss.bucket == "mybucket"
    assert parse_cmdline(["s3fs", "mybucket", "/mnt/s3", "-ourl=https://s3.amazonaws.com"]) is None


def test_ossfs2_reads_only_the_mapping_from_its_config(tmp_path):
    conf = tmp_path / "ossfs2.conf"
    conf.write_text(
        "--oss_endpoint=https://oss-cn-hangzhou-internal.aliyuncs.com\n"
        "--oss_bucket=bucket-a\n"
        "--oss_bucket_prefix=models/v1/\n"
        "--oss_access_key_id=LTAIxxxxxxxx\n"
        "--oss_access_key_secret=do-not-keep-me\n"
        "--ro=true\n"
    )
    mount = parse_cmdline(["ossfs2", "mount", "/mnt/ossfs2", "-c", str(conf)])
    assert (mount.bucket, mount.prefix, mount.read_only) == ("bucket-a", "models/v1/", True)
    assert mount.endpoint == "https://oss-cn-hangzhou-internal.aliyuncs.com"
    assert "do-not-keep-me" not in repr(mount)


def test_ossfs2_unreadable_config_leaves_bucket_unknown():
    mount = parse_cmdline(["ossfs2", "mount", "/mnt/x", "-c", "/nonexistent/ossfs2.conf"])
    assert mount.bucket is None and mount.mount_point == "/mnt/x"


def test_other_programs_are_ignored():
    assert parse_cmdline(["python3", "ossfs", "/mnt"]) is None
    assert parse_cmdline([]) is None


def test_scan_finds_a_running_daemon_by_its_name(tmp_path):
    # A stand-in process named `ossfs` (a symlink to the interpreter), with a relative
    # mount point: the scan must make it absolute against the daemon's cwd.
    fake = tmp_path / "ossfs"
    os.symlink(sys.executable, fake)
    # `-` reads the script from stdin, so argv holds only ossfs-style arguments after it.
    proc = subprocess.Popen(
        [str(fake), "-", "bkt-one:/p", "mnt", "-ourl=oss-cn-hangzhou.aliyuncs.com"],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
    )
    proc.stdin.write(b"import time\ntime.sleep(30)\n")
    proc.stdin.close()
    try:
        deadline = time.monotonic() + 5
        found = []
        while time.monotonic() < deadline and not found:
            found = [d for d in scan_daemons() if d.pid == proc.pid]
            time.sleep(0.05)
        assert found, "the stand-in daemon was not seen"
        daemon = found[0]
        assert daemon.bucket == "bkt-one"
        assert daemon.prefix == "p/"
        assert daemon.mount_point == str(tmp_path / "mnt")
    finally:
        proc.kill()
        proc.wait()
