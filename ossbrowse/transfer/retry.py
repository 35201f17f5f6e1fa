"""Retry policy: exponential backoff with full jitter, for transient failures only.

Transient means the request may well succeed if sent again: a reset or refused connection, a
timeout (oss2 wraps both in RequestError), HTTP 500, 502, 503, 504, and a part whose CRC64 did
not match (bytes damaged on the way). A 4xx answer is the server's considered opinion (no such
key, access denied, precondition failed): sending the same request again would only repeat it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ossbrowse.transfer.control import JobControl

T = TypeVar("T")

_RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


class PartChecksumMismatch(Exception):
    """A part's bytes did not match the CRC64 the other side reported: worth sending again."""


def is_transient(exc: BaseException) -> bool:
    """Whether sending the same request again may succeed."""
    if isinstance(exc, PartChecksumMismatch):
        return True
    try:
        import oss2.exceptions as oe
    except ImportError:  # pragma: no cover - oss2 is a dependency
        return isinstance(exc, ConnectionError | TimeoutError)
    if isinstance(exc, oe.RequestError):
        return True
    if isinstance(exc, oe.ServerError):
        # InvalidDigest: the body did not match its Content-MD5, so it was damaged on the way
        # and OSS stored nothing; the same bytes sent again may arrive whole.
        return exc.status in _RETRYABLE_STATUS or getattr(exc, "code", "") == "InvalidDigest"
    return isinstance(exc, ConnectionError | TimeoutError)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # first try included
    base_delay: float = 0.2
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        """Full jitter (uniform in [0, base * 2**attempt], capped): spreads retries of parts
        that failed together, so they do not hit a struggling server at the same instant."""
        return random.uniform(0, min(self.max_delay, self.base_delay * (2**attempt)))

    def call(
        self,
        fn: Callable[[], T],
        control: JobControl | None = None,
        on_retry: Callable[[BaseException, int], None] | None = None,
    ) -> T:
        """`fn()`, retried on transient failures; the last failure is raised as it is."""
        attempt = 0
        while True:
            if control is not None:
                control.check()
            try:
                return fn()
            except Exception as exc:
                attempt += 1
                if attempt >= self.attempts or not is_transient(exc):
                    raise
                if on_retry is not None:
                    on_retry(exc, attempt)
                wait = self.delay(attempt - 1)
                if control is not None:
                    control.sleep(wait)
                else:
                    import time

                    time.sleep(wait)


DEFAULT_RETRY = RetryPolicy()
