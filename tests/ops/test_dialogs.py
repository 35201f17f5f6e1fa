"""The priced dialog and the restore dialog, driven through Pilot."""

from __future__ import annotations

import threading

from textual.app import App
from textual.widgets import Button, Input, Select, Static

from ossbrowse.fs.base import Entry, EntryKind, RestoreState, RestoreStatus
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.listing import Progress
from ossbrowse.ops.pricing import NON_ATOMIC_WARNING, price_move
from ossbrowse.tasks import Cancelled
from ossbrowse.ui.priced_dialogs import Decision, PricedDialog
from ossbrowse.ui.restore_dialog import RestoreChoice, RestoreDialog
from tests.ui.conftest import wait_for


class Host(App):
    def __init__(self, screen) -> None:
        super().__init__()
        self.dialog = screen
        self.results: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)


def small_price(n=3):
    pairs = [(ObjectRecord(f"a/{i}", 10, "E", 0.0), f"b/{i}") for i in range(n)]
    return price_move(pairs, now=0.0)


def body_text(app) -> str:
    return str(app.screen.query_one("#priced-body", Static).render())


async def test_priced_dialog_shows_the_price_and_proceeds():
    app = Host(PricedDialog("Move?", ["3 objects to b/"], price=small_price()))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "3 objects, 30 B" in body_text(app)
        assert NON_ATOMIC_WARNING.split(":")[0] in body_text(app)
        assert not app.screen.query_one("#background", Button).display  # small job
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [Decision.PROCEED]


async def test_priced_dialog_enumerates_with_progress_then_offers_background():
    gate = threading.Event()

    def planner(progress, token):
        progress(Progress(1000, 10, 1))
        gate.wait(60)  # a hang guard: the test sets it
        return small_price(1500)

    app = Host(PricedDialog("Move?", ["a/ to b/"], planner=planner))
    async with app.run_test() as pilot:
        # The progress arrives from the planner's thread: wait for it, however loaded the
        # machine (the planner stays held by `gate` until then).
        await wait_for(pilot, lambda: "Counting: 1,000 objects in 1 pages" in body_text(app))
        await pilot.press("y")  # not priced yet: ignored
        assert app.results == []
        gate.set()
        await wait_for(pilot, lambda: "1,500 objects" in body_text(app), what="the price")
        assert app.screen.query_one("#background", Button).display
        await pilot.press("b")
        await pilot.pause()
    assert app.results == [Decision.BACKGROUND] and app.results[0]


async def test_escape_cancels_the_enumeration():
    started = threading.Event()
    seen_cancel = threading.Event()

    def planner(progress, token):
        started.set()
        while not token.wait(0.01):
            pass
        seen_cancel.set()
        raise Cancelled()

    app = Host(PricedDialog("Delete?", ["a/"], planner=planner))
    async with app.run_test() as pilot:
        assert started.wait(60)  # hang guards only: the order is what is tested
        await pilot.press("escape")
        await pilot.pause()
        assert seen_cancel.wait(60)
    assert app.results == [Decision.CANCEL] and not app.results[0]


async def test_a_failed_enumeration_is_shown_and_only_cancel_works():
    def planner(progress, token):
        raise RuntimeError("AccessDenied on oss:ListObjectsV2")

    app = Host(PricedDialog("Delete?", ["a/"], planner=planner))
    async with app.run_test() as pilot:
        await wait_for(
            pilot, lambda: "Could not work out the price: AccessDenied" in body_text(app)
        )
        await pilot.press("y")
        assert app.results == []
        await pilot.press("n")
        await pilot.pause()
    assert app.results == [Decision.CANCEL]


def archived(name, cls):
    return Entry(name, f"oss://b/{name}", EntryKind.FILE, 5, storage_class=cls,
                 restore=RestoreState(RestoreStatus.NOT_RESTORED))  # fmt: skip


async def test_restore_dialog_fits_archive():
    app = Host(RestoreDialog([archived("a", "Archive")]))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not app.screen.query("#restore-tier")  # Archive takes no tier
        wait = str(app.screen.query_one("#restore-wait", Static).render())
        assert "Archive: about 1 minute" in wait
        app.screen.query_one("#restore-days", Input).value = "8"
        await pilot.press("enter")  # out of range: refused, dialog stays
        await pilot.pause()
        assert app.results == []
        app.screen.query_one("#restore-days", Input).value = "7"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].days == 7 and app.results[0].tier is None


async def test_restore_dialog_for_deep_cold_archive_shows_tier_waits():
    app = Host(RestoreDialog([archived("d", "DeepColdArchive")]))
    async with app.run_test() as pilot:
        await pilot.pause()
        select = app.screen.query_one("#restore-tier", Select)
        wait = app.screen.query_one("#restore-wait", Static)
        assert "within 48 hours" in str(wait.render())
        select.value = "Expedited"
        await pilot.pause()
        assert "within 12 hours" in str(wait.render())
        app.screen.query_one("#restore-download").value = True
        app.screen.query_one("#restore-days", Input).value = "300"
        await pilot.click("#ok")
        await pilot.pause()
    choice = app.results[0]
    assert isinstance(choice, RestoreChoice)
    assert (choice.days, choice.tier, choice.download_when_ready) == (300, "Expedited", True)


async def test_restore_dialog_cold_archive_tiers():
    app = Host(RestoreDialog([archived("c", "ColdArchive")]))
    async with app.run_test() as pilot:
        await pilot.pause()
        select = app.screen.query_one("#restore-tier", Select)
        select.value = "Bulk"
        await pilot.pause()
        wait = str(app.screen.query_one("#restore-wait", Static).render())
        assert "ColdArchive: 5 to 12 hours" in wait
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
