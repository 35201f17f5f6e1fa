"""Screenshots of the versions view (V) of a versioned bucket, and of the typed confirmation a
permanent delete asks for, from the real app (called by scripts/screenshots.py).

Deterministic: the local server's version numbers start from a fixed value (so the version
ids are the same every run), every version gets a fixed Last-Modified, times show in UTC.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from screenshots import save  # the one way a picture is taken (scripts/ is on sys.path)

FIXED = 1_700_000_000  # 2023-11-14 22:13:20 UTC
DAY = 86_400
SEQ_START = 4_100_000_000_000_000  # version numbers from here, whatever the clock says
# key -> its versions, oldest first: (body or None for a delete marker, days after FIXED,
# storage class)
HISTORY: dict[str, list[tuple[bytes | None, int, str]]] = {
    "budget.xlsx": [(b"b" * 18_000, 0, "Standard"), (b"b" * 21_500, 9, "Standard"),
                    (b"b" * 24_300, 30, "Standard")],
    "draft.md": [(b"# draft\n" * 60, 2, "Standard"), (b"# draft v2\n" * 80, 5, "Standard")],
    "notes.txt": [(b"n" * 900, 1, "Standard"), (b"n" * 1_400, 12, "Standard"),
                  (None, 40, "")],
    "photo.jpg": [(b"\xff\xd8" + b"p" * 250_000, 3, "Standard"),
                  (b"\xff\xd8" + b"q" * 260_000, 20, "IA")],
    "old-logs/app.log": [(b"log\n" * 3000, 4, "Standard"), (None, 33, "")],
    "old-logs/web.log": [(b"web\n" * 2000, 4, "Standard"), (None, 33, "")],
    "q3/summary.pdf": [(b"%PDF" + b"s" * 40_000, 15, "Standard")],
}  # fmt: skip


def _fill(server, bucket) -> None:
    import oss2

    from ossbrowse.emulator.versions import versions_of

    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig("Enabled"))
    server.store.clock.seen(SEQ_START)
    for key, history in HISTORY.items():
        for body, _, storage in history:
            if body is None:
                bucket.delete_object(key)
            else:
                bucket.put_object(key, body, headers={"x-oss-storage-class": storage})
    with server.store.lock:
        state = server.store.bucket(bucket.bucket_name)
        for key, history in HISTORY.items():
            metas = versions_of(state, key)  # newest first
            for meta, (_, days, _) in zip(metas, reversed(history), strict=True):
                meta.mtime = FIXED + days * DAY + 3_600


async def shoot_versions(out: Path) -> None:
    import oss2

    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.emulator import EmulatorServer

    folder = Path(tempfile.gettempdir()) / "ossbrowse-versions-demo"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.utime(folder, (FIXED, FIXED))
    with EmulatorServer() as server:
        server.create_bucket("reports")
        auth = oss2.Auth(server.access_key_id, server.access_key_secret)
        _fill(server, oss2.Bucket(auth, server.endpoint, "reports"))
        settings = ConnectionSettings(endpoint=server.endpoint, region=server.region,
                                      access_key_id=server.access_key_id,
                                      access_key_secret=server.access_key_secret)  # fmt: skip
        state = tempfile.mkdtemp(prefix="ossbrowse-shots-")
        app = build_app(settings, "oss://reports/", str(folder), state_dir=state)
        async with app.run_test(size=(120, 36)) as pilot:
            main = app.main
            while main.left.is_loading or "versioned" not in main.status.text.plain:
                await pilot.pause(0.05)
            await pilot.press("V")
            while type(app.screen).__name__ != "VersionsScreen" or app.screen.list.note:
                await pilot.pause(0.05)
            view = app.screen
            names = [r.name for r in view.list.rows]
            view.list.move_cursor(names.index("notes.txt") + 1)  # an older version, dimmed
            await pilot.pause(0.3)
            await save(pilot, "versions.svg", out)
            await pilot.press("delete")
            while type(app.screen).__name__ != "TypedConfirmDialog":
                await pilot.pause(0.05)
            await pilot.pause(0.3)
            await save(pilot, "versions-delete-forever.svg", out)
            await pilot.press("escape")
            await pilot.pause(0.2)
        shutil.rmtree(state, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
