"""The price of moving local files into OSS: the files are walked and counted before asking.

Uploading costs requests (PutObject, or the multipart trio for files over a part), not traffic:
OSS does not charge for bytes coming in. Part sizes are the transfer engine's own
(`transfer.plan.choose_part_size`), so the count is what the engine will send.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ossbrowse.fs.base import Entry
from ossbrowse.ops.listing import Progress
from ossbrowse.ops.pricing import Price
from ossbrowse.tasks import Control
from ossbrowse.transfer.plan import choose_part_size

UPLOAD_NOTE = (
    "Uploaded, then deleted from this computer once each file is safely in OSS. Bytes going "
    "into OSS are free; the requests below are charged."
)


def _add_file(price: Price, size: int) -> None:
    price.objects += 1
    price.bytes += size
    part = choose_part_size(size)
    if size <= part:
        price.add_requests("PutObject", 1)
    else:
        price.add_requests("InitiateMultipartUpload", 1)
        price.add_requests("UploadPart", -(-size // part))
        price.add_requests("CompleteMultipartUpload", 1)


def price_upload(
    entries: list[Entry],
    progress: Callable[[Progress], None] | None = None,
    token: Control | None = None,
) -> Price:
    """Walk the local entries (folders whole) and count what uploading them sends."""
    price = Price("move")
    walked = 0
    for entry in entries:
        if not entry.is_dir:
            _add_file(price, entry.size)
            continue
        for root, dirs, files in os.walk(entry.path):
            if token is not None:
                token.check()
            dirs.sort()
            for name in files:
                try:
                    size = os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    continue  # gone since: the engine will say so for the files it misses
                _add_file(price, size)
            walked += 1
            if progress is not None and walked % 50 == 0:
                progress(Progress(price.objects, price.bytes, walked))
    return price
