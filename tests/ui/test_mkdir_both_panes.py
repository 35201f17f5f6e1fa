"""A folder made with F7, or a local file renamed, shows in both panes when both show that
folder (the other pane kept its old listing) (Pilot)."""

from __future__ import annotations

from ossbrowse.ui.dialogs.prompt import PromptDialog
from tests.ui.conftest import loaded, names, wait_for
from tests.ui.test_features_rename_size import rename_to


async def test_f7_lists_the_new_folder_in_both_panes(make_app, oss_bucket):
    oss_bucket.put_object("a.txt", b"a")
    url = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(url, url)
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, PromptDialog), what="the prompt")
        await pilot.press(*"newdir", "enter")
        await wait_for(pilot, lambda: "newdir" in names(left), what="the folder on the left")
        await wait_for(pilot, lambda: "newdir" in names(right), what="the folder on the right")
        assert left.file_list.current.name == "newdir"


async def test_a_local_rename_shows_in_both_panes(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        left.file_list.move_to_path(str(local_dir / "hello.txt"))
        await rename_to(pilot, app, "M", "greeting.txt", "hello.txt")
        await wait_for(pilot, lambda: app.screen is not app.main, what="the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: "greeting.txt" in names(left), what="the new name, left")
        await wait_for(pilot, lambda: "greeting.txt" in names(right), what="the new name, right")
        assert "hello.txt" not in names(right)
