"""Help and palette (issue 16, 15): whole ids at 120 and 80 columns, keys as typed, only ours."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from ossbrowse.ui import keys
from ossbrowse.ui.dialogs.help import HelpScreen
from tests.ui.conftest import loaded, wait_for


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
async def test_help_shows_every_id_whole_and_keys_as_typed(make_app, local_dir, size):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        body = app.screen.body
        width = body.scrollable_content_region.width
        lines = body.lines
        assert all(cell_len(line) <= width for line in lines), width
        text = "\n".join(lines)
        for spec in keys.ALL_KEYS:
            assert spec.id in text
        assert "equals_sign" not in text and "slash" not in text
        compare = next(line for line in lines if "Mount: compare" in line)
        assert compare.split()[0] == "="
        assert any(line.split()[:1] == ["/"] for line in lines)


async def test_help_in_ascii_explains_the_restore_marks(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir), ascii_only=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        text = "\n".join(app.screen.body.lines)
        assert "#  archived" in text and "~  restoring" in text and "+  restored" in text
        assert all(ord(ch) < 128 for ch in text)


async def test_palette_lists_ours_with_keys_as_typed(make_app, local_dir):
    app = make_app(str(local_dir), str(local_dir))
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        commands = list(app.get_system_commands(app.main))
        titles = [c.title for c in commands]
        assert "Keys" not in titles and "Maximize" not in titles and "Quit" not in titles
        assert all(":" in t for t in titles)  # "area: verb"
        compare = next(c for c in commands if c.title.startswith("Mount: compare"))
        assert "keys: =" in compare.help and "mount.compare" in compare.help
        assert not any("equals_sign" in c.help or "slash" in c.help for c in commands)
