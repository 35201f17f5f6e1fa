"""--ascii: no Unicode box, block or other glyph on any screen, scrollbars and widgets included.

Each screen is exported as Textual renders it (`export_screenshot`) and every character of its
text is checked; the data here has ASCII names only, so anything else was drawn by the UI.
"""

from __future__ import annotations

import html
import re

from textual.command import CommandPalette

from ossbrowse.tasks import TaskSnapshot, TaskState
from ossbrowse.ui.inspector import Inspector
from ossbrowse.ui.restore_dialog import RestoreDialog
from tests.ui.conftest import loaded, wait_for

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>')


def screen_lines(app) -> list[str]:
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in _TEXT.finditer(app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), m.group(3)))
    return [
        html.unescape("".join(t for _, t in sorted(parts))).replace("\xa0", " ")
        for _, parts in sorted(rows.items())
    ]


def assert_ascii(app, where: str) -> None:
    for line in screen_lines(app):
        odd = sorted({ch for ch in line if ord(ch) > 126 or (ord(ch) < 32)})
        assert not odd, f"{where}: {odd!r} in {line!r}"


async def test_every_screen_is_ascii_only(make_app, oss_bucket, tmp_path):
    local = tmp_path / "many"
    local.mkdir()
    for i in range(120):  # more rows than the pane: a scrollbar is drawn
        (local / f"file-{i:03d}.txt").write_text("x" * i)
    oss_bucket.put_object("cold.bin", b"c", headers={"x-oss-storage-class": "ColdArchive"})
    oss_bucket.put_object("folder/a.txt", b"a")
    name = oss_bucket.bucket_name
    app = make_app(str(local), f"oss://{name}/", ascii_only=True)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.main
        await wait_for(pilot, lambda: loaded(main.left) and loaded(main.right))
        await pilot.press("end")
        app.notify("a toast, drawn in ASCII too", severity="warning")
        await pilot.pause(0.2)
        assert_ascii(app, "main")
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CopyDialog")
        assert_ascii(app, "copy dialog")
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert_ascii(app, "help")
        await pilot.press("escape", "ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.pause()
        assert_ascii(app, "command palette")
        await pilot.press("escape")
        await pilot.press("tab")
        main.right.file_list.move_to_path(f"oss://{name}/cold.bin")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDialog))
        await pilot.pause()
        assert_ascii(app, "restore dialog")
        await pilot.press("escape")
        main.right.file_list.move_to_path(f"oss://{name}/folder/")
        await pilot.press("f8")
        await wait_for(pilot, lambda: getattr(app.screen, "price", None) is not None)
        assert_ascii(app, "priced dialog")
        await pilot.press("n")
        main.right.file_list.move_to_path(f"oss://{name}/cold.bin")
        await pilot.press("i")
        # The inspector reads the object on a worker: wait for it to end (its lines shown),
        # not for a fixed pause a loaded machine could outlast.
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, Inspector)
                and app.screen.body.lines != ["reading..."]
                and all(w.is_finished for w in app.workers if w.group == "inspector")
            ),
            what="the inspector's lines",
        )
        await pilot.pause()
        assert_ascii(app, "inspector")
        await pilot.press("escape")
        for i, state in enumerate((TaskState.RUNNING, TaskState.DONE, TaskState.FAILED)):
            job = TaskSnapshot(f"j{900 + i}", f"{local}/{'very-long-name-' * 3}{i}",
                              f"oss://{name}/x", state, 10, 100, rate=5.0, eta=9.0)  # fmt: skip
            main.handle_transfer(job, True)
        await pilot.press("t")
        await pilot.pause()
        assert_ascii(app, "transfer panel")
