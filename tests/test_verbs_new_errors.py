"""What the new verbs (versions, du) say when the thing asked for is not there, and their
exit codes: 1 for what does not exist, 2 for a request that cannot be read (README)."""

from __future__ import annotations

import json

import pytest

from ossbrowse.cli import main
from tests.versions_helpers import versioned


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


def test_cp_of_a_version_the_key_has_not_names_the_version(vbucket, conn, capsys, tmp_path):
    url = f"oss://{vbucket.bucket_name}/k"
    vbucket.put_object("k", b"bytes")
    for dest in (str(tmp_path / "out"), f"oss://{vbucket.bucket_name}/copy"):
        assert main(["cp", url, dest, "--version-id", "NOPE", *conn]) == 1
        err = capsys.readouterr().err
        assert f"{url} has no version NOPE." in err and "does not exist" not in err
    assert not (tmp_path / "out").exists()


def test_cp_of_a_delete_marker_says_it_has_no_content(vbucket, conn, capsys, tmp_path):
    url = f"oss://{vbucket.bucket_name}/k"
    vbucket.put_object("k", b"bytes")
    marker = vbucket.delete_object("k").versionid
    for dest in (str(tmp_path / "out"), f"oss://{vbucket.bucket_name}/copy"):
        assert main(["cp", url, dest, "--version-id", marker, *conn]) == 2
        err = capsys.readouterr().err
        assert "is a delete marker: it has no content to copy" in err
        assert "MethodNotAllowed" not in err


def test_cp_of_a_version_into_an_unversioned_bucket(vbucket, make_bucket, conn, capsys):
    plain = make_bucket()
    old = vbucket.put_object("dir/k.txt", b"old").versionid
    vbucket.put_object("dir/k.txt", b"new")
    url = f"oss://{vbucket.bucket_name}/dir/k.txt"
    assert main(["cp", url, f"oss://{plain.bucket_name}/", "--version-id", old, *conn]) == 0
    out = capsys.readouterr().out
    # The key written is named, and an unversioned bucket gives the copy no version id.
    assert out.strip() == f"Copied version {old} to oss://{plain.bucket_name}/k.txt."
    assert plain.get_object("k.txt").read() == b"old"
    assert plain.head_object("k.txt").versionid is None


def test_stat_of_a_version_as_json(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/k"
    old = vbucket.put_object("k", b"old bytes").versionid
    vbucket.put_object("k", b"new")
    assert main(["stat", url, "--version-id", old, "--json", *conn]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert (fields["size"], fields["version_id"], fields["is_latest"]) == (9, old, False)
    assert fields["delete_marker"] is False and fields["crc64"]
    marker = vbucket.delete_object("k").versionid
    assert main(["stat", url, "--version-id", marker, "--json", *conn]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert fields["delete_marker"] is True and fields["is_latest"] is True
    assert fields["size"] is None and fields["version_id"] == marker


def test_a_missing_key_is_exit_1_for_revert_and_ls_versions(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/never.txt"
    assert main(["stat", url, *conn]) == 1
    capsys.readouterr()
    assert main(["revert", url, *conn]) == 1
    assert "has no versions" in capsys.readouterr().err
    assert main(["ls", "--versions", url, *conn]) == 1
    assert "has no versions" in capsys.readouterr().err


def test_reverting_a_deleted_key_does_not_speak_of_a_null_version(vbucket, conn, capsys):
    url = f"oss://{vbucket.bucket_name}/k"
    vbucket.put_object("k", b"bytes")
    vbucket.delete_object("k")
    assert main(["revert", url, "--dry-run", *conn]) == 0
    out = capsys.readouterr().out
    assert "1 object, 5 Bytes, reverted" in out and "null version" not in out


def test_a_revert_that_only_hides_objects_does_not_say_they_were_restored(
    vbucket, conn, capsys, oss_server
):
    from tests.versions_helpers import T0, date_versions

    vbucket.put_object("d/new.txt", b"1234")
    date_versions(oss_server, vbucket, "d/new.txt", [T0])
    url = f"oss://{vbucket.bucket_name}/d/"
    assert main(["revert", url, "-r", "--before", "2001-01-01", "--dry-run", *conn]) == 0
    out = capsys.readouterr().out
    assert "restored to an older version" not in out and "CopyObject" not in out
    assert "1 object that did not exist then" in out


def test_du_errors(conn, capsys, tmp_path):
    assert main(["du", "oss://", *conn]) == 2
    assert "Name a bucket to count" in capsys.readouterr().err
    missing = tmp_path / "missing"
    assert main(["du", str(missing)]) == 1
    assert f"{missing} does not exist. Check the path." in capsys.readouterr().err
    a_file = tmp_path / "file.txt"
    a_file.write_bytes(b"x")
    assert main(["du", str(a_file)]) == 2
    assert "is not a folder: give a folder to count" in capsys.readouterr().err


def test_filters_are_never_ignored_by_a_permanent_delete(vbucket, conn, capsys):
    for key in ("d/a.log", "d/b.txt"):
        vbucket.put_object(key, b"1")
        vbucket.put_object(key, b"22")
    url = f"oss://{vbucket.bucket_name}/d/"
    for extra in (["--include", "*.log"], ["--min-size", "2"], ["--class", "IA"]):
        assert main(["rm", url, "-r", "--all-versions", *extra, "--yes", *conn]) == 2
        assert "Filters do not choose versions to delete for good" in capsys.readouterr().err
    assert len(list(vbucket.list_object_versions(prefix="d/").versions)) == 4  # all kept


def test_ls_versions_takes_the_filters(vbucket, conn, capsys):
    vbucket.put_object("d/a.log", b"1")
    vbucket.put_object("d/a.log", b"22")
    vbucket.put_object("d/b.txt", b"333")
    vbucket.delete_object("d/b.txt")
    url = f"oss://{vbucket.bucket_name}/d/"
    assert main(["ls", "--versions", "-r", url, "--include", "*.log", "--json", *conn]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["size"]) for r in rows] == [("a.log", 2), ("a.log", 1)]
    assert main(["ls", "--versions", "-r", url, "--min-size", "2", "--json", *conn]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["name"], r["delete_marker"]) for r in rows] == [("a.log", False), ("b.txt", False)]
    assert main(["ls", "--versions", "-r", url, "--exclude", "*.log", *conn]) == 0
    out = capsys.readouterr().out
    assert "a.log" not in out and "delete marker" in out and "b.txt" in out


def test_cp_of_a_version_honours_if_exists(vbucket, conn, capsys, tmp_path):
    url = f"oss://{vbucket.bucket_name}/k.txt"
    old = vbucket.put_object("k.txt", b"old").versionid
    vbucket.put_object("k.txt", b"new")
    mine = tmp_path / "k.txt"
    mine.write_bytes(b"precious")
    assert main(["cp", url, str(mine), "--version-id", old, "--if-exists", "skip", *conn]) == 0
    assert "Skipped" in capsys.readouterr().out and mine.read_bytes() == b"precious"
    args = ["--version-id", old, "--if-exists", "keep-both", *conn]
    assert main(["cp", url, str(mine), *args]) == 0
    assert mine.read_bytes() == b"precious" and (tmp_path / "k (1).txt").read_bytes() == b"old"
    dest = f"oss://{vbucket.bucket_name}/k.txt"  # onto its own current version: skipped
    assert main(["cp", url, dest, "--version-id", old, "--if-exists", "skip", *conn]) == 0
    assert vbucket.get_object("k.txt").read() == b"new"
    assert main(["cp", url, str(mine), "--version-id", old, "--if-exists", "same", *conn]) == 2
    assert main(["cp", url, str(mine), "--version-id", old, *conn]) == 0  # overwrite: default
    assert mine.read_bytes() == b"old"


def test_a_local_path_given_to_a_version_verb_says_what_to_give(conn, capsys, tmp_path):
    local = str(tmp_path / "x.txt")
    for argv in (
        ["revert", local],
        ["stat", local, "--version-id", "V"],
        ["rm", local, "--all-versions"],
        ["cp", local, "y", "--version-id", "V"],
    ):
        assert main([*argv, *conn]) == 2
        err = capsys.readouterr().err
        assert "Versions are kept by OSS" in err and "use ossbrowse cp" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["cp", "{f}", "s3://bk/key"],
        ["cp", "-r", "s3://bk/", "{d}"],
        ["sync", "{d}", "http://bk.oss-cn-hangzhou.aliyuncs.com/p/"],
        ["du", "http://example.com/"],
        ["find", "s3://bk/", "--name", "x"],
        ["ls", "gs://bk/"],
        ["stat", "s3://bk/key"],
    ],
)
def test_another_scheme_is_refused_not_taken_as_a_local_folder(
    argv, conn, capsys, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_bytes(b"x")
    args = [a.format(f=str(tmp_path / "d" / "f.txt"), d=str(tmp_path / "d")) for a in argv]
    assert main([*args, *conn]) == 2
    err = capsys.readouterr().err
    assert "Give an OSS URL (oss://" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]  # no folder `s3:` or `http:`


def test_ls_versions_json_writes_a_folder_as_ls_json_does(vbucket, conn, capsys):
    vbucket.put_object("dir/k", b"1")
    url = f"oss://{vbucket.bucket_name}/"
    assert main(["ls", "--json", url, *conn]) == 0
    plain = json.loads(capsys.readouterr().out.splitlines()[0])
    assert main(["ls", "--versions", "--json", url, *conn]) == 0
    versions = json.loads(capsys.readouterr().out.splitlines()[0])
    assert versions == plain and versions["name"] == "dir" and versions["type"] == "folder"
