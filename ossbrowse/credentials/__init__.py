"""Credentials that may change while ossbrowse runs, and the cache that refreshes them.

A key pair from a flag or a file never changes; an STS token from an ECS instance's RAM role
or a credentials URI expires (after 15 minutes to 12 hours), while a transfer may run longer.
`RefreshingCredentials` asks its source again before the held credentials expire: when less
than a quarter of their lifetime or 5 minutes remain, whichever is shorter. One thread fetches
at a time; the others keep signing with the held credentials while they are still valid, and
wait only when nothing valid is held.

Nothing here imports oss2: the gateway (`fs.gateway.auth`) adapts a `CredentialsSource` to oss2,
and renews it (`invalidate`) when OSS refuses the held credentials as expired.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ossbrowse.errors import CredentialsError, OssBrowseError

log = logging.getLogger(__name__)

REFRESH_MARGIN = 300.0  # seconds before expiry at most; a quarter of the lifetime when shorter
RETRY_AFTER_FAILURE = 30.0  # seconds before asking a failing source again, while creds are valid

Clock = Callable[[], float]


@dataclass(frozen=True)
class Credentials:
    """One key pair, with its STS token and expiry (seconds since the epoch) when it has them."""

    access_key_id: str
    access_key_secret: str
    security_token: str | None = None
    expiration: float | None = None

    def __repr__(self) -> str:
        # A stray repr in a log must not carry a secret (see config.mask_secret).
        from ossbrowse.config import mask_secret

        return (
            f"Credentials(access_key_id={mask_secret(self.access_key_id)!r}, "
            f"security_token={'set' if self.security_token else None!r}, "
            f"expiration={self.expiration!r})"
        )


class CredentialsSource(Protocol):
    """What the OSS client asks before signing each request."""

    description: str  # e.g. "the credentials URI http://..." (for messages and `config show`)

    def get(self) -> Credentials: ...


class StaticCredentials:
    """A key pair that does not change (flags, environment, profiles, ossutil, Alluxio)."""

    def __init__(self, credentials: Credentials, description: str = "a fixed AccessKey pair"):
        self._credentials = credentials
        self.description = description

    def get(self) -> Credentials:
        return self._credentials


def refresh_time(fetched_at: float, expiration: float) -> float:
    """When to fetch again: min(5 minutes, a quarter of the lifetime) before `expiration`."""
    lifetime = expiration - fetched_at
    return expiration - min(REFRESH_MARGIN, lifetime / 4)


@dataclass(frozen=True)
class _Held:
    credentials: Credentials
    refresh_at: float  # fetch again from this time on
    expires_at: float  # no longer usable from this time on


class RefreshingCredentials:
    """Credentials from `fetch()`, fetched again before they expire; safe from many threads.

    `fetch` raises an `OssBrowseError` (a sentence for a person) when the source fails. A
    failure while the held credentials are still valid is logged and tried again later; a
    failure with nothing valid held reaches the request being signed.
    """

    def __init__(
        self, fetch: Callable[[], Credentials], description: str, *, clock: Clock = time.time
    ):
        self._fetch = fetch
        self.description = description
        self._clock = clock
        self._lock = threading.Lock()
        self._held: _Held | None = None
        self.fetches = 0  # how many times the source answered
        self.last_error: str | None = None  # the last failed refresh, while creds stayed valid

    def get(self) -> Credentials:
        held = self._held
        now = self._clock()
        if held is not None and now < held.refresh_at:
            return held.credentials
        if held is not None and now < held.expires_at:
            # Due for a refresh but still valid: one thread refreshes, the others go on.
            if not self._lock.acquire(blocking=False):
                return held.credentials
        else:
            self._lock.acquire()
        try:
            return self._refresh_locked()
        finally:
            self._lock.release()

    def _refresh_locked(self) -> Credentials:
        held = self._held
        now = self._clock()
        if held is not None and now < held.refresh_at:
            return held.credentials  # another thread refreshed while this one waited
        try:
            fresh = self._fetch()
        except OssBrowseError as exc:
            if held is not None and now < held.expires_at:
                # Not a warning on stderr: under the UI it would be drawn over the screen.
                log.info("%s; the current credentials stay in use for now", exc)
                self.last_error = str(exc)
                retry_at = min(held.expires_at, now + RETRY_AFTER_FAILURE)
                self._held = _Held(held.credentials, retry_at, held.expires_at)
                return held.credentials
            raise
        self.fetches += 1
        self.last_error = None
        if fresh.expiration is None:
            self._held = _Held(fresh, float("inf"), float("inf"))
        elif fresh.expiration <= now:
            raise CredentialsError(
                f"{self.description[0].upper()}{self.description[1:]} gave credentials that "
                f"expired already (at {_utc(fresh.expiration)}).",
                hint="Check this machine's clock, and that the source hands out fresh tokens.",
            )
        else:
            self._held = _Held(fresh, refresh_time(now, fresh.expiration), fresh.expiration)
        return fresh

    def invalidate(self, access_key_id: str | None = None) -> None:
        """OSS refused the held credentials as expired (clocks apart, a token revoked early):
        the next `get()` fetches again. With `access_key_id`, only if that pair is still held,
        so many parts refused at once cause one fetch, not one each."""
        with self._lock:
            held = self._held
            if held is not None and access_key_id in (None, held.credentials.access_key_id):
                self._held = None

    def expiration(self) -> float | None:
        """The held credentials' expiry (None when none are held or they do not expire)."""
        held = self._held
        return held.credentials.expiration if held is not None else None


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
