"""The total size of a folder, prefix or bucket, counted on demand (MC's Ctrl+Space).

Listing pages are summed as they arrive and dropped: memory stays one page however many
objects there are. A count is cancellable between pages (and between local directories).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ossbrowse.ops.pricing import human_bytes


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


def _oss_total(
    path: str, bucket_for: Callable[[str], Any], cancelled: Callable[[], bool]
) -> FolderTotal | None:
    from ossbrowse.fs.url import parse_oss_url
    from ossbrowse.ops.listing import iter_pages

    url = parse_oss_url(path)
    bucket_name = url.bucket or ""
    prefix = url.key or ""
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    objects = size = 0
    for page in iter_pages(bucket_for(bucket_name), prefix):
        if cancelled():
            return None
        objects += len(page)
        size += sum(o.size for o in page)
    return FolderTotal(path, objects, size, bucket_name, whole_bucket=not prefix)


def _local_total(path: str, cancelled: Callable[[], bool]) -> FolderTotal | None:
    objects = size = 0
    stack = [path]
    while stack:
        if cancelled():
            return None
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for item in it:
                    try:
                        if item.is_dir(follow_symlinks=False):
                            stack.append(item.path)
                        else:
                            size += item.stat(follow_symlinks=False).st_size
                            objects += 1
                    except OSError:
                        continue  # gone meanwhile, or unreadable: counted as nothing
        except OSError:
            continue
    return FolderTotal(path, objects, size)


def folder_size(
    path: str,
    bucket_for: Callable[[str], Any] | None,
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> FolderTotal | None:
    """The total under `path` (a local folder, an oss:// prefix or bucket); None if cancelled."""
    if path.startswith("oss://"):
        if bucket_for is None:
            from ossbrowse.errors import OssBrowseError

            raise OssBrowseError("No OSS connection to count with.")
        return _oss_total(path, bucket_for, cancelled)
    return _local_total(path, cancelled)
