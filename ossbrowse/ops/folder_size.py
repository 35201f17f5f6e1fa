"""The total size of a folder, prefix or bucket, counted on demand (MC's Ctrl+Space).

One walk with `du` (`ops.usage.usage_of`): the lean streaming listing, summed as pages arrive
and dropped (memory stays one page however many objects there are), only the root's total kept
(depth 0), no multipart uploads. A count is cancellable between pages (and between batches of
local files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ossbrowse.fs.url import is_oss_url, parse_oss_url
from ossbrowse.ops.pricing import human_bytes
from ossbrowse.tasks.control import Cancelled, Control


@dataclass(frozen=True, slots=True)
class FolderTotal:
    path: str
    objects: int
    bytes: int
    bucket: str | None = None  # OSS only
    whole_bucket: bool = False  # the count covers every object of the bucket

    def describe(self) -> str:
        noun = "object" if self.bucket is not None else "file"
        plural = "" if self.objects == 1 else "s"
        return f"{self.objects:,} {noun}{plural}, {human_bytes(self.bytes)}"


class _Asked(Control):
    """The usage walk's cancel token, also set by the caller's `cancelled()` (a UI worker's
    flag) when the walk checks it between pages."""

    __slots__ = ("_asked",)

    def __init__(self, asked: Callable[[], bool]) -> None:
        super().__init__()
        self._asked = asked

    def check(self) -> None:
        if self._asked():
            self.cancel()
        super().check()


def folder_size(
    path: str,
    bucket_for: Callable[[str], Any] | None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> FolderTotal | None:
    """The total under `path` (a local folder, an oss:// prefix or bucket); None if cancelled."""
    from ossbrowse.ops.usage import usage_of

    token = _Asked(cancelled)
    try:
        token.check()
        report = usage_of(path, bucket_for, depth=0, uploads=False, cancel=token)
    except Cancelled:
        return None
    total = report.total
    if not is_oss_url(path):
        return FolderTotal(path, total.objects, total.bytes)
    url = parse_oss_url(path)
    return FolderTotal(path, total.objects, total.bytes, url.bucket, whole_bucket=not url.key)
