"""`ossbrowse du` against the local server: the table, --depth, --json parsed back (its
documented fields), a local folder, hostile names, errors as sentences."""

from __future__ import annotations

import json

import pytest

from ossbrowse.cli import main
from tests import test_verbs_fs

env = test_verbs_fs.env  # the fixture: the credential chain points at the local server

ROW_FIELDS = {
    "type",
    "path",
    "name",
    "depth",
    "objects",
    "bytes",
    "classes",
    "multipart_uploads",
    "multipart_bytes",
    "early_deletion_objects",
    "early_deletion_bytes",
    "early_deletion_byte_days",
    "delete_markers",
}
SUMMARY_FIELDS = {"type", "path", "depth", "counted_at", "all_versions", "requests", "unreadable"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(oss_bucket):
    oss_bucket.put_object("logs/a.log", b"x" * 100)
    oss_bucket.put_object("logs/2026/b.log", b"x" * 200)
    oss_bucket.put_object("cold/c.bin", b"x" * 30, headers={"x-oss-storage-class": "IA"})
    oss_bucket.put_object("evil\x1b[2J/d", b"x")
    upload = oss_bucket.init_multipart_upload("logs/big").upload_id
    oss_bucket.upload_part("logs/big", upload, 1, b"y" * 40)
    return oss_bucket


def test_json_lines_parse_back_with_the_documented_fields(env, filled, capsys):
    name = filled.bucket_name
    code, out, err = run(capsys, "du", "--json", f"oss://{name}/")
    assert code == 0 and err == ""
    lines = [json.loads(line) for line in out.splitlines()]
    rows, summary = lines[:-1], lines[-1]
    assert all(set(row) == ROW_FIELDS and row["type"] == "prefix" for row in rows)
    assert set(summary) == SUMMARY_FIELDS and summary["type"] == "summary"
    by_name = {row["name"]: row for row in rows}
    assert list(by_name) == ["", "cold/", "evil\x1b[2J/", "logs/"]  # the root first
    root = by_name[""]
    assert root["path"] == f"oss://{name}/" and root["depth"] == 0
    assert (root["objects"], root["bytes"]) == (4, 331)
    assert root["classes"] == {
        "Standard": {"objects": 3, "bytes": 301},
        "IA": {"objects": 1, "bytes": 30},
    }
    assert (root["multipart_uploads"], root["multipart_bytes"]) == (1, 40)
    assert (root["early_deletion_objects"], root["early_deletion_bytes"]) == (1, 30)
    assert root["early_deletion_byte_days"] == 30 * 30  # just written: all 30 days left
    logs = by_name["logs/"]
    assert (logs["objects"], logs["bytes"], logs["multipart_uploads"]) == (2, 300, 1)
    assert logs["path"] == f"oss://{name}/logs/"
    assert summary["requests"] == {"ListObjectsV2": 1, "ListMultipartUploads": 1, "ListParts": 1}
    assert summary["depth"] == 1 and summary["all_versions"] is False
    assert summary["counted_at"].endswith("Z")
    assert "\x1b" not in out  # the hostile name is escaped in JSON, as every reader undoes


def test_table_and_depth(env, filled, capsys):
    name = filled.bucket_name
    code, out, _ = run(capsys, "du", "--depth", "2", f"oss://{name}/logs/")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["OBJECTS", "SIZE"] and lines[0].endswith("PREFIX")
    assert lines[1].split()[0] == "2" and lines[1].endswith(f"oss://{name}/logs/")
    assert lines[2].endswith(f"oss://{name}/logs/2026/")
    assert "Unfinished multipart uploads: 1 holding 40 B" in out
    assert "Requests: 1 ListObjectsV2, 1 ListMultipartUploads, 1 ListParts" in out

    code, out, _ = run(capsys, "du", "--depth", "all", f"oss://{name}/")
    assert "\x1b" not in out and "evil\\x1b[2J/" in out  # shown through safe_text
    assert "Early deletion: 1 object of 30 B" in out

    code, out, _ = run(capsys, "du", "--depth", "0", "--json", f"oss://{name}/")
    assert [json.loads(line)["type"] for line in out.splitlines()] == ["prefix", "summary"]


def test_local_folder(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f").write_bytes(b"1" * 10)
    (tmp_path / "g").write_bytes(b"1" * 5)
    code, out, _ = run(capsys, "du", "--json", str(tmp_path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r.get("name"), r.get("objects"), r.get("bytes")) for r in rows[:-1]] == [
        ("", 2, 15),
        ("sub/", 1, 10),
    ]
    assert rows[0]["path"] == str(tmp_path) and rows[1]["path"] == str(tmp_path / "sub") + "/"
    assert rows[0]["classes"] == {} and rows[-1]["requests"] == {}
    code, out, _ = run(capsys, "du", str(tmp_path))
    assert out.splitlines()[0].endswith("FOLDER") and "Total: 2 files" in out


def test_errors_are_sentences(env, tmp_path, capsys):
    code, _, err = run(capsys, "du", "oss://no-such-bucket-du/")
    assert code != 0 and "Traceback" not in err and "no-such-bucket-du" in err
    code, _, err = run(capsys, "du", str(tmp_path / "missing"))
    assert code == 1 and "missing does not exist" in err


def test_all_versions(env, oss_bucket, capsys):
    import oss2

    oss_bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig("Enabled"))
    oss_bucket.put_object("k", b"x" * 3)
    oss_bucket.put_object("k", b"x" * 4)
    url = f"oss://{oss_bucket.bucket_name}/"
    code, out, _ = run(capsys, "du", "--json", url)
    assert json.loads(out.splitlines()[0])["bytes"] == 4
    code, out, _ = run(capsys, "du", "--json", "--all-versions", url)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and lines[0]["bytes"] == 7 and lines[0]["objects"] == 2
    assert lines[-1]["all_versions"] is True and "ListObjectVersions" in lines[-1]["requests"]
    code, out, _ = run(capsys, "du", "--all-versions", url)
    assert "Total: 2 objects, 7 Bytes; every version counted." in out


def test_a_missing_prefix_exits_1_and_an_object_is_refused(env, make_bucket, filled, capsys):
    # Before: both printed a table of zeros and exited 0 (ls says the prefix does not exist).
    url = f"oss://{filled.bucket_name}"
    code, out, err = run(capsys, "du", url + "/nothing/")
    assert (code, out) == (1, "") and "does not exist" in err and err.count("\n") == 1
    code, out, err = run(capsys, "du", url + "/logs/a.log")
    assert (code, out) == (1, "") and "is an object, not a folder" in err
    assert run(capsys, "du", url + "/logs")[0] == 0  # a prefix, with or without its slash
    assert run(capsys, "du", f"oss://{make_bucket().bucket_name}")[0] == 0
