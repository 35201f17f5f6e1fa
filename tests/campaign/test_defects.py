"""Regression tests for the defects the campaign found (docs/RELIABILITY.md): each fails
without its fix."""

from __future__ import annotations

import os
import resource
import signal
import socket

from tests.campaign.conftest import all_files, run_verb, verb_env
from tests.transfer.conftest import random_file, run


def test_cp_reports_why_a_copy_failed(oss_server, oss_bucket, tmp_path):
    # The cp verb set `engine._on_event`, which the engine never read: a failed copy exited
    # 1 without a word, a finished one without its summary line.
    env = verb_env(oss_server, tmp_path)
    missing = run_verb(env, "cp", f"oss://{oss_bucket.bucket_name}/nothing", str(tmp_path / "x"))
    assert missing.returncode == 1
    assert b"failed oss://" in missing.stderr and b"nothing" in missing.stderr
    oss_bucket.put_object("here", b"x")
    done = run_verb(env, "cp", f"oss://{oss_bucket.bucket_name}/here", str(tmp_path / "y"), "-q")
    assert done.returncode == 0 and b"copied" in done.stderr


def test_last_segment_dotdot_is_not_a_local_name(engine, oss_bucket, tmp_path):
    # `cp oss://b/x/.. dst/` aimed at dst/.. (dst's parent) and left temp files behind.
    oss_bucket.put_object("x/..", b"dotdot")
    oss_bucket.put_object("x/.", b"dot")
    dest = tmp_path / "dst"
    dest.mkdir()
    for key in ("x/..", "x/."):
        job = run(engine, f"oss://{oss_bucket.bucket_name}/{key}", f"{dest}/")
        assert job.state.name == "FAILED"
        assert "not a safe local file name" in job.error
    assert all_files(tmp_path) == {"dst"}


def test_a_file_where_a_folder_must_go_is_named_as_such(engine, oss_bucket, tmp_path):
    # Whichever of `a` and `a/b` lands first, the other must read as the clash it is. With the
    # file already there (no race), makedirs's FileExistsError used to read "already exists.
    # Pick another name." -- about a folder nobody asked to create.
    oss_bucket.put_object("p/a/b", b"inside")
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "a").write_bytes(b"a file")
    job = run(engine, f"oss://{oss_bucket.bucket_name}/p/", str(dest), recursive=True)
    assert job.state.name == "FAILED" and len(job.failures) == 1
    message = job.failures[0].message
    assert "is a file, not a folder" in message and str(dest / "a") in message
    assert (dest / "a").read_bytes() == b"a file"
    assert all_files(dest) == {"a"}


def test_file_in_the_way_of_a_folder_leaves_no_temp_file(engine, oss_bucket, tmp_path):
    # An object `a` beside a prefix `a/`: the clash is reported, and the `.part` temp file of
    # the download that could not take its name is removed (it was left behind).
    oss_bucket.put_object("p/a", b"file")
    oss_bucket.put_object("p/a/b", b"inside")
    dest = tmp_path / "out"
    job = run(engine, f"oss://{oss_bucket.bucket_name}/p/", str(dest), recursive=True)
    assert job.state.name == "FAILED" and len(job.failures) == 1
    assert "is a folder" in job.failures[0].message or "not a folder" in job.failures[0].message
    assert not [p for p in all_files(dest) if p.endswith(".part")]
    assert (dest / "a" / "b").read_bytes() == b"inside" or (dest / "a").read_bytes() == b"file"


def _size_limited(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


def test_full_disk_is_reported_as_a_local_problem(oss_server, oss_bucket, tmp_path):
    # A download that hit a file size limit was reported as a network failure and left an
    # empty temp file behind.
    oss_bucket.put_object("big", os.urandom(600_000))
    env = verb_env(oss_server, tmp_path)
    dest = tmp_path / "full"
    dest.mkdir()
    done = run_verb(
        env,
        "cp",
        f"oss://{oss_bucket.bucket_name}/big",
        f"{dest}/",
        "--part-size",
        "100K",
        preexec_fn=_size_limited(200_000),
    )
    assert done.returncode == 1
    assert b"File too large" in done.stderr and b"Free some space" in done.stderr
    assert b"connection" not in done.stderr.lower()
    assert all_files(dest) == set()


def test_pwrite_failure_names_the_file(tmp_path):
    # ENOSPC from a part's write must not look like a network error (it would be retried
    # as one and reported as one): the OSError carries the local file's name.
    import pytest

    from ossbrowse.transfer.download import _pwrite_all

    fd = os.open(tmp_path / "f", os.O_RDONLY | os.O_CREAT, 0o600)
    try:
        with pytest.raises(OSError) as caught:
            _pwrite_all(fd, memoryview(b"abc"), 0, str(tmp_path / "f.part"))
    finally:
        os.close(fd)
    assert caught.value.filename == str(tmp_path / "f.part")


def test_failed_upload_without_checkpoint_is_aborted(make_engine, oss_bucket, oss_faults, tmp_path):
    # With --no-checkpoint nothing can resume or clean the upload: it must be aborted, not
    # left to cost storage unseen.
    from ossbrowse.fs.retrying import RetryPolicy

    engine = make_engine(checkpoints=False, retry=RetryPolicy(attempts=2, base_delay=0.01))
    random_file(tmp_path / "up.bin", 1_000_000)
    # Part 3 fails on every attempt, whatever order the parts go in: the upload must fail.
    # (This was `p=0.5` on every part: all ten parts got through 0.75**10 = 5.6% of runs.)
    part3 = oss_faults.add("upload_part:status=503:part=3")
    job = run(engine, tmp_path / "up.bin", f"oss://{oss_bucket.bucket_name}/up.bin")
    oss_faults.clear()
    assert part3.fired >= 1
    assert job.state.name == "FAILED" and "ServiceUnavailable" in job.error
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
    assert not oss_bucket.object_exists("up.bin")


def test_emulator_closes_a_connection_left_idle_mid_request(oss_server):
    # A client that stops sending mid-body held a server thread forever. What is checked is
    # that the server, not the client, ends the connection: the client waits far longer than
    # the server's idle limit (without the fix, recv() times out and the test fails). How long
    # the server takes is measured by benchmarks/latency.py.
    oss_server.idle_timeout = 0.5
    try:
        with socket.create_connection(("127.0.0.1", oss_server.port), timeout=60) as sock:
            sock.sendall(b"PUT /b/k HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert data == b"" or data.startswith(b"HTTP/1.1 4")
    finally:
        oss_server.idle_timeout = 60.0


def test_error_lines_never_carry_raw_escapes(oss_server, oss_bucket, tmp_path):
    # A key with an OSC title escape in a failed recursive download: the failure line used
    # the raw URL.
    oss_bucket.put_object("p/../\x1b]0;owned\x07", b"x")
    env = verb_env(oss_server, tmp_path)
    done = run_verb(env, "cp", "-r", f"oss://{oss_bucket.bucket_name}/p/", str(tmp_path / "o"))
    assert done.returncode == 1
    assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    assert b"\\x1b]0;owned\\x07" in done.stderr


def test_requests_http_server_refuses_get_an_oss_xml_error(oss_server):
    # http.server answered these itself: an HTML page, a 505 for `HTTP/9.9`, and for an
    # HTTP/0.9 request line a body with no status line at all.
    for raw in (b"GET /b/k HTTP/9.9\r\n\r\n", b"GET /b/k\r\n\r\n", b"\x16\x03\x01garbage\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", oss_server.port), timeout=5) as sock:
            sock.sendall(raw)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.") and b" 400 " in data.split(b"\r\n")[0], data[:80]
        assert b"<Code>InvalidRequest</Code>" in data and b"<html" not in data.lower()


def test_a_failed_flush_retries_its_abort(bucket_for, oss_bucket, oss_faults):
    # The flush-on-close writer (and the engine's uploads and copies) sent AbortMultipartUpload
    # once: a transient error on it left the upload behind, unseen and costing storage.
    import pytest

    from ossbrowse.errors import OssBrowseError
    from ossbrowse.fs.retrying import RetryPolicy
    from ossbrowse.transfer import open as oss_open

    retry = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)
    oss_faults.add("complete_multipart_upload:status=503:count=3")
    oss_faults.add("abort_multipart_upload:status=503:count=1")
    url = f"oss://{oss_bucket.bucket_name}/w.bin"
    writer = oss_open(url, "wb", bucket_for=bucket_for, part_size=102_400, retry=retry)
    with pytest.raises(OssBrowseError), writer as f:
        f.write(os.urandom(300_000))
    oss_faults.clear()
    assert list(oss_bucket.list_multipart_uploads().upload_list) == []
    assert not oss_bucket.object_exists("w.bin")


def test_an_empty_file_written_through_the_writer_exists(bucket_for, oss_bucket):
    # flush() returned early when nothing was written, so closing an empty file published
    # nothing: the object the caller created did not exist.
    from ossbrowse.transfer import open as oss_open

    with oss_open(f"oss://{oss_bucket.bucket_name}/empty", "wb", bucket_for=bucket_for):
        pass
    assert oss_bucket.get_object("empty").read() == b""
