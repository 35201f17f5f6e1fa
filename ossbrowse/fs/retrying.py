"""The one retry rule and the one notion of "transient" for every request ossbrowse sends.

Transient means: the same request sent again may well succeed, so it is worth sending again.
That is decided here, once, for the request and for its answer alike:

- the connection was reset, refused, aborted or timed out, before or after the request went;
- the answer broke off while it was being read: a chunked body cut short, fewer bytes than its
  Content-Length (urllib3 ProtocolError / IncompleteRead, requests ChunkedEncodingError,
  http.client IncompleteRead, or oss2's RequestError wrapping any of them). This is the case
  that used to escape: CopyObject, CompleteMultipartUpload, a listing page, a delete batch,
  RestoreObject all read a small XML answer after the server has acted;
- HTTP 500, 502, 503, 504, and the 400 RequestTimeout OSS sends for a stalled body;
- bytes damaged on the way: InvalidDigest (the body did not match its Content-MD5, so OSS stored
  nothing), oss2's InconsistentError and a part whose CRC64 did not match (PartChecksumMismatch).

Everything else is the server's considered answer (no such key, access denied, precondition
failed), or a fault of this machine (bad URL, certificate, a host name that does not exist):
sending it again would only repeat it.

Retrying is safe because every request ossbrowse retries is idempotent or made so by its
caller: a copy sent twice writes the same bytes; a delete of a deleted key succeeds; a
CompleteMultipartUpload repeated after a lost success answers NoSuchUpload, which
`gateway.multipart.complete_multipart_upload` resolves by checking that the object exists
with the CRC64 expected; an append checks its position.

The rule: bounded attempts with exponential backoff and full jitter (tenacity), waiting through
whatever can be cancelled (a transfer's JobControl, an operation's CancelToken). The gateway
reads what oss2 and the HTTP stack raised (`fs.gateway.errors`, `fs.gateway.network`); which of
it is transient is decided here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ossbrowse.fs.gateway.network import is_broken_transport, is_permanent_network

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
# Codes that say "send it again": the body was damaged (InvalidDigest) or too slow to arrive.
RETRYABLE_CODES = frozenset({"InvalidDigest", "RequestTimeout"})


class PartChecksumMismatch(Exception):
    """A part's bytes did not match the CRC64 the other side reported: worth sending again."""


class Interruptible(Protocol):
    """What a retry waits through: a transfer's JobControl (check raises when cancelled)."""

    def check(self) -> None: ...

    def sleep(self, seconds: float) -> None: ...


class CancelWaiter(Protocol):
    """An operation's CancelToken: `wait(seconds)` is True when it was cancelled meanwhile."""

    @property
    def cancelled(self) -> bool: ...

    def wait(self, seconds: float) -> bool: ...


def is_transient(exc: BaseException) -> bool:
    """Whether sending the same request again may succeed (see the module's first lines)."""
    if isinstance(exc, PartChecksumMismatch):
        return True
    from ossbrowse.errors import OssBrowseError

    if isinstance(exc, OssBrowseError):
        # Already explained for a person; judge by what it explains, when that is kept.
        # `raise X from exc` keeps it as the cause; `raise X from None` (a translation) still
        # keeps it as the suppressed context. A plain raise inside a handler is not judged by
        # what it happened to interrupt.
        cause = exc.__cause__
        if cause is None and exc.__suppress_context__:
            cause = exc.__context__
        if cause is not None:
            return is_transient(cause)
        from ossbrowse.errors import DeadlineExceeded, IntegrityError, Unreachable

        return isinstance(exc, DeadlineExceeded | IntegrityError | Unreachable)
    from ossbrowse.fs.gateway import errors as sdk

    found = sdk.kind(exc)
    if found == "request":
        inner = sdk.wrapped(exc)
        return not is_permanent_network(inner if inner is not None else exc)
    if found == "inconsistent":
        return True  # the CRC64 of what arrived differs from what OSS reported
    if found == "server":
        status = getattr(exc, "status", 0) or 0
        code = getattr(exc, "code", "") or ""
        return status in RETRYABLE_STATUS or (status >= 400 and code in RETRYABLE_CODES)
    if is_broken_transport(exc):
        return not is_permanent_network(exc)
    return False


class _Interrupted(Exception):
    """A CancelToken fired during a backoff: the last real failure is raised instead."""


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
            return fn()

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
