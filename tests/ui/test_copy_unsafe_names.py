"""A key is anyone's text: copying a found entry named `../../x` (its path below the search
folder) or the listed folder `../` into a local folder must not write outside that folder."""

from __future__ import annotations

from ossbrowse.ui.dialogs.copy import CopyDialog
from tests.ui.conftest import loaded, names, wait_for
from tests.ui.test_find import find


def notes(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_a_found_dot_dot_name_is_not_copied_outside_the_local_folder(
    make_app, oss_bucket, tmp_path
):
    oss_bucket.put_object("h/../../escaped.txt", b"evil")
    oss_bucket.put_object("h/fine.txt", b"fine")
    inner = tmp_path / "a" / "b" / "dest"
    inner.mkdir(parents=True)
    app = make_app(f"oss://{oss_bucket.bucket_name}/h/", str(inner))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        up = f"oss://{oss_bucket.bucket_name}/h/../"  # the key's next segment: a folder `..`
        assert up in [e.path for e in left.file_list.model.view]
        await find(pilot, app, name="escaped*")
        assert names(left) == ["../../escaped.txt"]
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/h/../../escaped.txt")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "would land outside that folder" in notes(app))
        assert app.engine.jobs() == []  # nothing was submitted
        await pilot.press("backspace")  # the listed folder `../` is refused too
        await wait_for(pilot, lambda: left.virtual is None and loaded(left))
        left.file_list.move_to_path(up)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: notes(app).count("would land outside that folder") == 2)
        assert app.engine.jobs() == []
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == []
