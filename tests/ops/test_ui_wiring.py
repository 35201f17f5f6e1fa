"""The UI's confirm point (ui/expensive.py) gives priced dialogs for OSS entries (Pilot)."""

from __future__ import annotations

from types import SimpleNamespace

from textual.widgets import Static

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.ui import expensive
from ossbrowse.ui.priced_dialogs import Decision, PricedDialog
from tests.ops.conftest import fill
from tests.ops.test_dialogs import Host
from tests.ui.conftest import wait_for


def fs_for_bucket(bucket):
    side = SimpleNamespace(bucket=lambda name: bucket)  # what an OssFileSystem offers
    return lambda path: side


async def test_delete_of_an_oss_folder_is_priced(bucket):
    fill(bucket, "f/", 3)
    bucket.put_object("f/ia", b"12", headers={"x-oss-storage-class": "IA"})
    folder = Entry("f", f"oss://{bucket.bucket_name}/f/", EntryKind.FOLDER)
    dialog = expensive.delete_dialog([folder], fs_for_bucket(bucket))
    assert isinstance(dialog, PricedDialog)
    app = Host(dialog)
    async with app.run_test() as pilot:
        # The price is worked out on a worker thread: wait until the dialog shows it.
        await wait_for(pilot, lambda: getattr(app.screen, "price", None) is not None)
        await pilot.pause()
        body = str(app.screen.query_one("#priced-body", Static).render())
        assert "4 objects" in body and "1 DeleteMultipleObjects" in body
        assert "Early deletion: 1 object in IA" in body
        await pilot.press("y")
        await pilot.pause()
    assert app.results == [Decision.PROCEED]


async def test_move_between_oss_folders_is_priced(bucket):
    fill(bucket, "a/", 2)
    folder = Entry("a", f"oss://{bucket.bucket_name}/a/", EntryKind.FOLDER)
    dialog = expensive.move_dialog([folder], f"oss://{bucket.bucket_name}/z/",
                                   fs_for_bucket(bucket))  # fmt: skip
    app = Host(dialog)
    async with app.run_test() as pilot:
        # The price is worked out on a worker thread: wait until the dialog shows it.
        await wait_for(pilot, lambda: getattr(app.screen, "price", None) is not None)
        await pilot.pause()
        body = str(app.screen.query_one("#priced-body", Static).render())
        assert "2 CopyObject" in body and "not atomic" in body
        await pilot.press("n")
        await pilot.pause()
    assert app.results == [Decision.CANCEL]
