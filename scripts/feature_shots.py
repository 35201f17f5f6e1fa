"""Screenshots of rename in place, the clash dialog, the property editor and an image preview,
from the real app on the demo data (called by scripts/screenshots.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from screenshots import save, until  # the one way a picture is taken (scripts/ is on sys.path)


async def wait(pilot, predicate) -> None:
    """`until(predicate)`, then a moment for the screen to settle."""
    await until(pilot, predicate)
    await pilot.pause(0.2)


async def shoot_features(out: Path) -> None:
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sample import build_sample

    with EmulatorServer() as server:
        from screenshots import NOW  # the sample's fixed clock (scripts/ is on sys.path)

        summary = build_sample(server, many=50, large=False, now=NOW)
        settings = ConnectionSettings(endpoint=server.endpoint, region=server.region,
                                      access_key_id=server.access_key_id,
                                      access_key_secret=server.access_key_secret)  # fmt: skip
        guide = f"oss://{summary.bucket}/docs/guide/"
        for size, suffix in (((120, 36), ""), ((80, 24), "-80x24")):
            await shoot_at(settings, guide, size, suffix, out)


async def shoot_at(settings, guide: str, size: tuple[int, int], suffix: str, out: Path) -> None:
    from ossbrowse.commands.ui import build_app
    from ossbrowse.ui.dialogs.clash import ClashDialog

    state = tempfile.mkdtemp(prefix="ossbrowse-shots-")
    bucket_root = guide.split("/docs/")[0] + "/"
    app = build_app(settings, guide, bucket_root, state_dir=state)
    async with app.run_test(size=size) as pilot:
        left = app.main.left
        await wait(pilot, lambda: not left.is_loading and left.generation > 0)
        left.file_list.move_to_path(guide + "intro.md")
        await pilot.press("M")
        await wait(pilot, lambda: type(app.screen).__name__ == "PromptDialog")
        await save(pilot, f"rename{suffix}.svg", out)
        await pilot.press("escape")
        # The clash dialog as a folder copy asks it: once, with answers for all.
        src = left.fs.stat(guide + "intro.md")
        dst = left.fs.stat(guide + "install.md")
        app.push_screen(ClashDialog(src, dst))
        await wait(pilot, lambda: isinstance(app.screen, ClashDialog))
        await save(pilot, f"clash-dialog{suffix}.svg", out)
        await pilot.press("escape")
        left.file_list.move_to_path(guide + "sunset.png")
        await pilot.press("E")
        await wait(pilot, lambda: getattr(app.screen, "before", None) is not None)
        await save(pilot, f"properties{suffix}.svg", out)
        await pilot.press("escape")
        await pilot.press("enter")  # the picture, in half-blocks here
        await wait(pilot, lambda: getattr(app.screen, "picture", None) is not None)
        await save(pilot, f"image-preview{suffix}.svg", out)
    import shutil

    shutil.rmtree(state, ignore_errors=True)
