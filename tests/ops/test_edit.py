"""The edit flow with a scripted $EDITOR: upload, unchanged, changed meanwhile, append."""

from __future__ import annotations

import sys

import pytest

from ossbrowse.errors import OssBrowseError, ReadOnlyError
from ossbrowse.ops.edit import Conflict, EditOutcome, edit_object, editor_command, keep_both_key

# An editor: a Python one-liner that appends, replaces or leaves the file.
APPEND = [sys.executable, "-c", "import sys; open(sys.argv[1], 'ab').write(b' more')"]
REPLACE = [sys.executable, "-c", "import sys; open(sys.argv[1], 'wb').write(b'new text')"]
NOTHING = [sys.executable, "-c", "pass"]


def test_edit_uploads_whole_and_keeps_class_and_metadata(bucket):
    bucket.put_object(
        "doc.txt",
        b"old text",
        headers={
            "x-oss-storage-class": "IA",
            "x-oss-meta-owner": "ann",
            "Content-Type": "text/plain",
        },
    )
    prices = []
    result = edit_object(bucket, "doc.txt", editor=REPLACE,
                         confirm_upload=lambda p: prices.append(p) or True)  # fmt: skip
    assert result.outcome is EditOutcome.UPLOADED
    assert bucket.get_object("doc.txt").read() == b"new text"
    head = bucket.head_object("doc.txt")
    assert head.headers["x-oss-storage-class"] == "IA"
    assert head.headers["x-oss-meta-owner"] == "ann"
    assert (prices[0].download_bytes, prices[0].upload_bytes) == (8, 8)
    assert prices[0].early_deletions  # replacing a young IA object is charged


def test_unchanged_file_uploads_nothing(bucket):
    bucket.put_object("same", b"text")
    etag = bucket.head_object("same").etag
    result = edit_object(bucket, "same", editor=NOTHING)
    assert result.outcome is EditOutcome.UNCHANGED
    assert bucket.head_object("same").etag == etag


def test_changed_meanwhile_offers_keep_both(bucket):
    bucket.put_object("shared.txt", b"v1")

    def someone_else_writes(command):
        REPLACE_RUN(command)
        bucket.put_object("shared.txt", b"v2 by someone else")

    seen = []
    result = edit_object(bucket, "shared.txt", run_editor=someone_else_writes,
                         on_conflict=lambda before, now: seen.append((before, now))
                         or Conflict.KEEP_BOTH)  # fmt: skip
    assert result.outcome is EditOutcome.KEPT_BOTH
    assert seen and seen[0][1] is not None
    assert bucket.get_object("shared.txt").read() == b"v2 by someone else"
    assert result.key.startswith("shared (edited ") and result.key.endswith(").txt")
    assert bucket.get_object(result.key).read() == b"new text"


def test_changed_meanwhile_cancel_keeps_the_edit_locally(bucket):
    bucket.put_object("s", b"v1")

    def racing(command):
        REPLACE_RUN(command)
        bucket.put_object("s", b"v2")

    result = edit_object(bucket, "s", run_editor=racing, on_conflict=lambda b, n: Conflict.CANCEL)
    assert result.outcome is EditOutcome.CANCELLED
    assert result.local_path.read_bytes() == b"new text"
    assert bucket.get_object("s").read() == b"v2"


def test_pure_append_to_an_appendable_object_uses_append(bucket):
    bucket.append_object("log", 0, b"line one")
    result = edit_object(bucket, "log", editor=APPEND)
    assert result.outcome is EditOutcome.APPENDED
    head = bucket.head_object("log")
    assert head.object_type == "Appendable"  # a PutObject would have made it Normal
    assert bucket.get_object("log").read() == b"line one more"


def test_refusals(bucket):
    bucket.put_object("frozen", b"x", headers={"x-oss-storage-class": "Archive"})
    with pytest.raises(OssBrowseError, match=r"[Rr]estore"):
        edit_object(bucket, "frozen", editor=NOTHING)
    with pytest.raises(ReadOnlyError):
        edit_object(bucket, "anything", editor=NOTHING, read_only=True)


def test_editor_command_and_names():
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({}) == ["vi"]
    assert keep_both_key("a/b.tar.gz", 0).startswith("a/b.tar (edited ")


def REPLACE_RUN(command):
    import subprocess

    subprocess.run([*REPLACE, command[-1]], check=True)
