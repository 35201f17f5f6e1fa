"""The client: bucket handles for one set of connection settings.

V4 signing where the region is known, V1 otherwise; path style for IP and localhost endpoints;
every bucket of a client shares one HTTP pool (gateway.http). A bucket is handed out as a
`BucketHandle`, the oss2 objects stay inside the gateway.
"""

from __future__ import annotations

import threading
from typing import Any

from ossbrowse.config import ConnectionSettings, is_ip_or_localhost, require_credentials
from ossbrowse.fs.gateway.handle import BucketHandle, Refreshable
from ossbrowse.fs.gateway.http import make_session
from ossbrowse.fs.gateway.sdk import oss2  # before anything else imports oss2


class OssClient:
    """Bucket handles for one set of settings; cached, sharing one HTTP pool.

    `enable_crc` is off by default: oss2 checks CRC64 with crcmod (about 0.2 GB/s), which would
    cap every transfer; ossbrowse checks with `ossbrowse.crc64` (native, GIL-free) instead.
    """

    def __init__(self, settings: ConnectionSettings, *, enable_crc: bool = False) -> None:
        require_credentials(settings)
        self.settings = settings
        self.endpoint: str = settings.endpoint  # type: ignore[assignment]  # checked above
        self.region = settings.region
        self.path_style = is_ip_or_localhost(self.endpoint)
        self.enable_crc = enable_crc
        self._auth = self._make_auth(settings)
        self._session = make_session()
        self._buckets: dict[str, BucketHandle] = {}
        self._lock = threading.Lock()
        # Credentials that can be renewed when OSS calls them expired (gateway.failures).
        source = settings.credentials
        self._refreshing: Refreshable | None = (
            source if source is not None and hasattr(source, "invalidate") else None
        )

    @staticmethod
    def _make_auth(settings: ConnectionSettings) -> Any:
        # Fixed keys or a refreshing source (ossbrowse.credentials): see gateway/auth.py.
        from ossbrowse.fs.gateway.auth import make_auth

        return make_auth(settings, oss2)  # the gateway's fast import of oss2

    @property
    def signature_version(self) -> int:
        return self.settings.signature_version

    def _common(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"session": self._session, "is_path_style": self.path_style}
        if self.settings.timeout is not None:
            kwargs["connect_timeout"] = self.settings.timeout
        if self.region:
            kwargs["region"] = self.region
        return kwargs

    def bucket(self, name: str) -> BucketHandle:
        """The handle of bucket `name` (cached; safe to call from any thread)."""
        with self._lock:
            found = self._buckets.get(name)
            if found is None:
                sdk = oss2.Bucket(
                    self._auth, self.endpoint, name, enable_crc=self.enable_crc, **self._common()
                )
                found = BucketHandle(sdk, name, self.endpoint, self._refreshing)
                self._buckets[name] = found
            return found


def sdk_service(client: OssClient) -> Any:
    """oss2's Service (ListBuckets) for `client`: for the gateway's own modules only."""
    return oss2.Service(client._auth, client.endpoint, **client._common())
