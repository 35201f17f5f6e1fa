"""oss2's auth object for a set of settings: the one place credentials meet oss2.

Fixed keys sign as before (`oss2.Auth`/`StsAuth` for V1, `ProviderAuthV4` for V4). A source
whose credentials expire (`settings.credentials`, see `ossbrowse.credentials`) is handed to
oss2 as a provider: oss2 asks it for credentials as it signs each request, so a refreshed
token is used from the next request on, by every thread.

The oss2 module may be passed in by the caller (the OSS client), which loads it through the
gateway's fast import; this module never imports oss2 first.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from ossbrowse.config import ConnectionSettings
from ossbrowse.credentials import CredentialsSource


class SourceProvider:
    """An `ossbrowse.credentials` source as oss2's CredentialsProvider: oss2 only calls
    `get_credentials()` and reads the three getters of what it returns."""

    def __init__(self, source: CredentialsSource, sdk: ModuleType) -> None:
        self.source = source
        self._sdk = sdk
        self._last: tuple[object, Any] | None = None

    def get_credentials(self) -> Any:  # an oss2.credentials.Credentials
        current = self.source.get()
        last = self._last
        if last is not None and last[0] is current:
            return last[1]
        converted = self._sdk.credentials.Credentials(
            current.access_key_id, current.access_key_secret, current.security_token or ""
        )
        self._last = (current, converted)
        return converted


def make_auth(settings: ConnectionSettings, sdk: ModuleType | None = None) -> Any:
    """The auth object for `settings`; `sdk` is the imported oss2 module."""
    if sdk is None:
        # Already loaded by the OSS client's module through the gateway's fast import (lazy
        # crypto packages): this only looks it up in sys.modules.
        sdk = importlib.import_module("oss2")
    if settings.credentials is not None:
        provider = SourceProvider(settings.credentials, sdk)
        if settings.signature_version == 4:
            return sdk.ProviderAuthV4(provider)
        return sdk.ProviderAuth(provider)
    key_id, secret, token = settings.access_key_id, settings.access_key_secret, settings.sts_token
    if not key_id:
        # No keys anywhere: anonymous requests, which public-read buckets answer.
        return sdk.AnonymousAuth()
    if settings.signature_version == 4:
        static = sdk.credentials.StaticCredentialsProvider(key_id, secret, token or "")
        return sdk.ProviderAuthV4(static)
    if token:
        return sdk.StsAuth(key_id, secret, token)
    return sdk.Auth(key_id, secret)
