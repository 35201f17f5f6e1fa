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
