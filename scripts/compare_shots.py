"""Screenshots of the two-pane compare (D): its list of differences with reasons, and both panes
marked after it, from the real app (called by scripts/screenshots.py). A local folder with a
fixed name and fixed times beside an OSS prefix loaded with fixed times, so the pictures change
only when the UI does."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from screenshots import save  # the one way a picture is taken (scripts/ is on sys.path)

FIXED = 1_700_000_000  # 2023-11-14 22:13:20 UTC
LEFT = {  # name -> (body, mtime)
    "report.pdf": (b"%PDF" + b"r" * 2044, FIXED),
    "data.csv": (b"id,value\n" + b"1,2\n" * 700, FIXED + 86400),  # grew since the upload
    "notes.md": (b"# notes\n" * 40, FIXED),  # never uploaded
    "photos/a.jpg": (b"\xff\xd8" + b"a" * 5000, FIXED),
    "photos/b.jpg": (b"\xff\xd8" + b"b" * 7000, FIXED),  # taken since
    "index.html": (b"<html>" + b"i" * 994, FIXED + 7200),  # edited after the upload
}
RIGHT = {  # key under the prefix -> body (written at FIXED + 60: after the local files)
    "report.pdf": LEFT["report.pdf"][0],
    "data.csv": b"id,value\n" + b"1,2\n" * 300,
    "index.html": b"<html>" + b"I" * 994,
    "photos/a.jpg": LEFT["photos/a.jpg"][0],
    "old.log": b"log line\n" * 100,  # deleted locally
    "archive/2022.tar": b"t" * 30_000,
}


def _local(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name, (body, when) in LEFT.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        os.utime(path, (when, when))
    for path in [folder / "photos", folder]:
        os.utime(path, (FIXED, FIXED))


def _bucket(server, bucket: str, prefix: str) -> None:
    from ossbrowse.crc64 import crc64
    from ossbrowse.emulator.model import ObjectMeta

    server.create_bucket(bucket)
    metas = []
    for key, body in sorted(RIGHT.items()):
        etag = hashlib.md5(body).hexdigest().upper()
        metas.append(ObjectMeta(prefix + key, len(body), etag, crc64(body), FIXED + 60, blob=body))
    server.store.bulk_load(bucket, metas)


async def shoot_compare(out: Path) -> None:
    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.ui.dir_compare import DirCompareScreen

    folder = Path(tempfile.gettempdir()) / "ossbrowse-compare-site"
    _local(folder)
    with EmulatorServer() as server:
        _bucket(server, "compare-demo", "site/")
        settings = ConnectionSettings(endpoint=server.endpoint, region=server.region,
                                      access_key_id=server.access_key_id,
                                      access_key_secret=server.access_key_secret)  # fmt: skip
        state = tempfile.mkdtemp(prefix="ossbrowse-shots-")
        app = build_app(settings, str(folder), "oss://compare-demo/site/", state_dir=state)
        async with app.run_test(size=(120, 36)) as pilot:
            left, right = app.main.left, app.main.right
            while left.is_loading or right.is_loading or 0 in (left.generation, right.generation):
                await pilot.pause(0.05)
            await pilot.press("D")
            while not (isinstance(app.screen, DirCompareScreen) and app.screen.done):
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            await save(pilot, "dir-compare.svg", out)
            await pilot.press("escape")
            while app.screen is not app.main:
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            await save(pilot, "dir-compare-marked.svg", out)
        shutil.rmtree(state, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
