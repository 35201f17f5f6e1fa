"""The local walk's order matches OSS's, and writers are found from /proc."""

import os
import subprocess
import sys
import time

from ossbrowse.mount.walk import walk_local
from ossbrowse.mount.writers import find_writers


def test_walk_is_in_utf8_byte_order_with_folders_as_name_slash(tmp_path):
    for rel in ["a/b", "a-c", "a0", "B", "é", "z/y/x", "a/a"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    keys = [item.key for item in walk_local(str(tmp_path))]
    assert keys == ["B", "a-c", "a/", "a/a", "a/b", "a0", "empty/", "z/", "z/y/", "z/y/x", "é"]
    assert keys == sorted(keys, key=lambda k: k.encode())
    items = {i.key: i for i in walk_local(str(tmp_path))}
    assert items["a/"].is_dir and items["a/a"].size == 1


def test_symlinks_are_files_not_followed(tmp_path):
    (tmp_path / "d").mkdir()
    os.symlink("..", tmp_path / "d" / "loop")
    keys = [item.key for item in walk_local(str(tmp_path))]
    assert keys == ["d/", "d/loop"]


def test_a_child_writing_a_file_is_found(tmp_path):
    target = tmp_path / "sub" / "out.log"
    target.parent.mkdir()
    (tmp_path / "read.txt").write_text("r")
    code = (
        "import sys, time\n"
        "w = open(sys.argv[1], 'w'); r = open(sys.argv[2]); print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(target), str(tmp_path / "read.txt")],
        stdout=subprocess.PIPE,
    )
    try:
        assert proc.stdout.readline().strip() == b"ready"
        found = find_writers(str(tmp_path))
        assert list(found) == ["sub/out.log"]  # the file open for reading is not a writer
        (writer,) = found["sub/out.log"]
        assert writer.pid == proc.pid
        assert writer.name.startswith("python")
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 30  # a hang guard, not a duration being tested
    while find_writers(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert find_writers(str(tmp_path)) == {}
