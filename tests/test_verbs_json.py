"""--json: JSON Lines on the verbs, parsed back; hostile keys as-is in JSON, never raw."""

from __future__ import annotations

import io
import json

from ossbrowse.commands._json import dumps, entry_fields, iso_time, record_fields, write_json_line
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.fs.records import ObjectRecord

HOSTILE = "evil/\x1b[2J\x9b31m\u2028é\udcff.txt"


def test_dumps_keeps_text_and_escapes_terminal_controls():
    line = dumps({"key": HOSTILE})
    assert "é" in line  # non-ASCII kept
    for raw in ("\x1b", "\x9b", "\u2028", "\udcff"):
        assert raw not in line
    assert json.loads(line) == {"key": HOSTILE}  # the very same string back


def test_write_flushes_one_line():
    out = io.StringIO()
    write_json_line({"a": 1}, out)
    write_json_line({"b": "x\ny"}, out)
    assert [json.loads(x) for x in out.getvalue().splitlines()] == [{"a": 1}, {"b": "x\ny"}]


def test_record_and_entry_fields():
    rec = ObjectRecord("p/a.txt", 5, "ABC", 0.0, "IA")
    got = record_fields(rec, "bkt", name="a.txt")
    assert got == {
        "path": "oss://bkt/p/a.txt",
        "key": "p/a.txt",
        "name": "a.txt",
        "type": "file",
        "size": 5,
        "last_modified": "1970-01-01T00:00:00Z",
        "etag": "ABC",
        "storage_class": "IA",
        "restore": "not-needed",
        "restore_expires": None,
    }
    entry = Entry.from_record(rec, "a.txt", "oss://bkt/p/a.txt")
    assert entry_fields(entry) == got
    local = entry_fields(Entry("f", "/tmp/f", EntryKind.FILE, 3, 60.0))
    assert local["key" if "key" in local else "path"] == "/tmp/f"
    assert local["restore"] is None and local["last_modified"] == "1970-01-01T00:01:00Z"
    folder = entry_fields(Entry("d", "oss://bkt/d/", EntryKind.FOLDER))
    assert folder["type"] == "folder" and folder["size"] is None and folder["key"] == "d/"
    assert iso_time(None) is None


# --- the verbs, against the local server, parsed back -----------------------------------------

import pytest  # noqa: E402

from ossbrowse.cli import main  # noqa: E402
from tests.test_verbs_fs import env  # noqa: E402, F401  (the chain points at the server)


def json_lines(capsys, *argv: str) -> list[dict]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "\x1b" not in out  # a hostile key never reaches the terminal raw
    return [json.loads(line) for line in out.splitlines()]


KEY = "\x1b[2J\x9b31m\u2028é.txt"  # a hostile key an object can have (valid UTF-8)


@pytest.fixture
def filled(env, oss_bucket):  # noqa: F811
    oss_bucket.put_object("d/a.txt", b"hello", headers={"x-oss-meta-owner": "ana"})
    oss_bucket.put_object("d/sub/b.txt", b"hi")
    oss_bucket.put_object("d/" + KEY, b"x")
    oss_bucket.put_object("cold", b"x", headers={"x-oss-storage-class": "Archive"})
    return oss_bucket, f"oss://{oss_bucket.bucket_name}/"


def test_ls_json(filled, capsys):
    _, url = filled
    rows = json_lines(capsys, "ls", "--json", url + "d/")
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {"a.txt", "sub", KEY}
    assert by_name["a.txt"]["size"] == 5 and by_name["a.txt"]["key"] == "d/a.txt"
    assert by_name["sub"]["type"] == "folder" and by_name["sub"]["size"] is None
    rows = json_lines(capsys, "ls", "-r", "--json", url, "--include", "*.txt")
    assert [r["name"] for r in rows] == ["d/" + KEY, "d/a.txt", "d/sub/b.txt"]
    cold = json_lines(capsys, "ls", "--json", url + "cold")
    assert cold[0]["storage_class"] == "Archive" and cold[0]["restore"] == "not-restored"


def test_ls_json_local(tmp_path, capsys):
    (tmp_path / "f.txt").write_bytes(b"abc")
    (tmp_path / "sub").mkdir()
    rows = json_lines(capsys, "ls", "--json", str(tmp_path))
    assert [(r["name"], r["type"], r["size"]) for r in rows] == [
        ("f.txt", "file", 3),
        ("sub", "folder", None),
    ]
    assert rows[0]["path"] == str(tmp_path / "f.txt") and "key" not in rows[0]


def test_stat_json(filled, capsys):
    _, url = filled
    [row] = json_lines(capsys, "stat", "--json", url + "d/a.txt")
    assert row["key"] == "d/a.txt" and row["size"] == 5 and row["type"] == "file"
    assert row["user_meta"] == {"owner": "ana"} and row["crc64"].isdigit()
    assert row["last_modified"].endswith("Z")


def test_buckets_json(filled, capsys):
    bucket, _ = filled
    rows = json_lines(capsys, "buckets", "--json")
    mine = [r for r in rows if r["name"] == bucket.bucket_name]
    assert (
        mine and mine[0]["type"] == "bucket" and mine[0]["path"] == f"oss://{bucket.bucket_name}/"
    )


def test_transfers_json(env, tmp_path, capsys, monkeypatch):  # noqa: F811
    from ossbrowse.transfer import checkpoint

    monkeypatch.setattr(checkpoint, "default_state_dir", lambda: tmp_path / "state")
    assert json_lines(capsys, "transfers", "--json") == []
    store = checkpoint.CheckpointStore()
    ident = checkpoint.checkpoint_id("upload", "/a", "oss://b/k")
    store.save(ident, {"kind": "upload", "src": "/a", "dst": "oss://b/k", "size": 10,
                       "parts": {"1": {"etag": "E", "crc64": 5, "size": 4}}})  # fmt: skip
    [row] = json_lines(capsys, "transfers", "--json")
    assert (row["id"], row["kind"], row["bytes_done"], row["bytes_total"]) == (
        ident,
        "upload",
        4,
        10,
    )
    assert row["src"] == "/a" and row["dst"] == "oss://b/k" and row["damaged"] is False


@pytest.mark.parametrize(
    ("argv", "operation"),
    [
        (("rm", "-r", "{url}d/"), "delete"),
        (("mv", "{url}d/", "{url}e/"), "move"),
        (("restore", "{url}cold"), "restore"),
    ],
)
def test_dry_run_prices_as_json(filled, capsys, argv, operation):
    bucket, url = filled
    args = [a.format(url=url) for a in argv]
    [row] = json_lines(capsys, *args, "--dry-run", "--json")
    assert row["type"] == "price" and row["operation"] == operation
    assert row["objects"] >= 1 and isinstance(row["summary"], list) and row["what"]
    assert bucket.object_exists("d/a.txt")  # a dry run changed nothing


def test_json_without_dry_run_is_refused(filled, capsys):
    _, url = filled
    assert main(["rm", "-r", url + "d/", "--json", "--yes"]) == 2
    assert "--dry-run" in capsys.readouterr().err
