"""oss2's auth object for a set of settings: the one place credentials meet oss2.

Fixed keys sign as before (`oss2.Auth`/`StsAuth` for V1, `ProviderAuthV4` for V4). A source
whose credentials expire (`settings.credentials`, see `ossbrowse.credentials`) is handed to
oss2 as a provider: oss2 asks it for credentials as it signs each request, so a refreshed
token is used from the next request on, by every thread.
"""

from __future__ import annotations

from typing import Any

from ossbrowse.config import ConnectionSettings
from ossbrowse.credentials import CredentialsSource
from ossbrowse.fs.oss2_import import oss2  # before anything else imports oss2


class _SourceProvider(oss2.credentials.CredentialsProvider):  # type: ignore[misc]  # untyped
    """An `ossbrowse.credentials` source as oss2's CredentialsProvider."""

    def __init__(self, source: CredentialsSource) -> None:
        self.source = source
        self._last: tuple[object, Any] | None = None

    def get_credentials(self) -> Any:  # oss2.credentials.Credentials
        current = self.source.get()
        last = self._last
        if last is not None and last[0] is current:
            return last[1]
        converted = oss2.credentials.Credentials(
            current.access_key_id, current.access_key_secret, current.security_token or ""
        )
        self._last = (current, converted)
        return converted


def make_auth(settings: ConnectionSettings) -> Any:  # an oss2 auth object
    if settings.credentials is not None:
        provider = _SourceProvider(settings.credentials)
        if settings.signature_version == 4:
            return oss2.ProviderAuthV4(provider)
        return oss2.ProviderAuth(provider)
    key_id, secret, token = settings.access_key_id, settings.access_key_secret, settings.sts_token
    if not key_id:
        # No keys anywhere: anonymous requests, which public-read buckets answer.
        return oss2.AnonymousAuth()
    if settings.signature_version == 4:
        provider = oss2.credentials.StaticCredentialsProvider(key_id, secret, token or "")
        return oss2.ProviderAuthV4(provider)
    if token:
        return oss2.StsAuth(key_id, secret, token)
    return oss2.Auth(key_id, secret)
