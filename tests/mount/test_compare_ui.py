"""Compare mode in the UI (key `=`), through Pilot against the local OSS server."""

from __future__ import annotations

import os

from ossbrowse.ui.compare import CompareScreen
from ossbrowse.ui.dialogs.copy import CopyDialog
from ossbrowse.ui.inspector import Inspector
from tests.ui.conftest import loaded, wait_for

PREFIX = "mnt/"


def _pair(tmp_path, bucket):
    root = tmp_path / "mount"
    root.mkdir()
    bucket.put_object(PREFIX + "same.txt", b"same")
    bucket.put_object(PREFIX + "only-bucket.txt", b"from another instance")
    mtime = bucket.head_object(PREFIX + "same.txt").last_modified
    (root / "same.txt").write_bytes(b"same")
    os.utime(root / "same.txt", (mtime, mtime))
    (root / "only-mount.txt").write_bytes(b"not flushed yet")
    return root


def _keys(screen: CompareScreen) -> list[str]:
    return [e.key for e in screen.list.entries]


async def test_compare_mode_lists_differences_copies_across_and_inspects(
    make_app, oss_bucket, tmp_path
):
    root = _pair(tmp_path, oss_bucket)
    # Declared a mount (the autouse fixture points OSSBROWSE_CONFIG here): mount words.
    (tmp_path / "no-config.toml").write_text(
        f'[mounts]\n"{root}" = {{ url = "oss://{oss_bucket.bucket_name}/{PREFIX}" }}\n'
    )
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/{PREFIX}")
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left) and loaded(app.main.right))
        await pilot.press("equals_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="compare")
        screen = app.screen
        await wait_for(pilot, lambda: screen.done, what="the compare to finish")
        assert _keys(screen) == ["only-bucket.txt", "only-mount.txt"]  # "same" is not listed
        assert "NOT in sync: 2 differences" in str(screen.summary.render())
        assert "only in the bucket" in screen.list.entries[0].reason

        # Inspect the bucket-only object, then come back.
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, Inspector), what="inspector")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)

        # Copy the unflushed file up to the bucket, through the copy dialog and the engine.
        await pilot.press("down")
        assert screen.list.current.key == "only-mount.txt"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CopyDialog), what="copy dialog")
        assert app.screen.destination == f"oss://{oss_bucket.bucket_name}/{PREFIX}"
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: oss_bucket.object_exists(PREFIX + "only-mount.txt"),
            what="the upload",
        )
        await wait_for(pilot, lambda: app.screen is screen)

        # Run it again: the copied file is no longer only in the mount.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.done, what="the second compare")
        assert "only-mount.txt" not in [
            e.key for e in screen.list.entries if e.mark.value == "only-in-mount"
        ]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main)
    assert oss_bucket.get_object(PREFIX + "only-mount.txt").read() == b"not flushed yet"


async def test_compare_needs_a_local_folder(make_app, oss_bucket):
    url = f"oss://{oss_bucket.bucket_name}/"
    app = make_app(url, url)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("equals_sign")
        await pilot.pause()
        assert app.screen is app.main
        await wait_for(
            pilot,
            lambda: any("needs a local folder" in str(n.message) for n in app._notifications),
            what="the explanation",
        )


async def test_copy_into_a_read_only_mount_is_refused(make_app, oss_bucket, tmp_path):
    mount = tmp_path / "ro-mount"
    mount.mkdir()
    oss_bucket.put_object(PREFIX + "x.txt", b"x")
    # The autouse fixture points OSSBROWSE_CONFIG here: declare the folder a read-only mount.
    (tmp_path / "no-config.toml").write_text(
        f'[mounts]\n"{mount}" = {{ url = "oss://{oss_bucket.bucket_name}/{PREFIX}", '
        "read_only = true }\n"
    )
    app = make_app(f"oss://{oss_bucket.bucket_name}/{PREFIX}", str(mount))
    async with app.run_test(size=(120, 36)) as pilot:
        left = app.main.left
        await wait_for(pilot, lambda: loaded(left) and loaded(app.main.right))
        left.file_list.move_to_path(f"oss://{oss_bucket.bucket_name}/{PREFIX}x.txt")
        await pilot.press("c")
        # The UI's write gate refuses at the key, before any dialog opens.
        await wait_for(
            pilot,
            lambda: any("read-only OSS mount" in str(n.message) for n in app._notifications),
            what="the refusal",
        )
        assert not isinstance(app.screen, CopyDialog)
    assert not (mount / "x.txt").exists()
    assert app.engine.jobs() == [] or all(j.dst != str(mount / "x.txt") for j in app.engine.jobs())


async def test_without_a_mount_two_plain_folders_are_compared(make_app, oss_bucket, tmp_path):
    """No mount declared: no "not flushed", plain words; a long row is cut with "..." and its
    whole reason shows under the list."""
    root = tmp_path / "plain"
    root.mkdir()
    long_name = "a-rather-long-file-name-that-will-not-fit-" + "x" * 60 + ".txt"
    oss_bucket.put_object(PREFIX + "same.txt", b"same")
    oss_bucket.put_object(PREFIX + "bigger.txt", b"remote and longer")
    (root / "same.txt").write_bytes(b"same")
    os.utime(root / "same.txt", (1_000_000_000, 1_000_000_000))  # older than the upload
    (root / "bigger.txt").write_bytes(b"local")
    (root / long_name).write_bytes(b"only here")
    app = make_app(str(root), f"oss://{oss_bucket.bucket_name}/{PREFIX}")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app.main.left))
        await pilot.press("equals_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, CompareScreen), what="compare")
        screen = app.screen
        await wait_for(pilot, lambda: screen.done, what="the compare to finish")
        assert screen.plain
        assert sorted(_keys(screen)) == sorted(["bigger.txt", long_name])
        reasons = " ".join(e.reason for e in screen.list.entries)
        assert "flush" not in reasons and "mount" not in reasons
        summary = str(screen.summary.render())
        assert "2 differences" in summary and "only local" in summary
        width = screen.list.scrollable_content_region.width
        rows = [screen.list.render_line(y).text for y in range(2)]
        assert all(len(row) <= width for row in rows)
        assert any(row.rstrip().endswith("...") for row in rows)
        while screen.list.current.key != long_name:
            await pilot.press("down")
        await pilot.pause()
        assert long_name in str(screen.detail.render()).replace("\n", "")
