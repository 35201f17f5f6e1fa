"""The mv, rm and restore verbs: dry run, refusal without a terminal, --yes, read-only."""

from __future__ import annotations

from ossbrowse.cli import main
from tests.ops.conftest import fill, keys_under


def test_mv_dry_run_refusal_and_yes(bucket, conn_args, capsys):
    fill(bucket, "a/", 3)
    url = f"oss://{bucket.bucket_name}"
    assert main(["mv", f"{url}/a/", f"{url}/b/", "--dry-run", *conn_args]) == 0
    out = capsys.readouterr().out
    assert "Dry run: move" in out and "3 CopyObject" in out and "not atomic" in out
    # no terminal, no --yes: an expensive move is refused with its price
    assert main(["mv", f"{url}/a/", f"{url}/b/", *conn_args]) == 3
    err = capsys.readouterr().err
    assert "refused to move" in err and "Add --yes" in err
    assert len(keys_under(bucket, "a/")) == 3
    assert main(["mv", f"{url}/a/", f"{url}/b/", "--yes", *conn_args]) == 0
    assert "Moved 3 of 3 objects." in capsys.readouterr().out
    assert len(keys_under(bucket, "b/")) == 3


def test_cheap_single_rename_needs_no_yes(bucket, conn_args, capsys):
    bucket.put_object("x", b"1")
    url = f"oss://{bucket.bucket_name}"
    assert main(["mv", f"{url}/x", f"{url}/y", *conn_args]) == 0
    assert keys_under(bucket) == ["y"]


def test_read_only_refuses_writes(bucket, conn_args, capsys):
    fill(bucket, "a/", 2)
    url = f"oss://{bucket.bucket_name}"
    assert main(["rm", f"{url}/a/", "-r", "--yes", "--read-only", *conn_args]) == 1
    assert "read-only" in capsys.readouterr().err
    assert main(["mv", f"{url}/a/", f"{url}/b/", "--yes", "--read-only", *conn_args]) == 1
    assert len(keys_under(bucket, "a/")) == 2


def test_rm(bucket, conn_args, capsys):
    fill(bucket, "a/", 2)
    bucket.put_object("solo", b"s")
    url = f"oss://{bucket.bucket_name}"
    assert main(["rm", f"{url}/a/", *conn_args]) == 2  # a folder without -r
    assert main(["rm", f"{url}/solo", *conn_args]) == 0  # one cheap object: no question
    assert main(["rm", f"{url}/a/", "-r", *conn_args]) == 3
    assert main(["rm", f"{url}/a/", "-r", "--yes", *conn_args]) == 0
    assert keys_under(bucket) == []


def test_restore_verb_waits(bucket, conn_args, capsys):
    bucket.put_object("p/c", b"c", headers={"x-oss-storage-class": "ColdArchive"})
    bucket.put_object("p/s", b"s")
    url = f"oss://{bucket.bucket_name}"
    assert main(["restore", f"{url}/p/", "-r", "--dry-run", "--tier", "bulk", *conn_args]) == 0
    assert "ColdArchive: expected wait 5 to 12 hours" in capsys.readouterr().out
    assert main(["restore", f"{url}/p/", "-r", *conn_args]) == 3  # restores cost: --yes
    code = main(["restore", f"{url}/p/", "-r", "--yes", "--days", "3", "--wait",
                 "--interval", "0.1", *conn_args])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Restore started for 1 objects" in out and "restored until" in out
    assert main(["restore", f"{url}/p/c", "--days", "400", "--yes", *conn_args]) == 2
