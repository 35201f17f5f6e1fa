"""Helpers for the versioned-bucket tests: a versioned bucket, and fixed times on versions.

Times of versions are set in the local server's store (its versions' Last-Modified), so a test
about "deleted after TIME" or "the state before TIME" never depends on the clock moving
between two requests (no sleeps): the listing then says exactly those times.
"""

from __future__ import annotations

import oss2

DAY = 86_400.0
T0 = 1_765_000_000.0  # 2025-12-06 05:46:40 UTC


def versioned(bucket: oss2.Bucket, status: str = "Enabled") -> oss2.Bucket:
    bucket.put_bucket_versioning(oss2.models.BucketVersioningConfig(status))
    return bucket


def date_versions(server, bucket: oss2.Bucket, key: str, times: list[float]) -> None:
    """Give `key`'s versions (newest first, delete markers included) these Last-Modified
    times, newest first too."""
    from ossbrowse.emulator.versions import versions_of

    store = server.store
    with store.lock:
        metas = versions_of(store.bucket(bucket.bucket_name), key)
        assert len(metas) == len(times), (key, len(metas), times)
        for meta, when in zip(metas, times, strict=True):
            meta.mtime = when
