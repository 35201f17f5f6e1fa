"""The client: oss2 Bucket and Service objects for one set of connection settings.

V4 signing where the region is known, V1 otherwise; path style for IP and localhost endpoints;
every bucket of a client shares one HTTP pool (gateway.http). `ossbrowse.fs.oss.OssClient` is
this class.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ossbrowse import errors
from ossbrowse.config import ConnectionSettings, is_ip_or_localhost, require_credentials
from ossbrowse.fs.gateway.http import make_session
from ossbrowse.fs.gateway.sdk import oss2  # before anything else imports oss2


class OssClient:
    """oss2 objects for one set of settings; buckets are cached and share one HTTP pool.

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
        self._buckets: dict[str, oss2.Bucket] = {}
        self._lock = threading.Lock()

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

    def bucket(self, name: str) -> oss2.Bucket:
        """The oss2.Bucket for `name` (cached; safe to call from any thread)."""
        with self._lock:
            found = self._buckets.get(name)
            if found is None:
                found = oss2.Bucket(
                    self._auth, self.endpoint, name, enable_crc=self.enable_crc, **self._common()
                )
                self._buckets[name] = found
            return found

    def service(self) -> oss2.Service:
        return oss2.Service(self._auth, self.endpoint, **self._common())

    def error(
        self, exc: BaseException, action: str, bucket: str | None = None, key: str | None = None
    ) -> errors.OssBrowseError:
        """`exc` as an ossbrowse error naming this client's endpoint."""
        return errors.from_oss2(exc, action=action, bucket=bucket, key=key, endpoint=self.endpoint)

    @contextmanager
    def translate(
        self, action: str, bucket: str | None = None, key: str | None = None
    ) -> Iterator[None]:
        """Run a block of oss2 calls; whatever it raises leaves as an ossbrowse error."""
        try:
            yield
        except errors.OssBrowseError:
            raise
        except Exception as exc:
            raise self.error(exc, action, bucket, key) from None
