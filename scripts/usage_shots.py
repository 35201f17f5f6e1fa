"""A screenshot of the usage view (U) on the demo bucket, from the real app (called by
scripts/screenshots.py). Counts and sizes come from the sample data alone, so the picture
changes only when the UI does."""

from __future__ import annotations

import tempfile
from pathlib import Path

from screenshots import save  # the one way a picture is taken (scripts/ is on sys.path)


async def shoot_usage(out: Path) -> None:
    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sample import build_sample
    from ossbrowse.ui.usage_view import UsageScreen

    with EmulatorServer() as server:
        summary = build_sample(server, many=500, large=False)
        import oss2  # an unfinished upload, as a person would leave one

        auth = oss2.Auth(server.access_key_id, server.access_key_secret)
        sdk = oss2.Bucket(auth, server.endpoint, summary.bucket)
        upload = sdk.init_multipart_upload("large/unfinished.iso").upload_id
        sdk.upload_part("large/unfinished.iso", upload, 1, b"u" * 300_000)
        settings = ConnectionSettings(endpoint=server.endpoint, region=server.region,
                                      access_key_id=server.access_key_id,
                                      access_key_secret=server.access_key_secret)  # fmt: skip
        root = f"oss://{summary.bucket}/"
        state = tempfile.mkdtemp(prefix="ossbrowse-shots-")
        app = build_app(settings, root, root, state_dir=state)
        async with app.run_test(size=(120, 36)) as pilot:
            left = app.main.left
            while left.is_loading or left.generation == 0:
                await pilot.pause(0.05)
            await pilot.press("U")
            while not (
                isinstance(app.screen, UsageScreen)
                and app.screen.report is not None
                and app.screen.report.complete
            ):
                await pilot.pause(0.05)
            await pilot.pause(0.2)
            await save(pilot, "usage.svg", out)
            await pilot.press("escape")
