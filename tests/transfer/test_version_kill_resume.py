"""`ossbrowse cp --version-id` SIGKILLed half way, then the same command again: it finishes the
same version (the key is overwritten in between), down to a local file and inside OSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from ossbrowse.emulator import FaultRule
from tests.transfer.test_kill_resume import _env, _HoldAfter, _kill_midway
from tests.versions_helpers import versioned

pytestmark = pytest.mark.slow

PART = 102_400
PARTS = 12
SIZE = PARTS * PART
# The child's CopyObject limit lowered to one part, through the product's own setting, so a
# copy inside OSS goes in part copies as one over 1 GB does.
_LOWERED = (
    "import sys; from ossbrowse.transfer import plan; plan.COPY_OBJECT_LIMIT = 102400; "
    "from ossbrowse.cli import main; sys.exit(main(sys.argv[1:]))"
)


def _cp(env, src, dst, version):
    args = [sys.executable, "-c", _LOWERED, "cp", str(src), str(dst), "--version-id", version,
            "--part-size", str(PART), "--threads", "2", "-q"]  # fmt: skip
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _parts_saved(tmp_path, at_least: int):
    def check() -> bool:
        for path in (tmp_path / "xdg-state").rglob("checkpoints/*.json"):
            try:
                if len(json.loads(path.read_text())["parts"]) >= at_least:
                    return True
            except (OSError, ValueError, KeyError):
                pass
        return False

    return check


def _saved_versions(tmp_path):
    found = []
    for path in (tmp_path / "xdg-state").rglob("checkpoints/*.json"):
        found.append(json.loads(path.read_text()).get("version_id"))
    return found


def test_a_version_download_killed_then_run_again(oss_server, make_bucket, oss_faults, tmp_path):
    bucket = versioned(make_bucket())
    data = os.urandom(SIZE)
    old = bucket.put_object("big.bin", data).versionid
    env = _env(oss_server, oss_server, tmp_path)  # no proxy: the server's own endpoint
    src = f"oss://{bucket.bucket_name}/big.bin"
    dest = tmp_path / "out" / "big.bin"
    dest.parent.mkdir()
    oss_faults.add(FaultRule("get_object", hold=_HoldAfter(PARTS // 2)))
    proc = _cp(env, src, dest, old)
    _kill_midway(proc, _parts_saved(tmp_path, PARTS // 2 - 2))
    oss_faults.clear()
    assert not dest.exists()  # never a half-written file under its name
    assert _saved_versions(tmp_path) == [old]
    listed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers"], env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert f"{src} (version {old}) -> {dest}" in listed.stdout
    bucket.put_object("big.bin", os.urandom(SIZE))  # overwritten meanwhile: same size
    fetched = oss_faults.add(FaultRule("get_object"))

    proc = _cp(env, src, dest, old)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert dest.read_bytes() == data
    assert fetched.fired <= PARTS - (PARTS // 2 - 2)  # resumed, not started over
    assert f"Downloaded version {old} to {dest}." in out.decode()
    assert [p.name for p in dest.parent.iterdir()] == ["big.bin"]
    assert _saved_versions(tmp_path) == []


def test_a_version_copy_inside_oss_killed_then_run_again(
    oss_server, make_bucket, oss_faults, tmp_path
):
    bucket = versioned(make_bucket())
    data = os.urandom(SIZE)
    old = bucket.put_object("big.bin", data).versionid
    env = _env(oss_server, oss_server, tmp_path)  # no proxy: the server's own endpoint
    name = bucket.bucket_name
    gate = threading.Event()
    for number in range(PARTS // 2 + 1, PARTS + 1):  # the second half waits at the server
        oss_faults.add(FaultRule("upload_part_copy", part=number, hold=gate))
    proc = _cp(env, f"oss://{name}/big.bin", f"oss://{name}/copy.bin", old)
    _kill_midway(proc, _parts_saved(tmp_path, PARTS // 2 - 2))
    oss_faults.clear()
    assert not bucket.object_exists("copy.bin")
    assert _saved_versions(tmp_path) == [old]
    bucket.put_object("big.bin", os.urandom(SIZE))  # overwritten meanwhile
    copied = oss_faults.add(FaultRule("upload_part_copy"))

    proc = _cp(env, f"oss://{name}/big.bin", f"oss://{name}/copy.bin", old)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert bucket.get_object("copy.bin").read() == data
    assert copied.fired <= PARTS - (PARTS // 2 - 2)  # the same upload, continued
    assert f"Copied version {old} to oss://{name}/copy.bin." in out.decode()
    assert list(bucket.list_multipart_uploads().upload_list) == []
    assert _saved_versions(tmp_path) == []


def test_transfers_resume_continues_the_version(oss_server, make_bucket, oss_faults, tmp_path):
    bucket = versioned(make_bucket())
    data = os.urandom(SIZE)
    old = bucket.put_object("big.bin", data).versionid
    env = _env(oss_server, oss_server, tmp_path)
    dest = tmp_path / "big.bin"
    oss_faults.add(FaultRule("get_object", hold=_HoldAfter(PARTS // 2)))
    proc = _cp(env, f"oss://{bucket.bucket_name}/big.bin", dest, old)
    _kill_midway(proc, _parts_saved(tmp_path, 2))
    oss_faults.clear()
    bucket.put_object("big.bin", os.urandom(SIZE))  # overwritten meanwhile

    resumed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers", "--resume", "all",
                              "-q"], env=env, capture_output=True, text=True)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert dest.read_bytes() == data  # the version asked for, not the current one
    assert _saved_versions(tmp_path) == []
