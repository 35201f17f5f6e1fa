"""The typed confirmation of a permanent delete fits an 80x24 terminal: however long the
warning and the price, the input and the buttons are on the screen (the text scrolls)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from ossbrowse.ui.dialogs.typed_confirm import TypedConfirmDialog

CSS = Path(__file__).resolve().parents[2] / "ossbrowse" / "ui" / "app.tcss"


class Host(App[None]):
    CSS_PATH = str(CSS)  # the app's dialog boxes: at most 90% of the screen high

    def on_mount(self) -> None:
        lines = [f"line {n} of the warning and the price" for n in range(12)]
        words = ["doc.txt", "delete"]
        self.push_screen(TypedConfirmDialog("Delete forever?", lines, words, "Delete"))


async def test_input_and_buttons_show_at_80x24():
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TypedConfirmDialog)
        screen = dialog.region
        for ident in ("#typed-input", "#yes", "#no"):
            region = dialog.query_one(ident).region
            assert region.height >= 1 and screen.contains_region(region), ident
        await pilot.press(*"delete")
        assert not dialog.query_one("#yes").disabled  # the word typed: the button works
