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
whatever can be cancelled (a transfer's JobControl, an operation's CancelToken).
"""

from __future__ import annotations

import errno
import http.client
import random
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
# Codes that say "send it again": the body was damaged (InvalidDigest) or too slow to arrive.
RETRYABLE_CODES = frozenset({"InvalidDigest", "RequestTimeout"})
# Host names that do not exist stay that way; a resolver that is briefly down (EAI_AGAIN) not.
_PERMANENT_GAI = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
)


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


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception it wraps (oss2 -> requests -> urllib3 -> socket), no loops."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        todo.extend(getattr(item, "args", ()))
        todo.append(getattr(item, "exception", None))  # oss2.RequestError keeps it here
    return seen


def _is_permanent_network(exc: BaseException) -> bool:
    """A failure to reach the server that no retry mends: bad URL, certificate, no such host."""
    for item in exception_chain(exc):
        name = type(item).__name__
        if name in ("InvalidURL", "MissingSchema", "InvalidSchema", "InvalidHeader",
                    "LocationParseError", "URLSchemeUnknown"):  # fmt: skip
            return True
        if isinstance(item, ssl.SSLCertVerificationError) or name == "CertificateError":
            return True
        if isinstance(item, socket.gaierror) and item.errno in _PERMANENT_GAI:
            return True
    return False


def _is_broken_transport(exc: BaseException) -> bool:
    """The connection failed or the answer broke off: requests, urllib3, http.client, socket."""
    if isinstance(exc, ConnectionError | TimeoutError):  # reset, refused, aborted, broken pipe
        return True
    if isinstance(exc, http.client.IncompleteRead | http.client.BadStatusLine):
        return True  # RemoteDisconnected is a BadStatusLine and a ConnectionResetError
    module = type(exc).__module__.split(".")[0]
    if module == "requests":
        from requests import exceptions as rex

        return isinstance(
            exc, rex.ChunkedEncodingError | rex.ConnectionError | rex.Timeout
        ) and not isinstance(exc, rex.SSLError | rex.InvalidURL)
    if module == "urllib3":
        from urllib3 import exceptions as u3

        if isinstance(exc, u3.MaxRetryError):
            return exc.reason is not None and _is_broken_transport(exc.reason)
        return isinstance(
            exc, u3.ProtocolError | u3.TimeoutError | u3.NewConnectionError | u3.IncompleteRead
        )
    return isinstance(exc, OSError) and exc.errno in (errno.ECONNRESET, errno.ETIMEDOUT)


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
        return not _is_permanent_network(inner if inner is not None else exc)
    if found == "inconsistent":
        return True  # the CRC64 of what arrived differs from what OSS reported
    if found == "server":
        status = getattr(exc, "status", 0) or 0
        code = getattr(exc, "code", "") or ""
        return status in RETRYABLE_STATUS or (status >= 400 and code in RETRYABLE_CODES)
    if _is_broken_transport(exc):
        return not _is_permanent_network(exc)
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
