"""Issue 11 cases 1, 5, 6, 7, 8 and issue 16 case 2: two runs of one transfer, long names,
links in a destination, resumes of rewritten files, full disks and leftovers, file modes.

Two runs at once are made deterministic by holding the first run's requests at the server
(`FaultRule(hold=...)`, first attempts only): the second run's requests pass, the first run is
known to hold its lock, and nothing depends on timing.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
import time

import pytest

from ossbrowse.crc64 import crc64
from ossbrowse.emulator.faults import FaultRule
from tests.campaign.conftest import all_files, run_verb, verb_env
from tests.transfer.conftest import random_file, run

PART = 102_400


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    """Poll until `predicate()`; the timeout only stops a hang, it is not what is tested."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return False


def _start_verb(env, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ossbrowse", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _temp_of(url: str, dest) -> str:
    from ossbrowse.transfer.checkpoint import checkpoint_id
    from ossbrowse.transfer.download import temp_path_for

    ident = checkpoint_id("download", url, os.path.abspath(dest))
    return temp_path_for(os.path.abspath(dest), ident)


# --- case 1: two runs of one transfer --------------------------------------------------------


def test_second_download_to_the_same_file_refuses_naming_the_first(
    oss_server, oss_bucket, oss_faults, tmp_path
):
    data = os.urandom(3 * PART + 17)
    oss_bucket.put_object("obj.bin", data)
    url = f"oss://{oss_bucket.bucket_name}/obj.bin"
    out = tmp_path / "out.bin"
    env = verb_env(oss_server, tmp_path)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    first = _start_verb(env, "cp", url, str(out), "--part-size", "100K", "--threads", "2", "-q")
    try:
        assert _wait_for(lambda: held.fired >= 1)  # the first run holds its lock, mid-download
        second = run_verb(env, "cp", url, str(out), "--part-size", "100K", "-q")
        assert second.returncode == 1
        message = second.stderr.decode()
        assert f"process {first.pid}" in message and "already being downloaded" in message
        assert "Traceback" not in message
    finally:
        gate.set()
    _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err.decode()
    assert out.read_bytes() == data
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".part")]


def test_second_upload_of_the_same_file_refuses_naming_the_first(
    oss_server, oss_bucket, oss_faults, tmp_path
):
    data = random_file(tmp_path / "big.bin", 4 * PART + 5)
    url = f"oss://{oss_bucket.bucket_name}/big.bin"
    env = verb_env(oss_server, tmp_path)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("upload_part", hold=gate, attempts=(1, 1)))
    first = _start_verb(
        env, "cp", str(tmp_path / "big.bin"), url, "--part-size", "100K", "--threads", "2", "-q"
    )
    try:
        assert _wait_for(lambda: held.fired >= 1)
        # Without the lock the second run resumed the first one's multipart upload, completed
        # it with its own parts, and the first failed (or completed it again) afterwards.
        second = run_verb(env, "cp", str(tmp_path / "big.bin"), url, "--part-size", "100K", "-q")
        assert second.returncode == 1
        message = second.stderr.decode()
        assert f"process {first.pid}" in message and "already being uploaded" in message
    finally:
        gate.set()
    _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err.decode()
    assert oss_bucket.get_object("big.bin").read() == data
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []


def test_the_same_download_twice_in_one_engine_refuses_the_second(
    make_engine, oss_bucket, oss_faults, tmp_path
):
    # The UI and a verb, or two jobs of one UI, share the lock: the second job refuses.
    data = os.urandom(2 * PART)
    oss_bucket.put_object("obj", data)
    url = f"oss://{oss_bucket.bucket_name}/obj"
    engine = make_engine(jobs=2, threads=2)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    first = engine.submit(url, str(tmp_path / "out"))
    try:
        assert _wait_for(lambda: held.fired >= 1)
        second = run(engine, url, tmp_path / "out")
        assert second.state.name == "FAILED"
        assert "another transfer in this program" in second.error
    finally:
        gate.set()
    assert first.wait(60) and first.state.name == "DONE", first.error
    assert (tmp_path / "out").read_bytes() == data


def test_a_temp_file_replaced_under_its_name_is_not_published(
    make_engine, oss_bucket, oss_faults, tmp_path
):
    # The rename publishes only the file this run wrote: another program's file put in its
    # place (here while the only GET is held) is left alone, and nothing takes the name.
    oss_bucket.put_object("obj", b"the object's bytes")
    url = f"oss://{oss_bucket.bucket_name}/obj"
    dest = tmp_path / "dl" / "obj"
    dest.parent.mkdir()
    engine = make_engine()
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    job = engine.submit(url, str(dest))
    temp = _temp_of(url, dest)
    try:
        assert _wait_for(lambda: held.fired >= 1)
        assert os.path.exists(temp)
        impostor = tmp_path / "dl" / "impostor"
        impostor.write_bytes(b"not what was downloaded")
        os.replace(impostor, temp)
    finally:
        gate.set()
    assert job.wait(60) and job.state.name == "FAILED"
    assert "replaced by another program" in job.error
    assert not dest.exists()
    with open(temp, "rb") as kept:
        assert kept.read() == b"not what was downloaded"


# --- case 5: names of 255 bytes ---------------------------------------------------------------

LONG = "长" * 85  # 255 bytes of UTF-8: the longest name most file systems take


def test_a_255_byte_name_downloads_and_copies(engine, oss_bucket, tmp_path):
    assert len(LONG.encode()) == 255
    data = os.urandom(3 * PART)  # several parts: a checkpoint and a temp file
    oss_bucket.put_object(f"dir/{LONG}", data)
    out = tmp_path / "out"
    out.mkdir()
    job = run(engine, f"oss://{oss_bucket.bucket_name}/dir/{LONG}", f"{out}/")
    assert job.state.name == "DONE", job.error
    assert (out / LONG).read_bytes() == data

    copied = tmp_path / "copied"
    copied.mkdir()
    job = run(engine, out / LONG, f"{copied}/")
    assert job.state.name == "DONE", job.error
    assert (copied / LONG).read_bytes() == data
    assert all_files(copied) == {LONG}


def test_a_255_byte_name_through_the_flush_on_close_writer(bucket_for, oss_bucket):
    from ossbrowse.transfer.fileobj import open_object

    url = f"oss://{oss_bucket.bucket_name}/w/{LONG}"
    with open_object(url, "wb", bucket_for=bucket_for) as f:
        f.write(b"written through the writer")
    assert oss_bucket.get_object(f"w/{LONG}").read() == b"written through the writer"


def test_temp_names_have_a_fixed_length(tmp_path):
    from ossbrowse.transfer.tempname import (
        is_temp_name,
        private_temp_path,
        transfer_temp_path,
    )

    for dest in (tmp_path / "a", tmp_path / LONG):
        for temp in (transfer_temp_path(str(dest), "0123456789abcdef"), private_temp_path(dest)):
            name = os.path.basename(temp)
            assert len(name.encode()) == 27 and is_temp_name(name)
            assert os.path.dirname(temp) == str(tmp_path)


# --- case 6: links inside the destination -----------------------------------------------------


def test_cp_r_never_writes_through_a_symlinked_folder(oss_server, oss_bucket, tmp_path):
    for key in ("pre/cache/evil.sh", "pre/ok.txt", "pre/deep/cache/fine.txt"):
        oss_bucket.put_object(key, key.encode())
    dest = tmp_path / "dest"
    outside = tmp_path / "outside"
    dest.mkdir()
    outside.mkdir()
    os.symlink("../outside", dest / "cache")
    env = verb_env(oss_server, tmp_path)
    done = run_verb(env, "cp", "-r", f"oss://{oss_bucket.bucket_name}/pre/", f"{dest}/", "-q")
    assert done.returncode == 1
    assert os.listdir(outside) == []
    assert (dest / "ok.txt").read_bytes() == b"pre/ok.txt"
    assert (dest / "deep" / "cache" / "fine.txt").read_bytes() == b"pre/deep/cache/fine.txt"
    message = done.stderr.decode()
    assert "pre/cache/evil.sh" in message and "symbolic link" in message
    assert "Traceback" not in message


def test_confinement_refuses_links_on_the_way_only(tmp_path):
    from ossbrowse.transfer.confine import Confinement

    (tmp_path / "real" / "sub").mkdir(parents=True)
    os.symlink(tmp_path / "real", tmp_path / "link")
    root = Confinement(str(tmp_path))
    assert root.refusal(str(tmp_path / "real" / "sub" / "f")) is None
    assert root.refusal(str(tmp_path / "new" / "deeper" / "f")) is None
    assert "symbolic link" in root.refusal(str(tmp_path / "link" / "f"))
    assert "outside" in root.refusal(str(tmp_path.parent / "f"))
    # The destination itself may be a link: the person chose it.
    assert Confinement(str(tmp_path / "link")).refusal(str(tmp_path / "link" / "f")) is None


# --- case 7: a resume re-checks the parts it reuses -------------------------------------------


def test_resume_resends_a_part_rewritten_in_place(make_engine, oss_bucket, oss_faults, tmp_path):
    path = tmp_path / "big.bin"
    random_file(path, 5 * PART)
    url = f"oss://{oss_bucket.bucket_name}/big.bin"
    # One thread: parts go 1, 2, 3, 4 in order; part 4 always fails, so 1-3 are recorded
    # (part 5 may be too: it may take the thread part 4 gave back before its failure is seen).
    oss_faults.add("upload_part:status=503:part=4")
    engine = make_engine(threads=1)
    job = run(engine, path, url)
    assert job.state.name == "FAILED"
    [pending] = engine.unfinished()
    assert pending.bytes_done >= 3 * PART
    oss_faults.clear()

    before = os.stat(path)
    new_head = os.urandom(PART)
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, new_head, 0)  # in place: same inode, same size
    finally:
        os.close(fd)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the mtime put back
    expected = path.read_bytes()
    assert expected[:PART] == new_head

    job = run(make_engine(threads=1), path, url)
    assert job.state.name == "DONE", job.error
    assert oss_bucket.get_object("big.bin").read() == expected
    assert oss_bucket.head_object("big.bin").server_crc == crc64(expected)


# --- case 8: a full disk, damaged and edited checkpoints --------------------------------------


def test_full_disk_mid_download_leaves_no_temp_file(make_engine, oss_bucket, monkeypatch, tmp_path):
    from ossbrowse.transfer import download

    oss_bucket.put_object("big", os.urandom(3 * PART))
    real = download._pwrite_all
    calls = []

    def disk_fills_up(fd, piece, offset, path):
        calls.append(offset)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device", path)
        real(fd, piece, offset, path)

    monkeypatch.setattr(download, "_pwrite_all", disk_fills_up)
    engine = make_engine(threads=1)
    out = tmp_path / "out"
    out.mkdir()
    job = run(engine, f"oss://{oss_bucket.bucket_name}/big", f"{out}/")
    assert job.state.name == "FAILED"
    assert "No space left" in job.error and "Free some space" in job.error
    assert "connection" not in job.error.lower()
    assert all_files(out) == set()  # the partial file is gone (and its space freed)
    assert engine.store.list(include_damaged=True) == []


def _leave_an_unfinished_download(make_engine, oss_bucket, oss_faults, state_dir, dest):
    """A download whose GETs all fail: its checkpoint and temp file stay, to resume later."""
    oss_bucket.put_object("big", os.urandom(3 * PART))
    oss_faults.add("get_object:status=503")
    engine = make_engine(threads=1, state_dir=state_dir)
    job = run(engine, f"oss://{oss_bucket.bucket_name}/big", dest)
    oss_faults.clear()
    assert job.state.name == "FAILED"
    [info] = engine.unfinished()
    assert os.path.exists(info.temp_path)
    return info


def test_a_damaged_checkpoint_is_listed_and_cleaned_with_its_temp_file(
    oss_server, make_engine, oss_bucket, oss_faults, tmp_path
):
    env = verb_env(oss_server, tmp_path)
    state = tmp_path / "xdg-state" / "ossbrowse"
    dest = tmp_path / "out.bin"
    info = _leave_an_unfinished_download(make_engine, oss_bucket, oss_faults, state, dest)
    checkpoint = state / "checkpoints" / f"{info.id}.json"
    text = checkpoint.read_text()
    checkpoint.write_text(text[: len(text) // 2])  # cut off: fails to parse and its checksum

    listed = run_verb(env, "transfers")
    assert listed.returncode == 0
    out = listed.stdout.decode()
    assert info.id in out and "damaged" in out and os.path.basename(info.temp_path) in out

    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert not os.path.exists(info.temp_path) and not checkpoint.exists()
    assert all_files(tmp_path / "xdg-state" / "ossbrowse" / "checkpoints") == set()
    assert "No unfinished transfers" in run_verb(env, "transfers").stdout.decode()


def test_an_edited_checkpoint_cannot_make_clean_delete_a_path_it_names(
    oss_server, oss_bucket, tmp_path
):
    from ossbrowse.transfer.checkpoint import CheckpointStore

    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    store = CheckpointStore(tmp_path / "xdg-state" / "ossbrowse")
    # Its checksum is right (anyone can compute one): only derived names are ever removed.
    store.save(
        "00112233445566ff",
        {"kind": "download", "src": f"oss://{oss_bucket.bucket_name}/x", "dst": str(victim),
         "size": 10, "parts": {}, "temp_path": str(victim)},
    )  # fmt: skip
    env = verb_env(oss_server, tmp_path)
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert victim.read_text() == "keep me"
    assert store.list(include_damaged=True) == []


def test_clean_leaves_a_running_download_alone(
    make_engine, oss_bucket, oss_faults, oss_server, tmp_path
):
    state = tmp_path / "xdg-state" / "ossbrowse"
    data = os.urandom(3 * PART)
    oss_bucket.put_object("big", data)
    engine = make_engine(threads=1, state_dir=state)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    job = engine.submit(f"oss://{oss_bucket.bucket_name}/big", str(tmp_path / "out"))
    try:
        assert _wait_for(lambda: held.fired >= 1 and engine.unfinished())
        cleaned = run_verb(verb_env(oss_server, tmp_path), "transfers", "--clean", "all")
        assert cleaned.returncode == 1
        assert f"process {os.getpid()}" in cleaned.stderr.decode()
    finally:
        gate.set()
    assert job.wait(60) and job.state.name == "DONE", job.error
    assert (tmp_path / "out").read_bytes() == data


# --- issue 16 case 2: file modes --------------------------------------------------------------


def _umask(mask: int):
    return lambda: os.umask(mask)


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_downloads_and_local_copies_follow_the_umask(oss_server, oss_bucket, tmp_path, mask):
    oss_bucket.put_object("small", b"small")
    oss_bucket.put_object("big", os.urandom(3 * PART))
    env = verb_env(oss_server, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for key in ("small", "big"):
        done = run_verb(env, "cp", f"oss://{oss_bucket.bucket_name}/{key}", f"{out}/",
                        "--part-size", "100K", "-q", preexec_fn=_umask(mask))  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        assert stat.S_IMODE(os.stat(out / key).st_mode) == 0o666 & ~mask

    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o775)
    done = run_verb(env, "cp", str(script), str(out / "script.sh"), preexec_fn=_umask(mask))
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_IMODE(os.stat(out / "script.sh").st_mode) == 0o775 & ~mask


def test_an_overwrite_keeps_the_existing_mode(oss_server, oss_bucket, tmp_path):
    oss_bucket.put_object("obj", b"new content")
    env = verb_env(oss_server, tmp_path)
    target = tmp_path / "target"
    target.write_bytes(b"old")
    target.chmod(0o751)
    done = run_verb(env, "cp", f"oss://{oss_bucket.bucket_name}/obj", str(target), "-q")
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == b"new content"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o751

    source = tmp_path / "source"
    source.write_bytes(b"copied")
    source.chmod(0o644)
    target.chmod(0o600)
    done = run_verb(env, "cp", str(source), str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert target.read_bytes() == b"copied"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_checkpoint_listing_never_reads_a_temp_path_from_content(tmp_path):
    from ossbrowse.transfer.checkpoint import CheckpointStore
    from ossbrowse.transfer.tempname import transfer_temp_path

    store = CheckpointStore(tmp_path)
    dst = str(tmp_path / "d" / "file")
    store.save("aaaaaaaaaaaaaaaa", {"kind": "download", "src": "oss://b/k", "dst": dst,
                                    "temp_path": "/etc/passwd", "parts": {}})  # fmt: skip
    (store.folder / "bbbbbbbbbbbbbbbb.json").write_text(
        json.dumps({"kind": "download", "dst": dst, "checksum": "wrong"})
    )
    found = {c.id: c for c in store.list(include_damaged=True)}
    assert found["aaaaaaaaaaaaaaaa"].temp_path == transfer_temp_path(dst, "aaaaaaaaaaaaaaaa")
    assert found["bbbbbbbbbbbbbbbb"].damaged
    assert found["bbbbbbbbbbbbbbbb"].temp_path == transfer_temp_path(dst, "bbbbbbbbbbbbbbbb")
    assert [c.id for c in store.list()] == ["aaaaaaaaaaaaaaaa"]


def test_a_stopped_single_part_download_leaves_no_temp_file(
    make_engine, oss_bucket, oss_faults, tmp_path
):
    # Nothing resumes a download of one part (it has no checkpoint of parts), so a stop
    # (quitting the UI, Ctrl-C) must not leave its temporary file behind.
    oss_bucket.put_object("small", b"small object")
    engine = make_engine()
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    out = tmp_path / "out"
    out.mkdir()
    job = engine.submit(f"oss://{oss_bucket.bucket_name}/small", f"{out}/")
    try:
        assert _wait_for(lambda: held.fired >= 1)
        engine.shutdown(wait=False)  # the stop is seen as soon as the body arrives
    finally:
        gate.set()
    assert job.wait(60) and job.state.name == "CANCELLED"
    assert all_files(out) == set()
    assert engine.store.list(include_damaged=True) == []


def test_a_killed_single_part_download_is_listed_and_cleanable(
    oss_server, oss_bucket, oss_faults, tmp_path
):
    oss_bucket.put_object("small", b"small object")
    url = f"oss://{oss_bucket.bucket_name}/small"
    out = tmp_path / "out"
    out.mkdir()
    env = verb_env(oss_server, tmp_path)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("get_object", hold=gate, attempts=(1, 1)))
    proc = _start_verb(env, "cp", url, f"{out}/", "-q")
    try:
        assert _wait_for(lambda: held.fired >= 1)
        proc.kill()
        proc.wait()
    finally:
        gate.set()
    [temp] = os.listdir(out)  # what a kill leaves: the temporary file
    listed = run_verb(env, "transfers").stdout.decode()
    assert "download" in listed and url in listed and temp in listed
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert all_files(out) == set()
    assert "No unfinished transfers" in run_verb(env, "transfers").stdout.decode()
