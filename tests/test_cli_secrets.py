"""Secrets given as flags never stay in /proc/PID/cmdline; `-` and `@FILE` read them from stdin
and files; `serve` refuses other machines with the published secret and listens on ::1."""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import oss2
import pytest

from ossbrowse.errors import ConfigError, UsageError
from tests.test_cli_options import clean_env, ossbrowse

SECRET = "Inline-Secret-0123456789abcdefXYZ"
TOKEN = "Inline-STS-Token-fedcba9876543210"

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")


def start_serve(env, *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ossbrowse", "serve", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.wait(30)
        pytest.fail(f"no endpoint line; stderr: {proc.stderr.read()}")
    return proc, line


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.communicate(timeout=30)


def endpoint_of(line: str) -> str:
    return line.removeprefix("OSS endpoint: ").split("  key: ")[0]


@linux_only
@pytest.mark.parametrize("joined", [False, True], ids=["separate", "with-equals"])
def test_inline_secret_is_not_in_the_process_list(tmp_path, joined):
    flags = (
        [f"--access-key-secret={SECRET}", f"--sts-token={TOKEN}"]
        if joined
        else ["--access-key-secret", SECRET, "--sts-token", TOKEN]
    )
    proc, line = start_serve(clean_env(tmp_path), "--create-bucket", "hidden", *flags)
    try:
        # The endpoint line comes after the re-exec, from the process that keeps running: its
        # command line is what every local user can read for as long as it runs.
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        assert SECRET.encode() not in cmdline and TOKEN.encode() not in cmdline
        assert b"@/dev/fd/" in cmdline and b"serve" in cmdline
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes()
        assert SECRET.encode() not in environ  # moved into a pipe, not into the environment
        # The secret still works: it reached the server through the pipe.
        auth = oss2.StsAuth("ossbrowse", SECRET, TOKEN)
        bucket = oss2.Bucket(auth, endpoint_of(line), "hidden")
        bucket.put_object("k", b"v")
        assert bucket.get_object("k").read() == b"v"
        wrong = oss2.Bucket(oss2.StsAuth("ossbrowse", "other", TOKEN), endpoint_of(line), "hidden")
        with pytest.raises(oss2.exceptions.OssError):
            wrong.get_object("k")
    finally:
        stop(proc)


@pytest.fixture
def server_env(tmp_path, oss_server):
    return clean_env(
        tmp_path, OSS_ENDPOINT=oss_server.endpoint, OSS_ACCESS_KEY_ID=oss_server.access_key_id
    )


def test_verb_with_inline_secret_still_works(server_env, oss_server, oss_bucket):
    oss_bucket.put_object("a", b"1")
    url = f"oss://{oss_bucket.bucket_name}/"
    done = ossbrowse(server_env, "ls", url, "--access-key-secret", oss_server.access_key_secret)
    assert (done.returncode, done.stdout, done.stderr) == (0, "a\n", "")


def test_secret_from_stdin_and_from_a_file(server_env, oss_server, oss_bucket, tmp_path):
    oss_bucket.put_object("a", b"1")
    url = f"oss://{oss_bucket.bucket_name}/"
    done = ossbrowse(
        server_env,
        "ls",
        url,
        "--access-key-secret",
        "-",
        stdin=None,
        input=oss_server.access_key_secret + "\n",
    )
    assert (done.returncode, done.stdout) == (0, "a\n"), done.stderr
    secret_file = tmp_path / "secret"
    secret_file.write_text(oss_server.access_key_secret + "\n")
    done = ossbrowse(server_env, "--access-key-secret", f"@{secret_file}", "ls", url)
    assert (done.returncode, done.stdout) == (0, "a\n"), done.stderr


def test_unreadable_secret_sources_are_one_line(server_env, oss_bucket, tmp_path):
    url = f"oss://{oss_bucket.bucket_name}/"
    missing = ossbrowse(server_env, "ls", url, "--access-key-secret", f"@{tmp_path / 'none'}")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert "Cannot read the AccessKey secret from" in missing.stderr
    empty = ossbrowse(server_env, "ls", url, "--access-key-secret", "-")  # stdin: /dev/null
    assert empty.returncode == 1 and "read an empty line from stdin" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr


def test_read_secret_flags_reads_each_dash_from_the_next_line(tmp_path):
    from ossbrowse.cli_secrets import read_secret_flags

    args = argparse.Namespace(access_key_secret="-", sts_token="-")
    read_secret_flags(args, stdin=io.StringIO("the-secret\nthe-token\n"))
    assert (args.access_key_secret, args.sts_token) == ("the-secret", "the-token")
    (tmp_path / "t").write_text("file-token\nignored\n")
    args = argparse.Namespace(access_key_secret="plain", sts_token=f"@{tmp_path / 't'}")
    read_secret_flags(args)
    assert (args.access_key_secret, args.sts_token) == ("plain", "file-token")
    with pytest.raises(ConfigError):
        read_secret_flags(argparse.Namespace(access_key_secret="@"))


def test_inline_secrets_are_found_in_every_spelling():
    from ossbrowse.cli_secrets import inline_secrets

    argv = ["ls", "--access-key-secret", "A", "--sts-token=B", "--access-key-s", "C",
            "--sts", "D", "--access-key-secret", "-", "--sts-token", "@file",
            "--", "--sts-token", "E"]  # fmt: skip
    assert [(i, v) for i, _, v in inline_secrets(argv)] == [(2, "A"), (3, "B"), (5, "C"), (7, "D")]


def test_serve_allow_remote_with_the_default_secret_is_refused(tmp_path):
    done = ossbrowse(clean_env(tmp_path), "serve", "--host", "0.0.0.0", "--allow-remote")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "default secret" in done.stderr and "anyone on the network" in done.stderr


def test_check_remote_rules():
    from ossbrowse.commands.serve import DEFAULT_SECRET, check_remote

    def args(allow: bool, secret: str) -> argparse.Namespace:
        return argparse.Namespace(host="0.0.0.0", allow_remote=allow, access_key_secret=secret)

    with pytest.raises(UsageError, match="not a loopback address"):
        check_remote(args(False, "own-secret-value"), loopback=False)
    with pytest.raises(UsageError, match="default secret"):
        check_remote(args(True, DEFAULT_SECRET), loopback=False)
    check_remote(args(True, "own-secret-value"), loopback=False)  # allowed
    check_remote(args(False, DEFAULT_SECRET), loopback=True)  # local use keeps the default


def test_serve_on_ipv6_loopback(tmp_path):
    # Before: "Could not listen ... pick another --port" (an IPv4 socket for an IPv6 address).
    # oss2 refuses IPv6 endpoints itself, so the server is asked over plain HTTP here.
    import http.client

    proc, line = start_serve(clean_env(tmp_path), "--host", "::1", "--create-bucket", "six")
    try:
        endpoint = endpoint_of(line)
        assert endpoint.startswith("http://[::1]:")
        connection = http.client.HTTPConnection("::1", int(endpoint.rsplit(":", 1)[1]), timeout=30)
        connection.request("GET", "/six/missing")
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        assert answer.status == 403 and b"<Code>AccessDenied</Code>" in body
    finally:
        stop(proc)
