"""A bucket as the rest of ossbrowse holds it: a name and an endpoint, the SDK kept inside.

Every gateway function takes a `BucketHandle` (from `OssClient.bucket`); nothing outside the
gateway can reach the oss2 Bucket in it, so nothing outside can call oss2 or catch its
exceptions. The handle also knows whether its credentials refresh, so the gateway can ask for
fresh ones when OSS calls the held ones expired (see `failures.request`).
"""

from __future__ import annotations

from typing import Any, Protocol


class Refreshable(Protocol):
    """A credentials source that can be told its held credentials were refused as expired
    (`ossbrowse.credentials.RefreshingCredentials`)."""

    def get(self) -> Any: ...  # Credentials: `.access_key_id` is read

    def invalidate(self, access_key_id: str | None = None) -> None: ...


class BucketHandle:
    """One bucket of one client: `bucket_name`, `endpoint`; opaque otherwise."""

    __slots__ = ("_refreshing", "_sdk", "bucket_name", "endpoint")

    def __init__(
        self, sdk_bucket: Any, name: str, endpoint: str, refreshing: Refreshable | None = None
    ) -> None:
        self._sdk = sdk_bucket
        self._refreshing = refreshing
        self.bucket_name = name
        self.endpoint = endpoint

    def __repr__(self) -> str:
        return f"BucketHandle({self.bucket_name!r}, {self.endpoint!r})"


def sdk_bucket(handle: BucketHandle) -> Any:
    """The oss2 Bucket inside `handle`: for the gateway's own modules only.

    A harness (the tests, benchmarks and stress runs set up data with the SDK directly) may
    pass an oss2 Bucket it built itself where a handle is expected; it stands for itself.
    Product code cannot: only the gateway imports oss2 (checked by tests/test_architecture.py).
    """
    return getattr(handle, "_sdk", handle)


def refreshing(handle: BucketHandle) -> Refreshable | None:
    """The handle's refreshing credentials source, None when its credentials never change."""
    found: Refreshable | None = getattr(handle, "_refreshing", None)
    return found
