"""A checkpoint written on a full disk: no half checkpoint, no temporary file, a named error."""

from __future__ import annotations

import errno
import os

import pytest

from ossbrowse.transfer import checkpoint


def test_a_checkpoint_write_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    # Pure logic: the disk refuses the write after taking part of it.
    store = checkpoint.CheckpointStore(tmp_path)
    store.save("0123456789abcdef", {"kind": "upload", "parts": {}})
    calls = []

    def filling_write(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            return os.write(fd, bytes(data[:10]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(checkpoint, "_write", filling_write)
    with pytest.raises(OSError) as caught:
        store.save("0123456789abcdef", {"kind": "upload", "parts": {"1": {"size": 5}}})
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and caught.value.filename.endswith(".json")
    assert sorted(p.name for p in store.folder.iterdir()) == ["0123456789abcdef.json"]
    assert store.load("0123456789abcdef")["parts"] == {}  # the last good one stays
