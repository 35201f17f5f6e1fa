"""Keys typed right behind Tab or t act where the focus went: a terminal delivers
"Tab, Down" in one read, and the second key used to reach the pane Tab had just left (Pilot)."""

from __future__ import annotations

from textual import events

from tests.ui.conftest import loaded, wait_for


async def _type_at_once(pilot, *keys: str) -> None:
    """Queue the keys together, as one terminal read does, then let the app take them."""
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause()


async def test_a_key_right_behind_tab_moves_the_pane_tab_went_to(make_app, tmp_path):
    for side in ("l", "r"):
        (tmp_path / side).mkdir()
        for name in ("a.txt", "b.txt"):
            (tmp_path / side / name).write_bytes(b"x")
    app = make_app(str(tmp_path / "l"), str(tmp_path / "r"))
    async with app.run_test(size=(120, 36)) as pilot:
        left, right = app.main.left, app.main.right
        await wait_for(pilot, lambda: loaded(left) and loaded(right))
        before = left.file_list.cursor
        await _type_at_once(pilot, "tab", "down")
        assert app.main.active is right and right.file_list.has_focus
        assert right.file_list.cursor == 1 and left.file_list.cursor == before
        await _type_at_once(pilot, "t", "down")  # the panel takes the key behind t
        assert app.main.transfers.table.has_focus and right.file_list.cursor == 1
