"""Global options before the verb, and the UI without a terminal: real child processes with no
terminal (stdin from /dev/null, stdout a pipe), against the local server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest


def clean_env(tmp_path, **extra: str) -> dict[str, str]:
    """No credential or config from the user's environment; `extra` added."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSS_", "ALIBABA_CLOUD_"))}
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        OSSBROWSE_CONFIG=str(tmp_path / "no-config.toml"),
        **extra,
    )
    return env


def ossbrowse(env, *args: str, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [sys.executable, "-m", "ossbrowse", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


@pytest.fixture
def keys_env(oss_server, tmp_path):
    """Keys in the environment, the endpoint nowhere: it must come from the flags."""
    return clean_env(
        tmp_path,
        OSS_ACCESS_KEY_ID=oss_server.access_key_id,
        OSS_ACCESS_KEY_SECRET=oss_server.access_key_secret,
    )


def test_split_verb_skips_options_and_their_values():
    from ossbrowse.cli import _top_parser, split_verb

    top = _top_parser()
    assert split_verb(["--region", "ls", "stat", "oss://b/k"], top) == (
        ["--region", "ls"],
        "stat",
        ["oss://b/k"],
    )
    assert split_verb(["--read-only", "ls", "-l"], top) == (["--read-only"], "ls", ["-l"])
    assert split_verb(["--endpoint=x", "ls"], top) == (["--endpoint=x"], "ls", [])
    assert split_verb(["--end", "ls", "ls"], top) == (["--end", "ls"], "ls", [])  # abbreviated
    assert split_verb(["--ascii", "/tmp", "ls"], top) is None  # a path first: the UI
    assert split_verb(["--", "ls"], top) is None  # `--`: a folder named ls
    assert split_verb([], top) is None


def test_endpoint_and_region_before_the_verb(oss_server, oss_bucket, keys_env):
    oss_bucket.put_object("a.txt", b"1")
    url = f"oss://{oss_bucket.bucket_name}/"
    done = ossbrowse(keys_env, "--endpoint", oss_server.endpoint, "--region", "cn-hangzhou",
                     "ls", url)  # fmt: skip
    assert (done.returncode, done.stdout, done.stderr) == (0, "a.txt\n", "")
    # The same options after the verb, and split on both sides, mean the same.
    after = ossbrowse(keys_env, "ls", url, "--endpoint", oss_server.endpoint)
    both = ossbrowse(keys_env, f"--endpoint={oss_server.endpoint}", "ls", "-l", url,
                     "--region", "cn-hangzhou")  # fmt: skip
    assert after.stdout == "a.txt\n" and both.returncode == 0 and "a.txt" in both.stdout
    short = ossbrowse(keys_env, "--end", oss_server.endpoint, "--reg=cn-hangzhou", "ls", url)
    assert (short.returncode, short.stdout) == (0, "a.txt\n"), short.stderr


def test_read_only_before_the_verb(oss_server, oss_bucket, keys_env, tmp_path):
    oss_bucket.put_object("a.txt", b"1")
    url = f"oss://{oss_bucket.bucket_name}/"
    keys_env["OSS_ENDPOINT"] = oss_server.endpoint
    listed = ossbrowse(keys_env, "--read-only", "ls", url)
    assert (listed.returncode, listed.stdout) == (0, "a.txt\n")
    (tmp_path / "up.txt").write_bytes(b"up")
    copied = ossbrowse(keys_env, "--read-only", "cp", str(tmp_path / "up.txt"), url + "up.txt")
    assert copied.returncode == 1 and "read-only" in copied.stderr.lower()
    assert [o.key for o in oss_bucket.list_objects_v2().object_list] == ["a.txt"]
    shown = ossbrowse(keys_env, "--read-only", "config", "show")
    assert "read_only: true" in shown.stdout


def test_mount_before_mount_check(oss_server, oss_bucket, keys_env, tmp_path):
    folder = tmp_path / "mnt"
    folder.mkdir()
    keys_env["OSS_ENDPOINT"] = oss_server.endpoint
    mapping = f"{folder}=oss://{oss_bucket.bucket_name}/p/"
    done = ossbrowse(keys_env, "--mount", mapping, "mount-check", str(folder), "--no-writers")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Comparing {folder} with oss://{oss_bucket.bucket_name}/p/")


def test_display_options_before_a_verb_are_ignored_others_refused(oss_bucket, keys_env, tmp_path):
    (tmp_path / "f").write_bytes(b"")
    done = ossbrowse(keys_env, "--ascii", "--no-mouse", "ls", str(tmp_path))
    assert done.returncode == 0 and "f" in done.stdout.split()
    refused = ossbrowse(keys_env, "--mount", f"{tmp_path}=oss://b/", "ls", str(tmp_path))
    assert refused.returncode == 2
    assert "--mount does not apply to `ossbrowse ls`" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--endpoint", "http://127.0.0.1:9", "oss://b/"],
        ["--ascii", "/tmp"],
    ],
)
def test_ui_without_a_terminal_refuses_at_once(tmp_path, argv):
    # Before: the UI started with no terminal and never exited, spinning a core.
    done = ossbrowse(clean_env(tmp_path), *argv, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr
    assert done.stdout == ""


def test_demo_no_ui_prints_examples_that_work(tmp_path):
    env = clean_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ossbrowse", "demo", "--small", "--no-ui"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        examples = []
        for line in proc.stdout:
            if "ossbrowse --endpoint" in line:
                examples.append(line.strip())
            if "Press Ctrl+C" in line:
                break
        assert len(examples) == 2, examples
        for example in examples:
            words = example.split()
            assignments = dict(w.split("=", 1) for w in words if "=" in w and "://" not in w)
            assignments["OSS_ACCESS_KEY_SECRET"] = "ossbrowse-secret"
            argv = words[words.index("ossbrowse") + 1 :]
            done = ossbrowse({**env, **assignments}, *argv)
            if "ls" in argv:
                assert done.returncode == 0 and done.stdout, done.stderr
            else:  # the UI form: parsed as the UI, refused for want of a terminal
                assert done.returncode == 2 and "needs a terminal" in done.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)


def test_a_deleted_current_folder_is_one_line_not_a_traceback(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]);"
        "from ossbrowse.cli import main; sys.exit(main(['cp', '/etc/hostname', 'hn']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(gone)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "current folder no longer exists" in done.stderr
    assert "Traceback" not in done.stderr
