"""One error hierarchy: every error carries a message a person can act on.

Lower layers raise these (never raw oss2 or socket exceptions) so the UI and the verbs can show
`str(exc)` as it is. Messages never contain a secret. `from_oss2` turns any oss2 or network
exception into one of these; `from_os_error` does the same for the local file system.
"""

from __future__ import annotations

import errno
import socket


class OssBrowseError(Exception):
    """Base of every error ossbrowse shows to a person. `str()` is the whole message."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class UsageError(OssBrowseError):
    """The user asked for something malformed (bad URL, bad size, bad flag combination)."""

    exit_code = 2


class InvalidURL(UsageError):
    """An oss:// URL or a bucket or key name breaks one of OSS's naming rules."""


class ConfigError(OssBrowseError):
    """Credentials or endpoint are missing or unreadable."""


class ReadOnlyError(OssBrowseError):
    """A write was refused because the session or the mount is read-only."""


# --- what is (not) there -------------------------------------------------------------------


class NotFoundError(OssBrowseError):
    """The thing asked for does not exist (a key, a bucket, a local path)."""


class BucketNotFound(NotFoundError):
    """NoSuchBucket: wrong name, or a bucket that lives behind another endpoint."""


class NoSuchKey(NotFoundError):
    """NoSuchKey, or a local file that is not there."""


class FolderNotEmpty(OssBrowseError):
    """A plain delete of a folder that still holds something (recursive deletes are ops')."""


class AlreadyExists(OssBrowseError):
    """A folder or file is already where a new one was asked for."""


class NotAFolder(OssBrowseError):
    """A folder operation (list, mkdir inside) on something that is a file."""


# --- who may do what ------------------------------------------------------------------------


class CredentialsError(OssBrowseError):
    """OSS did not accept the credentials: InvalidAccessKeyId, SignatureDoesNotMatch."""


class TokenExpired(CredentialsError):
    """The STS token has expired (SecurityTokenExpired, or InvalidAccessKeyId saying so)."""


class AccessDenied(OssBrowseError):
    """The credentials are valid but the action is not allowed (RAM policy, bucket policy, ACL)."""

    def __init__(self, message: str, *, hint: str = "", action: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.action = action


class ArchivedObjectError(OssBrowseError):
    """InvalidObjectState: an Archive or Cold Archive object read before it was restored."""


# --- the network and the service -------------------------------------------------------------


class NetworkError(OssBrowseError):
    """The request never got an answer from OSS."""


class HostNotFound(NetworkError):
    """The endpoint's host name does not resolve (host resolv error)."""


class Unreachable(NetworkError):
    """The endpoint resolved but refused or dropped the connection."""


class DeadlineExceeded(NetworkError):
    """The endpoint did not answer in time."""


class ServiceError(OssBrowseError):
    """OSS answered with an error this hierarchy has no finer class for (5xx, odd codes)."""


class IntegrityError(OssBrowseError):
    """The bytes that arrived do not match the CRC64 OSS reported for them."""


# --- mapping ---------------------------------------------------------------------------------

_RESOLVE_MARKERS = (
    "nameresolutionerror",
    "failed to resolve",
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated with hostname",
    "getaddrinfo failed",
)


def _safe(value: str) -> str:
    # Imported here: text.py is tiny, but keeping errors.py import-free keeps `--help` lean.
    from ossbrowse.text import safe_text

    return safe_text(value)


def _where(bucket: str | None, key: str | None) -> str:
    if bucket and key:
        return f"oss://{_safe(bucket)}/{_safe(key)}"
    if bucket:
        return f"oss://{_safe(bucket)}"
    return "OSS"


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception it wraps (requests -> urllib3 -> socket), without loops."""
    from ossbrowse.fs.gateway.network import exception_chain  # one walk, as the retry rule

    return exception_chain(exc)


def _broke_off(names: set[str], text: str) -> bool:
    """The answer was cut short while it was being read (reset mid-body, short body)."""
    return bool(
        names & {"ChunkedEncodingError", "ProtocolError", "IncompleteRead", "InvalidChunkLength"}
        or "connection broken" in text
    )


def _network_error(exc: BaseException, *, action: str, endpoint: str | None) -> OssBrowseError:
    chain = _chain(exc)
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


def from_oss2(
    exc: BaseException,
    *,
    action: str,
    bucket: str | None = None,
    key: str | None = None,
    endpoint: str | None = None,
) -> OssBrowseError:
    """An error a person can act on for any oss2 or network exception raised during `action`.

    `action` is the OSS action that was tried (`oss:GetObject`, `oss:ListObjects`, ...);
    access-denied messages name it, since that is what a RAM policy must allow.
    """
    if isinstance(exc, OssBrowseError):
        return exc
    from ossbrowse.fs.gateway.errors import kind  # what oss2 raised, asked of the gateway

    found = kind(exc)
    if found == "request":
        return _network_error(exc, action=action, endpoint=endpoint)
    if found == "inconsistent":
        return IntegrityError(
            f"The data read from {_where(bucket, key)} does not match its CRC64.",
            hint="The transfer was corrupted on the way; try again.",
        )
    if found is None:
        if isinstance(exc, OSError | TimeoutError) or type(exc).__module__.split(".")[0] in (
            "requests",
            "urllib3",
        ):
            return _network_error(exc, action=action, endpoint=endpoint)
        return ServiceError(
            f"{action} on {_where(bucket, key)} failed unexpectedly ({type(exc).__name__}).",
            hint="Run the same command again; if it fails the same way, report it.",
        )
    return _from_server_error(exc, action=action, bucket=bucket, key=key, endpoint=endpoint)


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


def from_os_error(exc: OSError, path: str, *, doing: str = "read") -> OssBrowseError:
    """An error a person can act on for a local file-system failure on `path`."""
    shown = _safe(path)
    if isinstance(exc, FileNotFoundError):
        return NoSuchKey(f"{shown} does not exist.", hint="Check the path.")
    if isinstance(exc, PermissionError):
        return AccessDenied(
            f"Permission denied: cannot {doing} {shown}.",
            hint="Check the file's owner and mode, or run as a user who may.",
        )
    if isinstance(exc, FileExistsError):
        return AlreadyExists(f"{shown} already exists.", hint="Pick another name.")
    if isinstance(exc, NotADirectoryError):
        return NotAFolder(f"{shown} is not a folder.", hint="Open its parent folder instead.")
    if exc.errno == errno.ENOTEMPTY:
        return FolderNotEmpty(
            f"{shown} is not empty.", hint="Delete what is inside first, or delete recursively."
        )
    if exc.errno == errno.ELOOP:
        return NotFoundError(
            f"{shown} is a symbolic link loop.",
            hint="Fix or remove the link; it points back to itself.",
        )
    if isinstance(exc, IsADirectoryError):
        return AlreadyExists(
            f"{shown} is a folder, so a file cannot take its name.",
            hint="Move the folder away or copy to another destination.",
        )
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return OssBrowseError(
            f"Cannot {doing} {shown}: {exc.strerror or 'no space left'}.",
            hint="Free some space (or raise the file size limit or quota), then run the same "
            "command again.",
        )
    if exc.errno == errno.EIO:
        return ServiceError(
            f"Input/output error on {shown}.",
            hint="On an OSS mount this often means an archived object that has not been "
            "restored, or a mount that lost its connection.",
        )
    reason = exc.strerror or type(exc).__name__
    return OssBrowseError(f"Cannot {doing} {shown}: {reason}.")
