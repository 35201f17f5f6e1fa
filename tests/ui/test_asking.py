"""Dialogs asked from worker threads are awaited answers that end when the app does; the write
gate is computed once per destination, off the UI thread (Pilot, local server; pure logic)."""

from __future__ import annotations

import sys
import threading

from ossbrowse.errors import ReadOnlyError
from ossbrowse.ui import asking, clash
from ossbrowse.ui.dialogs.clash import ClashDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from ossbrowse.ui.write_gate import MountGate
from tests.ui.conftest import loaded, wait_for

HANG_GUARD = 30.0  # seconds: a join that takes this long is a hung thread, not a slow one


def _asking_threads() -> list[int]:
    """Threads whose stack is inside `Questions.ask` right now."""
    inside = []
    for ident, frame in sys._current_frames().items():
        while frame is not None:
            if frame.f_code.co_filename == asking.__file__:
                inside.append(ident)
                break
            frame = frame.f_back
    return inside


def _watched_clash_dialog(monkeypatch) -> list[threading.Thread]:
    """Record the thread that asks (the dialog is built on it)."""
    askers: list[threading.Thread] = []

    class Watched(ClashDialog):
        def __init__(self, *args, **kwargs) -> None:
            askers.append(threading.current_thread())
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(clash, "ClashDialog", Watched)
    return askers


async def _copy_into_a_clash(app, pilot, local_dir) -> None:
    left = app.main.left
    await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
    left.file_list.move_to_path(str(local_dir / "hello.txt"))
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
    await pilot.press("enter")  # "ask me" is the default policy
    await wait_for(pilot, lambda: isinstance(app.screen, ClashDialog), what="clash question")


async def test_a_copy_clash_asks_and_the_answer_reaches_the_engine(
    make_app, local_dir, oss_bucket, monkeypatch
):
    askers = _watched_clash_dialog(monkeypatch)
    oss_bucket.put_object("hello.txt", b"old")
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await _copy_into_a_clash(app, pilot, local_dir)
        assert askers and askers[0] is not threading.main_thread()
        await pilot.press("a")  # overwrite all
        jobs = app.engine.jobs()
        await wait_for(pilot, lambda: all(j.state.finished for j in jobs), what="the copy")
        assert app.questions.open_count == 0
    assert oss_bucket.get_object("hello.txt").read() == b"hello world\n"


async def test_quitting_while_a_clash_question_is_open_ends_the_asking_thread(
    make_app, local_dir, oss_bucket, monkeypatch
):
    askers = _watched_clash_dialog(monkeypatch)
    oss_bucket.put_object("hello.txt", b"old")
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        await _copy_into_a_clash(app, pilot, local_dir)
        assert app.questions.open_count == 1
        app.exit()  # the question is still open
    (asker,) = askers
    asker.join(HANG_GUARD)  # the engine thread returns from the question and ends
    assert not asker.is_alive()
    assert app.questions.open_count == 0
    assert not _asking_threads()
    assert all(t.ident not in _asking_threads() for t in threading.enumerate())
    assert oss_bucket.get_object("hello.txt").read() == b"old"  # the clash was skipped


def test_a_question_after_the_app_closed_gets_its_default_at_once():
    class GoneApp:
        def call_later(self, *args):  # pragma: no cover - must not be reached
            raise AssertionError("nothing may be shown after close")

    questions = asking.Questions(GoneApp())
    questions.close()
    assert questions.ask(object(), default="skip") == "skip"


def test_a_cancelled_asker_gets_the_default_and_its_dialog_is_taken_down():
    class FakeApp:  # runs what is posted at once, as the UI thread would
        def __init__(self) -> None:
            self.screen = None
            self.dismissed = []

        def call_later(self, callback, *args) -> bool:
            callback(*args)
            return True

        def push_screen(self, screen, answered) -> None:
            self.screen = screen  # shown, never answered

    class Dialog:
        def dismiss(self, result) -> None:
            app.dismissed.append(result)

    app = FakeApp()
    questions = asking.Questions(app)
    dialog = Dialog()
    assert questions.ask(dialog, default="cancel", cancelled=lambda: True) == "cancel"
    assert app.dismissed == [None] and questions.open_count == 0


def test_two_copies_to_the_same_destination_compute_the_gate_once():
    calls: list[str] = []
    now = [100.0]

    def check(path: str) -> None:
        calls.append(path)
        if path.startswith("/mnt/ro"):
            raise ReadOnlyError("on a read-only OSS mount")

    gate = MountGate(check=check, clock=lambda: now[0], ttl=30.0)
    assert gate.cached("/data/out") == (False, None)  # unknown: asked off the UI thread
    assert gate.answer("/data/out") is None
    assert gate.cached("/data/out/") == (True, None)  # the second copy: no computation
    assert gate.answer("/data/out") is None
    assert calls == ["/data/out"]
    refusal = gate.answer("/mnt/ro/x")
    assert isinstance(refusal, ReadOnlyError) and gate.cached("/mnt/ro/x") == (True, refusal)
    assert calls == ["/data/out", "/mnt/ro/x"]
    now[0] += 31  # older than its time to live: asked again
    assert gate.cached("/data/out") == (False, None)
    gate.answer("/data/out")
    gate.forget()  # a reload (ctrl+r)
    assert gate.cached("/data/out") == (False, None)
    assert calls == ["/data/out", "/mnt/ro/x", "/data/out"]


async def test_copies_to_a_local_folder_ask_the_mount_once_off_the_ui_thread(
    make_app, local_dir, oss_bucket, monkeypatch
):
    from ossbrowse.ui import write_gate

    askers: list[threading.Thread] = []
    real_check = write_gate.mount_check

    def counted(path: str) -> None:
        askers.append(threading.current_thread())
        real_check(path)

    monkeypatch.setattr(write_gate, "mount_check", counted)
    oss_bucket.put_object("one.txt", b"1")
    oss_bucket.put_object("two.txt", b"2")
    app = make_app(f"oss://{oss_bucket.bucket_name}/", str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        for name in ("one.txt", "two.txt"):
            left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/{name}")
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is app.main, what="the dialog to close")
        jobs = app.engine.jobs()
        await wait_for(pilot, lambda: len(jobs) == 2 and all(j.state.finished for j in jobs))
    assert len(askers) == 1 and askers[0] is not threading.main_thread()
    assert (local_dir / "one.txt").read_bytes() == b"1"
    assert (local_dir / "two.txt").read_bytes() == b"2"
