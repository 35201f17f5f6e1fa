"""One exit-code rule for every verb: a URL naming nothing that exists exits 1 (as stat and
ls), a request that cannot be read exits 2, and nothing is changed either way."""

# ruff: noqa: F811  (the `conn` fixture is imported and named as a parameter)
from __future__ import annotations

import pytest

from ossbrowse.cli import main
from tests.test_verbs_new_errors import conn  # noqa: F401  (the fixture: the server's flags)
from tests.versions_helpers import versioned

MISSING = [
    ["rm", "--yes", "{b}/missing"],
    ["rm", "-r", "--yes", "{b}/nodir/"],
    ["mv", "--yes", "{b}/missing", "{b}/x"],
    ["mv", "--yes", "{b}/nodir/", "{b}/x/"],
    ["restore", "--yes", "{b}/missing"],
    ["restore", "-r", "--yes", "{b}/nodir/"],
    ["cp", "{b}/missing", "{b}/y"],
    ["stat", "{b}/missing"],
    ["ls", "{b}/missing"],
]


@pytest.mark.parametrize("argv", MISSING, ids=[" ".join(a[:2]) for a in MISSING])
def test_a_missing_key_or_folder_exits_1(argv, oss_bucket, conn, capsys):
    oss_bucket.put_object("k", b"kept")
    b = f"oss://{oss_bucket.bucket_name}"
    assert main([*(a.format(b=b) for a in argv), *conn]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("not found" in err or "does not exist" in err or
                                     "Nothing to" in err)  # fmt: skip
    assert [o.key for o in oss_bucket.list_objects().object_list] == ["k"]


def test_rm_all_versions_of_nothing_exits_1(make_bucket, conn, capsys):
    bucket = versioned(make_bucket())
    url = f"oss://{bucket.bucket_name}/missing"
    assert main(["rm", "--all-versions", "--yes", url, *conn]) == 1
    assert "has no versions" in capsys.readouterr().err


def test_a_request_that_cannot_be_read_stays_exit_2(oss_bucket, conn, capsys):
    b = f"oss://{oss_bucket.bucket_name}"
    assert main(["rm", f"{b}/", *conn]) == 2  # a whole bucket without -r
    assert main(["restore", f"{b}/dir/", *conn]) == 2  # a folder without -r
    capsys.readouterr()


def test_cp_r_of_a_missing_prefix_exits_1_an_empty_selection_0(oss_bucket, conn, capsys, tmp_path):
    # Before: "copied ... 0 file(s)" and exit 0 for a prefix that is not there.
    oss_bucket.put_object("dir/a.txt", b"a")
    b = f"oss://{oss_bucket.bucket_name}"
    assert main(["cp", "-r", "-q", f"{b}/nodir/", str(tmp_path / "out"), *conn]) == 1
    assert "does not exist" in capsys.readouterr().err
    found = main(["cp", "-r", "-q", f"{b}/dir/", str(tmp_path / "o2"), "--include", "*.gif", *conn])
    assert found == 0  # the prefix is there; the filter selected nothing
    capsys.readouterr()


def test_cp_of_a_missing_local_file_or_folder_says_so_and_exits_1(capsys, tmp_path):
    # Before: "internal error: FileNotFoundError: [Errno 2] ..." (exit 1).
    for recursive in ([], ["-r"]):
        assert main(["cp", "-q", *recursive, str(tmp_path / "nope"), str(tmp_path / "o")]) == 1
        err = capsys.readouterr().err
        assert f"{tmp_path / 'nope'} does not exist. Check the path." in err
        assert "internal error" not in err and "Errno" not in err
    assert not (tmp_path / "o").exists()
