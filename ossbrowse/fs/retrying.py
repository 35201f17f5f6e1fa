"""The one retry rule and the one notion of "transient" for every request ossbrowse sends.

Transient means: the same request sent again may well succeed, so it is worth sending again.
That is decided here, once, for the request and for its answer alike:

- the connection was reset, refused, aborted or timed out, before or after the request went;
- the answer broke off while it was being read: a chunked body cut short, fewer bytes than its
  Content-Length (urllib3 ProtocolError / IncompleteRead, requests ChunkedEncodingError,
  http.client IncompleteRead, or oss2's RequestError wrapping any of them: a `NetworkError`
  that is not `permanent`, as the gateway reports it). This is the case
  that used to escape: CopyObject, CompleteMultipartUpload, a listing page, a delete batch,
  RestoreObject all read a small XML answer after the server has acted;
- HTTP 500, 502, 503, 504, and the 400 RequestTimeout OSS sends for a stalled body;
- bytes damaged on the way: InvalidDigest (the body did not match its Content-MD5, so OSS stored
  nothing), an `IntegrityError` and a part whose CRC64 did not match (PartChecksumMismatch).

Everything else is the server's considered answer (no such key, access denied, precondition
failed), or a fault of this machine (bad URL, certificate, a host name that does not exist):
sending it again would only repeat it.

Retrying is safe because every request ossbrowse retries is idempotent or made so by its
caller: a copy sent twice writes the same bytes; a delete of a deleted key succeeds; a
CompleteMultipartUpload repeated after a lost success answers NoSuchUpload, which
`gateway.multipart.complete_multipart_upload` resolves by checking that the object exists
with the CRC64 expected; an append checks its position.

The rule: bounded attempts with exponential backoff and full jitter (tenacity), waiting through
whatever can be cancelled (a task's `Control`, `ossbrowse.tasks`). It judges the
product's errors (`ossbrowse.errors`), which the gateway raises with OSS's status and code and,
for network failures, whether they are permanent.

Where it runs: the gateway runs every idempotent request under it (`REQUEST_RETRY`, short: a
person is often waiting), unless the request is part of a caller's attempt that already runs
under it (a part's GET and the reading of its body, a CRC check after an upload): then that
attempt is what is sent again, under the caller's policy and cancel, and the request inside
it is sent once per attempt (`in_attempt`). So no request is retried by two loops at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ossbrowse.fs.gateway.network import is_broken_transport, is_permanent_network

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
# Codes that say "send it again": the body was damaged (InvalidDigest) or too slow to arrive.
RETRYABLE_CODES = frozenset({"InvalidDigest", "RequestTimeout"})


# True while this thread runs an attempt of `RetryPolicy.call`: requests inside it are not
# retried on their own (the attempt is).
_IN_ATTEMPT: ContextVar[bool] = ContextVar("ossbrowse_in_retry_attempt", default=False)


def in_attempt() -> bool:
    """Whether the caller is inside an attempt that the retry rule sends again as a whole."""
    return _IN_ATTEMPT.get()


class PartChecksumMismatch(Exception):
    """A part's bytes did not match the CRC64 the other side reported: worth sending again."""


class Interruptible(Protocol):
    """What a retry waits through: a task's Control (check raises when cancelled or stopped)."""

    def check(self) -> None: ...

    def sleep(self, seconds: float) -> None: ...


class CancelWaiter(Protocol):
    """A task's Control as operations hold it: `wait(seconds)` is True when it was cancelled."""

    @property
    def cancelled(self) -> bool: ...

    def wait(self, seconds: float) -> bool: ...


def is_transient(exc: BaseException) -> bool:
    """Whether sending the same request again may succeed (see the module's first lines)."""
    if isinstance(exc, PartChecksumMismatch):
        return True
    from ossbrowse.errors import IntegrityError, NetworkError, OssBrowseError

    if isinstance(exc, OssBrowseError):
        if isinstance(exc, NetworkError):
            return not exc.permanent
        if isinstance(exc, IntegrityError):
            return True  # the CRC64 of what arrived differs from what OSS reported
        if exc.status:  # OSS's answer, as the gateway reported it
            status, code = exc.status, exc.code
            return status in RETRYABLE_STATUS or (status >= 400 and code in RETRYABLE_CODES)
        # Raised by a caller about another failure (`raise X from exc`): judged by that one.
        cause = exc.__cause__
        return cause is not None and cause is not exc and is_transient(cause)
    # The caller's own code found the connection or the answer broken (a body cut short).
    return is_broken_transport(exc) and not is_permanent_network(exc)


class _Interrupted(Exception):
    """A cancel during a backoff: the last real failure is raised instead."""


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded attempts, exponential backoff with full jitter, transient failures only."""

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
        control: Interruptible | None = None,
        on_retry: Callable[[BaseException, int], None] | None = None,
        *,
        cancel: CancelWaiter | None = None,
    ) -> T:
        """`fn()`, sent again on transient failures; the last failure is raised as it is.

        `control.check()` runs before every attempt and `control.sleep` waits the backoff (so
        a cancelled transfer stops at once); a `cancel` token that fires during a backoff ends
        the retries with the failure that caused them.
        """
        import tenacity  # here: its import (asyncio) costs every `ossbrowse ls` ~35 ms

        last: list[BaseException] = []

        def attempt() -> T:
            if control is not None:
                control.check()
            inside = _IN_ATTEMPT.set(True)
            try:
                return fn()
            finally:
                _IN_ATTEMPT.reset(inside)

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome is not None else None
            if exc is not None:
                last[:] = [exc]
                if on_retry is not None:
                    on_retry(exc, state.attempt_number)

        def sleep(seconds: float) -> None:
            if control is not None:
                control.sleep(seconds)
            elif cancel is not None:
                if cancel.wait(seconds):
                    raise _Interrupted
            elif seconds > 0:
                import time

                time.sleep(seconds)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, self.attempts)),
            wait=tenacity.wait_random_exponential(multiplier=self.base_delay, max=self.max_delay),
            retry=tenacity.retry_if_exception(is_transient),
            before_sleep=before_sleep,
            sleep=sleep,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Interrupted:
            raise last[0] from None


DEFAULT_RETRY = RetryPolicy()
# A lone request, and what a person waits for (a pane's listing, a stat): few attempts, short
# waits; Ctrl+R asks again. Long transfers and operations use the default bound.
REQUEST_RETRY = RetryPolicy(attempts=3, base_delay=0.1, max_delay=1.0)
