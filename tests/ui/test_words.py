"""The UI's words (issue 16, 16): no advice to run a command, a price for moving local files
into OSS, no resume promised where none can happen, no "0 bytes" for a folder."""

from __future__ import annotations

from ossbrowse.ui.dialogs.confirm import ConfirmDialog
from ossbrowse.ui.dialogs.copy import CopyDialog
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.priced_dialogs import PricedDialog
from tests.ui.conftest import loaded, wait_for


def dialog_text(screen) -> str:
    return "\n".join(str(w.render()) for w in screen.query("Static"))


async def test_moving_local_files_into_oss_is_priced(make_app, local_dir, oss_bucket):
    app = make_app(str(local_dir), f"oss://{oss_bucket.bucket_name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(str(local_dir / "docs"))
        await pilot.press("space", "space")  # docs/ (1 file) and data.bin
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog), what="a price")
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None, what="the count")
        assert dialog.price.objects == 2
        assert dialog.price.requests == {"PutObject": 2}
        text = dialog_text(dialog)
        assert "PutObject" in text and "free" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: not (local_dir / "data.bin").exists(), what="the move")
    assert oss_bucket.get_object("data.bin").read() == bytes(range(256)) * 4
    assert oss_bucket.get_object("docs/a.txt").read() == b"inside docs\n"


async def test_the_oss_move_dialog_gives_no_command_to_run(make_app, oss_bucket):
    name = oss_bucket.bucket_name
    oss_bucket.put_object("src/a.txt", b"a")
    app = make_app(f"oss://{name}/", f"oss://{name}/")
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(f"oss://{name}/src/")
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog))
        app.screen.query_one("#copy-destination").value = f"oss://{name}/dst/"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PricedDialog))
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.price is not None)
        text = dialog_text(dialog)
        assert "not atomic" in text
        assert "command" not in text


async def test_the_demo_does_not_promise_a_resume(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    app.transfers_resumable = False  # as `ossbrowse demo` sets it: its state is removed
    app.running_transfers = lambda: 1  # one transfer still running
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        text = "\n".join(app.screen.lines)
        assert "resumed at the next start" not in text
        assert "cannot be resumed" in text and "1 transfer still running" in text


async def test_inspecting_a_folder_does_not_say_zero_bytes(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left))
        left.file_list.move_to_path(str(local_dir / "docs"))
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, Inspector))
        inspector = app.screen
        await wait_for(pilot, lambda: any(line.startswith("size") for line in inspector.body.lines))
        size = next(line for line in inspector.body.lines if line.startswith("size"))
        assert "0 bytes" not in size and "not counted" in size
