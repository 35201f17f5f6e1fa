"""The version verbs against the local server: ls --versions, stat/cp --version-id, revert,
rm --all-versions and --version-id, and what a delete costs in a versioned bucket."""

from __future__ import annotations

import os

import pytest

from ossbrowse.cli import main
from ossbrowse.ops.versions import key_versions
from tests.versions_helpers import DAY, T0, date_versions, versioned


@pytest.fixture
def conn(oss_server):
    return [
        "--endpoint", oss_server.endpoint,
        "--access-key-id", oss_server.access_key_id,
        "--access-key-secret", oss_server.access_key_secret,
    ]  # fmt: skip


@pytest.fixture
def vbucket(make_bucket):
    return versioned(make_bucket())


def test_a_delete_is_priced_as_freeing_nothing_and_undone_by_revert(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/report.csv"
    vbucket.put_object("report.csv", b"the numbers")
    assert main(["rm", url, "--dry-run", *conn]) == 0
    out = capsys.readouterr().out
    assert "adds 1 delete marker; frees 0 bytes; the old versions keep costing" in out
    assert main(["rm", url, *conn]) == 0
    assert "each got a delete marker; its versions stay billed" in capsys.readouterr().out
    assert not vbucket.object_exists("report.csv")
    # revert with no version named: the version under the delete marker comes back
    assert main(["revert", url, "--yes", *conn]) == 0
    assert "Reverted 1 of 1 object." in capsys.readouterr().out
    assert vbucket.get_object("report.csv").read() == b"the numbers"


def test_overwrite_then_revert_to_the_older_version_gives_the_old_bytes(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/doc.txt"
    old = vbucket.put_object("doc.txt", b"first draft").versionid
    vbucket.put_object("doc.txt", b"second draft")
    assert main(["revert", url, "--to", old, "--dry-run", *conn]) == 0
    assert "the previous version stays billed" in capsys.readouterr().out
    assert main(["revert", url, "--to", old, "--yes", *conn]) == 0
    assert vbucket.get_object("doc.txt").read() == b"first draft"
    assert len(key_versions(vbucket, "doc.txt")) == 3  # nothing was lost on the way


def test_ls_versions_shows_old_versions_and_delete_markers(vbucket, conn, capsys, oss_server):
    vbucket.put_object("a/x.txt", b"1")
    vbucket.put_object("a/x.txt", b"22")
    vbucket.put_object("gone.txt", b"333")
    vbucket.delete_object("gone.txt")
    date_versions(oss_server, vbucket, "a/x.txt", [T0 + 2, T0 + 1])
    date_versions(oss_server, vbucket, "gone.txt", [T0 + 4, T0 + 3])
    assert main(["ls", "--versions", f"oss://{vbucket.bucket_name}/", *conn]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "a/"
    assert any("delete marker (latest)" in line and line.endswith("gone.txt") for line in lines)
    assert any("old version" in line and line.endswith("gone.txt") for line in lines)
    assert main(["ls", "--all-versions", "-r", f"oss://{vbucket.bucket_name}/a/", *conn]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert [r.split()[-2:] for r in rows] == [["latest", "x.txt"], ["version", "x.txt"]]


def test_stat_and_cp_of_one_version(vbucket, conn, capsys, tmp_path):
    url = f"oss://{vbucket.bucket_name}/k"
    old = vbucket.put_object("k", b"old bytes").versionid
    vbucket.put_object("k", b"new")
    assert main(["stat", url, "--version-id", old, *conn]) == 0
    out = capsys.readouterr().out
    assert "size: 9 " in out and f"version: {old} (old version)" in out
    target = tmp_path / "copy.bin"
    assert main(["cp", url, str(target), "--version-id", old, *conn]) == 0
    assert target.read_bytes() == b"old bytes"
    assert main(["cp", url, f"oss://{vbucket.bucket_name}/k-old", "--version-id", old, *conn]) == 0
    assert vbucket.get_object("k-old").read() == b"old bytes"
    assert vbucket.get_object("k").read() == b"new"  # a version is a read-only source


def test_deleting_a_version_for_good_needs_yes_without_a_terminal(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/k"
    old = vbucket.put_object("k", b"old").versionid
    vbucket.put_object("k", b"new")
    assert main(["rm", url, "--version-id", old, *conn]) == 3
    err = capsys.readouterr().err
    assert "refused to delete version" in err and "cannot be undone" in err
    assert len(key_versions(vbucket, "k")) == 2
    assert main(["rm", url, "--version-id", old, "--yes", *conn]) == 0
    left = [v.version_id for v in key_versions(vbucket, "k")]
    assert len(left) == 1 and old not in left
    assert vbucket.get_object("k").read() == b"new"


def test_rm_all_versions_empties_a_prefix_for_good(vbucket, conn, capsys):
    for body in (b"1", b"2"):
        vbucket.put_object("p/a", body)
    vbucket.put_object("p/b", b"b")
    vbucket.delete_object("p/b")
    vbucket.put_object("keep", b"k")
    url = f"oss://{vbucket.bucket_name}/p/"
    assert main(["rm", url, "--all-versions", *conn]) == 2  # a folder without -r
    assert main(["rm", url, "--all-versions", "-r", *conn]) == 3  # irreversible: --yes
    assert "4 versions" in capsys.readouterr().err
    assert main(["rm", url, "--all-versions", "-r", "--yes", *conn]) == 0
    assert "Deleted 4 of 4 versions for good." in capsys.readouterr().out
    assert key_versions(vbucket, "p/a") == [] and key_versions(vbucket, "p/b") == []
    assert vbucket.get_object("keep").read() == b"k"


def test_revert_a_prefix_to_its_state_before_a_time(vbucket, conn, capsys, oss_server):
    vbucket.put_object("d/edited", b"before")
    vbucket.put_object("d/edited", b"after")
    vbucket.put_object("d/deleted", b"was here")
    vbucket.delete_object("d/deleted")
    vbucket.put_object("d/new", b"made later")
    vbucket.put_object("d/same", b"untouched")
    date_versions(oss_server, vbucket, "d/edited", [T0 + 2 * DAY, T0])
    date_versions(oss_server, vbucket, "d/deleted", [T0 + 2 * DAY, T0])
    date_versions(oss_server, vbucket, "d/new", [T0 + 2 * DAY])
    date_versions(oss_server, vbucket, "d/same", [T0])
    url = f"oss://{vbucket.bucket_name}/d/"
    before = "2025-12-07T00:00:00Z"  # between T0 and T0 + 2 days
    assert main(["revert", url, "--before", before, *conn]) == 2  # a folder needs -r
    assert main(["revert", url, "--before", before, "-r", "--dry-run", *conn]) == 0
    out = capsys.readouterr().out
    assert "3 objects" in out and "2 CopyObject" in out and "1 DeleteObject" in out
    assert main(["revert", url, "--before", before, "-r", "--yes", *conn]) == 0
    assert vbucket.get_object("d/edited").read() == b"before"
    assert vbucket.get_object("d/deleted").read() == b"was here"
    assert not vbucket.object_exists("d/new")
    assert vbucket.get_object("d/same").read() == b"untouched"


def test_mount_check_compares_current_versions_only(vbucket, conn, capsys, tmp_path, monkeypatch):
    """Older versions and delete markers are not in the mount, and not counted against it."""
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(tmp_path / "no-config.toml"))
    vbucket.put_object("m/a.txt", b"old a")
    vbucket.put_object("m/a.txt", b"alpha")
    vbucket.put_object("m/gone.txt", b"deleted")
    vbucket.delete_object("m/gone.txt")
    mount = tmp_path / "mnt"
    mount.mkdir()
    mtime = vbucket.head_object("m/a.txt").last_modified
    (mount / "a.txt").write_bytes(b"alpha")
    os.utime(mount / "a.txt", (mtime, mtime))
    url = f"oss://{vbucket.bucket_name}/m/"
    assert main(["mount-check", str(mount), "--against", url, *conn]) == 0
    out = capsys.readouterr().out
    assert "in sync" in out and "1 entries: 1 same" in out.replace(
        "1 entry: 1 same", "1 entries: 1 same"
    )


def test_ls_versions_json_lines(vbucket, conn, capsys):
    import json

    vbucket.put_object("j", b"12")
    vbucket.delete_object("j")
    assert main(["ls", "--versions", "--json", f"oss://{vbucket.bucket_name}/", *conn]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["is_latest"], r["delete_marker"], r["size"]) for r in rows] == [
        ("j", True, True, None),
        ("j", False, False, 2),
    ]
    assert all(r["version_id"] for r in rows)


def test_version_verbs_price_as_json_only_in_a_dry_run(vbucket, conn, capsys):
    import json

    url = f"oss://{vbucket.bucket_name}/k"
    old = vbucket.put_object("k", b"old").versionid
    vbucket.put_object("k", b"new")
    assert main(["revert", url, "--to", old, "--json", *conn]) == 2  # a real run: refused
    assert main(["revert", url, "--to", old, "--json", "--dry-run", *conn]) == 0
    price = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert price["objects"] == 1
    assert main(["rm", url, "--version-id", old, "--json", "--dry-run", *conn]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["objects"] == 1
    assert len(key_versions(vbucket, "k")) == 2
