"""The one place OSS's failures become the product's errors (`ossbrowse.errors`).

Every gateway request runs under `request` (a decorator) or `translating` (a context
manager): whatever oss2 or the HTTP stack under it raises leaves as an `OssBrowseError` that
names the action, the bucket and key, and carries OSS's `code`, HTTP `status` and
`request_id`; a network failure says whether sending it again can help (`permanent`). The
retry rule (`fs.retrying.is_transient`) judges these errors, never oss2's classes.

`request` also sends an idempotent request again under the one retry rule (`fs.retrying`)
when it failed transiently and no caller's attempt retries it already, and renews refreshing
credentials: a request refused because the STS token expired (the server's clock ahead of
ours, a token revoked early) makes the credentials source fetch fresh ones, and the request is
sent once more with them, when its body can be sent again.
"""

from __future__ import annotations

import errno
import functools
import inspect
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from ossbrowse.errors import (
    AccessDenied,
    ArchivedObjectError,
    BucketNotFound,
    CredentialsError,
    DeadlineExceeded,
    FolderNotEmpty,
    HostNotFound,
    IntegrityError,
    InvalidURL,
    NetworkError,
    NoSuchKey,
    NoSuchUpload,
    OperationNotSupported,
    OssBrowseError,
    PreconditionFailed,
    RestoreInProgress,
    ServiceError,
    TokenExpired,
    Unreachable,
    _safe,
    _where,
    from_os_error,
)
from ossbrowse.fs.gateway.handle import BucketHandle, refreshing
from ossbrowse.fs.gateway.network import (
    exception_chain,
    is_broken_transport,
    is_permanent_network,
)
from ossbrowse.fs.retrying import REQUEST_RETRY, in_attempt

P = ParamSpec("P")
R = TypeVar("R")
Kind = Literal["request", "inconsistent", "server"]

_RESOLVE_MARKERS = (
    "nameresolutionerror",
    "failed to resolve",
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "getaddrinfo failed",
)


def kind(exc: BaseException) -> Kind | None:
    """How oss2 failed: the request never got an answer, the bytes' CRC64 differed, or OSS
    answered with an error; None when `exc` is not oss2's (free when oss2 was never loaded)."""
    oe = sys.modules.get("oss2.exceptions")
    if oe is None:
        return None
    if isinstance(exc, oe.RequestError):
        return "request"
    if isinstance(exc, oe.InconsistentError):
        return "inconsistent"
    if isinstance(exc, oe.OssError):
        return "server"
    return None


def translate(
    exc: BaseException,
    *,
    action: str,
    bucket: str | None = None,
    key: str | None = None,
    endpoint: str | None = None,
) -> OssBrowseError:
    """An error a person can act on for any oss2 or network exception raised during `action`
    (`oss:GetObject`, ...: access-denied messages name it, since a RAM policy must allow it)."""
    if isinstance(exc, OssBrowseError):
        return exc
    found = kind(exc)
    if found == "request":
        return _network_error(exc, action=action, endpoint=endpoint)
    if found == "inconsistent":
        error: OssBrowseError = IntegrityError(
            f"The data read from {_where(bucket, key)} does not match its CRC64.",
            hint="The transfer was corrupted on the way; try again.",
        )
    elif found == "server":
        error = _from_server_error(exc, action=action, bucket=bucket, key=key, endpoint=endpoint)
        error.status = int(getattr(exc, "status", 0) or 0)
        error.code = str(getattr(exc, "code", "") or "")
    elif is_broken_transport(exc) or _from_the_network(exc):
        return _network_error(exc, action=action, endpoint=endpoint)
    elif isinstance(exc, OSError):
        # A local file a request reads or writes (PutObject from a file, GetObject to one).
        return from_os_error(exc, str(exc.filename or "a local file"), doing="read or write")
    else:
        error = ServiceError(
            f"{action} on {_where(bucket, key)} failed unexpectedly ({type(exc).__name__}).",
            hint="Run the same command again; if it fails the same way, report it.",
        )
    error.request_id = str(getattr(exc, "request_id", "") or "")
    return error


def _from_the_network(exc: BaseException) -> bool:
    """Raised by the HTTP stack or the resolver rather than by a local file."""
    if isinstance(exc, socket.gaierror | ConnectionError | TimeoutError):
        return True
    return type(exc).__module__.split(".")[0] in ("requests", "urllib3", "http")


@contextmanager
def translating(
    action: str, bucket: str | None = None, key: str | None = None, endpoint: str | None = None
) -> Iterator[None]:
    """Run a block of oss2 calls; whatever it raises leaves as an `ossbrowse.errors` error."""
    try:
        yield
    except OssBrowseError:
        raise
    except Exception as exc:
        raise translate(exc, action=action, bucket=bucket, key=key, endpoint=endpoint) from exc


def request(
    action: str, key: str | None = "key", *, resend: bool = True
) -> Callable[
    [Callable[Concatenate[BucketHandle, P], R]], Callable[Concatenate[BucketHandle, P], R]
]:
    """Decorate a gateway function whose first argument is a `BucketHandle`.

    Its failures leave as product errors naming `action`, the bucket and the argument called
    `key` (or the bucket and key of a (bucket, key) pair, a copy's source). It is sent again
    under the retry rule (`fs.retrying.REQUEST_RETRY`) when `resend` (it is idempotent), its
    body can go back to where it started, and no caller's attempt already retries it as a
    whole (`fs.retrying.in_attempt`). A token refused as expired is renewed and the request
    sent once more (see the module).
    """

    def wrap(
        fn: Callable[Concatenate[BucketHandle, P], R],
    ) -> Callable[Concatenate[BucketHandle, P], R]:
        names = list(inspect.signature(fn).parameters)
        at = names.index(key) - 1 if key in names else -1  # its position after the handle

        @functools.wraps(fn)
        def call(handle: BucketHandle, /, *args: P.args, **kwargs: P.kwargs) -> R:
            marks = _body_marks(args, kwargs)  # where any body stands before it is sent
            if not resend or marks is None or in_attempt():
                return once(handle, marks, args, kwargs)

            def again() -> R:
                _rewind(marks)
                return once(handle, marks, args, kwargs)

            return REQUEST_RETRY.call(again)

        def once(
            handle: BucketHandle,
            marks: list[tuple[Any, int]] | None,
            args: Any,
            kwargs: Any,
        ) -> R:
            source = refreshing(handle)
            used = source.get().access_key_id if source is not None else None
            try:
                return fn(handle, *args, **kwargs)
            except OssBrowseError:
                raise
            except Exception as exc:
                error = _of(exc, handle, args, kwargs)
                if source is None or marks is None or not isinstance(error, TokenExpired):
                    raise error from exc
            # The held token was refused as expired: fetch fresh credentials, send once more.
            source.invalidate(used)
            _rewind(marks)
            try:
                return fn(handle, *args, **kwargs)
            except OssBrowseError:
                raise
            except Exception as exc:
                raise _of(exc, handle, args, kwargs) from exc

        def _of(
            exc: BaseException, handle: BucketHandle, args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> OssBrowseError:
            named = kwargs.get(key) if key is not None and key in kwargs else None
            if named is None and 0 <= at < len(args):
                named = args[at]
            bucket = handle.bucket_name
            if isinstance(named, tuple):  # a copy's source: (bucket name, key)
                bucket, named = named
            return translate(
                exc,
                action=action,
                bucket=bucket,
                key=named if isinstance(named, str) and named else None,
                endpoint=handle.endpoint,
            )

        return call

    return wrap


def _rewind(marks: list[tuple[Any, int]]) -> None:
    for body, position in marks:
        body.seek(position)


def _body_marks(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[tuple[Any, int]] | None:
    """Where each readable body argument stands, so a request can be sent again from there;
    None when one cannot go back (a stream)."""
    marks: list[tuple[Any, int]] = []
    for value in (*args, *kwargs.values()):
        if not hasattr(value, "read"):
            continue  # bytes, names, numbers: sent again as they are
        try:
            if not value.seekable():
                return None
            marks.append((value, value.tell()))
        except (AttributeError, OSError, ValueError):
            return None
    return marks


# --- network failures ---------------------------------------------------------------------


def _broke_off(names: set[str], text: str) -> bool:
    """The answer was cut short while it was being read (reset mid-body, short body)."""
    return bool(
        names & {"ChunkedEncodingError", "ProtocolError", "IncompleteRead", "InvalidChunkLength"}
        or "connection broken" in text
    )


def _network_error(exc: BaseException, *, action: str, endpoint: str | None) -> NetworkError:
    error = _network_sentence(exc, action=action, endpoint=endpoint)
    error.permanent = is_permanent_network(exc)
    return error


def _network_sentence(exc: BaseException, *, action: str, endpoint: str | None) -> NetworkError:
    chain = exception_chain(exc)
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    host = f" {_safe(endpoint)}" if endpoint else ""
    if (
        any(isinstance(e, socket.gaierror) for e in chain)
        or "NameResolutionError" in names
        or any(m in text for m in _RESOLVE_MARKERS)
    ):
        return HostNotFound(
            f"The endpoint{host} does not resolve (host resolv error) while trying {action}.",
            hint="Check the endpoint's spelling and region (e.g. oss-cn-hangzhou.aliyuncs.com), "
            "and that this machine's DNS works; an -internal endpoint resolves only inside "
            "Alibaba Cloud.",
        )
    timed_out = (
        names & {"ConnectTimeout", "ReadTimeout", "ReadTimeoutError", "ConnectTimeoutError"}
        or any(isinstance(e, TimeoutError | socket.timeout) for e in chain)
        or "timed out" in text
    )
    if timed_out:
        return DeadlineExceeded(
            f"The endpoint{host} did not answer in time (deadline exceeded) for {action}.",
            hint="This is often an -internal endpoint used from another region or from outside "
            "Alibaba Cloud: use the public endpoint, or the internal one of the bucket's own "
            "region; otherwise check the network and try again.",
        )
    refused = any(
        isinstance(e, ConnectionRefusedError)
        or (isinstance(e, OSError) and e.errno in (errno.ECONNREFUSED, errno.EHOSTUNREACH))
        for e in chain
    )
    if refused or "connection refused" in text:
        return Unreachable(
            f"Could not connect to the endpoint{host} (connection refused) for {action}.",
            hint="Check the endpoint's host and port, and that the server is running.",
        )
    if _broke_off(names, text):
        return Unreachable(
            f"The connection to the endpoint{host} broke off while the answer to {action} was "
            "being read (the request may have been carried out).",
            hint="Check the network, then run the same command again.",
        )
    reset = any(isinstance(e, ConnectionResetError | ConnectionAbortedError) for e in chain)
    if reset or "connection reset" in text or "connection aborted" in text:
        return Unreachable(
            f"The connection to the endpoint{host} was reset during {action}.",
            hint="Check the network, then run the same command again.",
        )
    return Unreachable(
        f"The connection to the endpoint{host} failed during {action}.",
        hint="Check the network and the endpoint, then try again.",
    )


# --- OSS's answers ------------------------------------------------------------------------


def _from_server_error(
    exc: BaseException,
    *,
    action: str,
    bucket: str | None,
    key: str | None,
    endpoint: str | None,
) -> OssBrowseError:
    status = getattr(exc, "status", 0) or 0
    code = getattr(exc, "code", "") or ""
    server_message = getattr(exc, "message", "") or ""
    where = _where(bucket, key)
    at = f" at {_safe(endpoint)}" if endpoint else ""

    if code == "NoSuchBucket" or (status == 404 and not key and bucket):
        return BucketNotFound(
            f"Bucket {_safe(bucket or '?')} was not found{at}.",
            hint="Check the bucket name, and that the endpoint is in the bucket's region.",
        )
    if code == "NoSuchUpload":
        return NoSuchUpload(
            f"The multipart upload of {where} no longer exists (NoSuchUpload): it was "
            "completed or aborted.",
            hint="Run the same command again to start a new upload.",
        )
    if code == "NoSuchKey" or status == 404:
        return NoSuchKey(
            f"{where} does not exist.",
            hint="Check the key (keys are case-sensitive), or list the folder to see what is "
            "there.",
        )
    expired = code == "SecurityTokenExpired" or (
        code in ("InvalidAccessKeyId", "InvalidSecurityToken")
        and "expire" in server_message.lower()
    )
    if expired:
        return TokenExpired(
            "The STS security token has expired.",
            hint="Get a fresh token (and its AccessKey pair) and set it again, e.g. "
            "OSS_SESSION_TOKEN or --sts-token.",
        )
    if code == "InvalidAccessKeyId":
        return CredentialsError(
            "OSS does not know this AccessKey id (InvalidAccessKeyId).",
            hint="Check the AccessKey id, and that it has not been disabled or deleted; "
            "`ossbrowse config show` tells where it came from.",
        )
    if code == "InvalidSecurityToken":
        return CredentialsError(
            "OSS rejected the STS security token (InvalidSecurityToken): it does not belong to "
            "this AccessKey id, or it was cut short.",
            hint="Set the token that came with this AccessKey pair (OSS_SESSION_TOKEN or "
            "--sts-token); `ossbrowse config show` tells where it came from.",
        )
    if code == "SignatureDoesNotMatch":
        return CredentialsError(
            "OSS rejected the request signature (SignatureDoesNotMatch): the AccessKey secret "
            "is wrong for this AccessKey id.",
            hint="Check the AccessKey secret; `ossbrowse config show` tells where it came from.",
        )
    if code == "PreconditionFailed" or status == 412:
        return PreconditionFailed(
            f"{where} changed since it was read (PreconditionFailed).",
            hint="Read it again, then repeat the action on the new version.",
        )
    if code == "RestoreAlreadyInProgress":
        return RestoreInProgress(
            f"{where} is already being restored (RestoreAlreadyInProgress).",
            hint="Wait until the restore finishes; `ossbrowse stat` shows its state.",
        )
    if code == "OperationNotSupported":
        return OperationNotSupported(
            f"OSS does not support {action} on {where} (OperationNotSupported).",
            hint="Check the object's storage class: only archived objects are restored.",
        )
    if code == "InvalidObjectState":
        return ArchivedObjectError(
            f"{where} is archived and has not been restored (InvalidObjectState).",
            hint="Restore it first (`ossbrowse restore`), wait until the restore finishes, then "
            "read it again.",
        )
    if code == "AccessDenied" or (status == 403 and code in ("", "UserDisable")):
        return AccessDenied(
            f"Access denied: {action} on {where} is not allowed for these credentials.",
            hint=f"Ask the account owner to allow {action} on this resource (RAM or bucket "
            "policy), or use credentials that have it.",
            action=action,
        )
    if code == "RequestTimeTooSkewed":
        return CredentialsError(
            "OSS refused the request because this machine's clock is off by more than 15 "
            "minutes (RequestTimeTooSkewed).",
            hint="Set the system clock (e.g. enable NTP) and try again.",
        )
    if code == "InvalidBucketName":
        return InvalidURL(
            f"OSS rejected the bucket name {_safe(bucket or '?')} (InvalidBucketName).",
            hint="Bucket names are 3 to 63 of a-z, 0-9 and -, starting and ending with a "
            "letter or digit.",
        )
    if code == "InvalidObjectName":
        return InvalidURL(
            f"OSS rejected the key of {where} (InvalidObjectName).",
            hint="Keys are 1 to 1023 bytes of UTF-8 and must not start with / or \\.",
        )
    if code == "BucketNotEmpty":
        return FolderNotEmpty(
            f"Bucket {_safe(bucket or '?')} is not empty.",
            hint="Delete its objects (and unfinished multipart uploads) first.",
        )
    detail = f"{_safe(code)}: {_safe(server_message)}" if code else f"HTTP {status}"
    if status >= 500:
        return ServiceError(
            f"OSS had an internal problem with {action} on {where} ({detail}).",
            hint="This is usually temporary: try again in a moment.",
        )
    return ServiceError(
        f"OSS refused {action} on {where} ({detail}).",
        hint="Check the request; the OSS error code above explains why.",
    )
