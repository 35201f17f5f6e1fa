"""The real app in a real terminal (tmux) at 80x24 and 120x36, against the local OSS server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

# A private tmux server without the user's config: tests neither see nor disturb the
# user's own sessions.
TMUX = ("tmux", "-L", "ossbrowse-tests", "-f", "/dev/null")


def _capture(session: str) -> str:
    return subprocess.run(
        [*TMUX, "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def _wait_screen(session: str, *needles: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(session)
        if all(n in screen for n in needles):
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needles} not on screen:\n{screen}")


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_real_app_in_tmux(size, oss_server, oss_bucket, local_dir, tmp_path):
    oss_bucket.put_object("remote-report.csv", b"a,b\n1,2\n")
    width, height = size
    session = f"ossbrowse-test-{os.getpid()}-{width}"
    env = {
        **os.environ,
        "OSS_ENDPOINT": oss_server.endpoint,
        "OSS_ACCESS_KEY_ID": oss_server.access_key_id,
        "OSS_ACCESS_KEY_SECRET": oss_server.access_key_secret,
        "OSSBROWSE_CONFIG": str(tmp_path / "none.toml"),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
    }
    # A running tmux server gives new sessions its own environment, not ours: pass it by env.
    settings = [f"{k}={env[k]}" for k in ("OSS_ENDPOINT", "OSS_ACCESS_KEY_ID",
                "OSS_ACCESS_KEY_SECRET", "OSSBROWSE_CONFIG", "HOME", "TERM")]  # fmt: skip
    command = ["env", *settings, sys.executable, "-m", "ossbrowse", str(local_dir),
               f"oss://{oss_bucket.bucket_name}/"]  # fmt: skip
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
         *command],
        check=True, env=env,
    )  # fmt: skip
    try:
        screen = _wait_screen(session, "hello.txt", "docs/")
        assert "Copy" in screen and "Quit" in screen  # the footer
        if width >= 100:
            # Side by side: the bucket's object is on screen together with the local files.
            _wait_screen(session, "remote-report.csv", "hello.txt")
        else:
            assert "remote-report.csv" not in screen  # one pane at a time
            subprocess.run([*TMUX, "send-keys", "-t", session, "Tab"], check=True)
            screen = _wait_screen(session, "remote-report.csv")
            assert "hello.txt" not in screen
        subprocess.run([*TMUX, "send-keys", "-t", session, "F1"], check=True)
        _wait_screen(session, "pane.copy")
        subprocess.run([*TMUX, "send-keys", "-t", session, "Escape"], check=True)
        time.sleep(0.3)
        subprocess.run([*TMUX, "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run([*TMUX, "has-session", "-t", session], capture_output=True)
            if alive.returncode != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the app did not quit on q")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)


def test_ascii_mode_in_tmux_draws_no_unicode(oss_server, oss_bucket, tmp_path):
    """What a terminal really shows with --ascii: scrollbars, borders, footer, dialogs."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(80):  # more rows than fit: the scrollbar is drawn
        (folder / f"file-{i:02d}.txt").write_text("x")
    oss_bucket.put_object("remote.txt", b"r")
    session = f"ossbrowse-ascii-{os.getpid()}"
    settings = [f"OSS_ENDPOINT={oss_server.endpoint}",
                f"OSS_ACCESS_KEY_ID={oss_server.access_key_id}",
                f"OSS_ACCESS_KEY_SECRET={oss_server.access_key_secret}",
                f"OSSBROWSE_CONFIG={tmp_path / 'none.toml'}", f"HOME={tmp_path}",
                "TERM=xterm"]  # fmt: skip
    command = ["env", *settings, sys.executable, "-m", "ossbrowse", "--ascii", str(folder),
               f"oss://{oss_bucket.bucket_name}/"]  # fmt: skip
    subprocess.run([*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "30",
                    *command], check=True)  # fmt: skip
    try:

        def ascii_only(screen: str, where: str) -> None:
            odd = sorted({ch for ch in screen if ord(ch) > 126})
            assert not odd, f"{where}: {odd!r} on screen:\n{screen}"

        ascii_only(_wait_screen(session, "file-00.txt", "Quit"), "main")
        subprocess.run([*TMUX, "send-keys", "-t", session, "End"], check=True)
        time.sleep(0.3)
        ascii_only(_capture(session), "scrolled")
        subprocess.run([*TMUX, "send-keys", "-t", session, "c"], check=True)
        ascii_only(_wait_screen(session, "Copy"), "copy dialog")
        subprocess.run([*TMUX, "send-keys", "-t", session, "Escape"], check=True)
        subprocess.run([*TMUX, "send-keys", "-t", session, "F1"], check=True)
        ascii_only(_wait_screen(session, "pane.copy"), "help")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)
