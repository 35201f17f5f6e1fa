"""The UI with hostile keys: what it renders holds no control character (Pilot, the
compositor's segments; tmux, the real terminal), and it answers keys with 20 transfers running."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

import pytest

from ossbrowse.emulator import FaultRule
from stress.hostile import CORPUS, control_bytes
from tests.ui.conftest import loaded, wait_for

ESCAPED = "title"  # the folder holding the OSC title key

# A private tmux server without the user's config: tests neither see nor disturb the
# user's own sessions.
TMUX = ("tmux", "-L", "ossbrowse-tests", "-f", "/dev/null")


def _fill(bucket) -> None:
    for key in CORPUS:
        try:
            bucket.put_object(key, b"x", headers={"x-oss-meta-note": "\x1b]0;meta\x07"})
        except Exception:
            pass  # a few keys oss2 cannot send


def _terminal_bytes(app) -> str:
    """What the driver would write for a full repaint: segments to escape sequences, as the
    terminal receives them (headless runs have no driver output to read)."""
    from rich.console import Console

    update = app.screen._compositor.render_full_update()
    with open(os.devnull, "w") as sink:
        console = Console(file=sink, force_terminal=True, color_system="truecolor")
        return update.render_segments(console)


async def test_pilot_renders_no_raw_control(make_app, oss_bucket, tmp_path):
    _fill(oss_bucket)
    (tmp_path / "l").mkdir()
    app = make_app(str(tmp_path / "l"), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        right = app.main.right
        await wait_for(pilot, lambda: loaded(right), what="right pane loaded")
        for folder in ("title", "clip", "link", "bidi", "ctl"):
            right.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/{folder}/")
            await pilot.press("enter")
            await pilot.pause(0.2)
            svg = app.export_screenshot()
            assert control_bytes(svg.encode("utf-8", "surrogateescape")) == []
            raw = _terminal_bytes(app)
            # Styles (CSI ... m) and cursor moves are the app's own; nothing else may appear.
            import re

            stripped = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
            assert control_bytes(stripped.encode("utf-8", "surrogateescape")) == []
            assert "\x1b]" not in raw and "\x07" not in raw
            assert "\u202e" not in svg and "\u2066" not in svg
            await pilot.press("backspace")
            await pilot.pause(0.1)


async def test_keys_answered_with_20_transfers_running(make_app, oss_bucket, oss_faults, tmp_path):
    # Every key takes effect while all 20 transfers are still running: their requests are held
    # at the server until the keys are done, however slow the machine. How long a key takes
    # is measured by benchmarks/ui.py (p95 key latency during a large upload).
    src = tmp_path / "src"
    src.mkdir()
    for i in range(20):
        (src / f"f{i:02}.bin").write_bytes(os.urandom(300_000))
    gate = threading.Event()
    oss_faults.add(FaultRule(("upload_part", "put_object"), hold=gate))
    app = make_app(str(src), f"oss://{oss_bucket.bucket_name}/")
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            left = app.main.left
            await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
            for i in range(20):
                app.engine.submit(str(src / f"f{i:02}.bin"), f"oss://{oss_bucket.bucket_name}/f{i}")
            running = lambda: any(j.state.name == "RUNNING" for j in app.engine.jobs())  # noqa: E731
            await wait_for(pilot, running, 60)
            names = []
            active_during_keys = []
            for key in ["down", "down", "up", "t", "t", "down", "up", "tab", "tab"]:
                await pilot.press(key)
                names.append(left.file_list.current.name)
                active_during_keys.append(
                    sum(j.state.name in ("RUNNING", "QUEUED") for j in app.engine.jobs())
                )
            app.engine.cancel_all()
            gate.set()
            assert names[0] != names[1] and names[2] == names[0]  # the cursor moved, and back
            assert active_during_keys == [20] * 9, active_during_keys
    finally:
        gate.set()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")
def test_tmux_shows_no_raw_escape(oss_server, oss_bucket, tmp_path):
    _fill(oss_bucket)
    (tmp_path / "l").mkdir()
    session = f"campaign-{os.getpid()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSS_")}
    env.update(
        OSS_ACCESS_KEY_ID=oss_server.access_key_id,
        OSS_ACCESS_KEY_SECRET=oss_server.access_key_secret,
        OSS_ENDPOINT=oss_server.endpoint,
        HOME=str(tmp_path),
        OSSBROWSE_CONFIG=str(tmp_path / "none.toml"),
        XDG_STATE_HOME=str(tmp_path / "s"),
    )
    cmd = (f"{sys.executable} -m ossbrowse {tmp_path / 'l'} "
           f"oss://{oss_bucket.bucket_name}/title/")  # fmt: skip
    subprocess.run([*TMUX, "new-session", "-d", "-s", session, "-x", "120", "-y", "36",
                    "-e", f"PATH={os.environ['PATH']}", cmd], env=env, check=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        screen = b""
        while time.monotonic() < deadline:
            screen = subprocess.run([*TMUX, "capture-pane", "-p", "-t", session],
                                    capture_output=True).stdout  # fmt: skip
            if b"owned" in screen:
                break
            time.sleep(0.2)
        assert b"\\x1b]0;owned\\x07" in screen, screen.decode(errors="replace")
        title = subprocess.run([*TMUX, "display-message", "-p", "-t", session, "#{pane_title}"],
                               capture_output=True).stdout  # fmt: skip
        assert b"owned" not in title
        styled = subprocess.run([*TMUX, "capture-pane", "-p", "-e", "-t", session],
                                capture_output=True).stdout  # fmt: skip
        # -e shows only the styles tmux itself keeps (SGR); no OSC or other escape survives.
        assert b"\x1b]" not in styled and b"\x07" not in styled
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], capture_output=True)
