"""One error hierarchy: every error carries a message a person can act on.

Lower layers raise these (never raw oss2 or socket exceptions) so the UI and the verbs can show
`str(exc)` as it is. Messages never contain a secret. The gateway (`fs.gateway.failures`) turns
every OSS and network failure into one of these, carrying OSS's `code`, HTTP `status` and
`request_id`; `from_os_error` does the same for the local file system.
"""

from __future__ import annotations

import errno


class OssBrowseError(Exception):
    """Base of every error ossbrowse shows to a person. `str()` is the whole message."""

    exit_code = 1
    # What OSS answered, when the error is its answer (set by the gateway): the error code
    # (`NoSuchKey`), the HTTP status and the request id support asks for. Empty otherwise.
    code: str = ""
    status: int = 0
    request_id: str = ""

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


class NoSuchUpload(NotFoundError):
    """NoSuchUpload: the multipart upload was completed or aborted (here or elsewhere)."""


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
    """The request never got an answer from OSS, or its answer broke off on the way.

    `permanent` is True when sending it again cannot help from this machine (a bad URL or
    certificate, a host name that does not exist); otherwise it is worth sending again."""

    permanent = False


class HostNotFound(NetworkError):
    """The endpoint's host name does not resolve (host resolv error)."""


class Unreachable(NetworkError):
    """The endpoint resolved but refused or dropped the connection."""


class DeadlineExceeded(NetworkError):
    """The endpoint did not answer in time."""


class ServiceError(OssBrowseError):
    """OSS answered with an error this hierarchy has no finer class for (5xx, odd codes)."""


class PreconditionFailed(ServiceError):
    """412: the object is no longer the version a conditional request named (If-Match)."""


class RestoreInProgress(ServiceError):
    """RestoreAlreadyInProgress: a restore of this object is already running."""


class OperationNotSupported(ServiceError):
    """OSS does not offer this operation for this object (a restore of a Standard object)."""


class IntegrityError(OssBrowseError):
    """The bytes that arrived do not match the CRC64 OSS reported for them."""


# --- naming what failed -------------------------------------------------------------------


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


def unexpected(
    exc: BaseException, *, action: str, bucket: str | None = None, key: str | None = None
) -> OssBrowseError:
    """`exc` as it is when it is already one of these; otherwise a failure nobody foresaw
    (the gateway turns every OSS and network failure into one of these before it leaves)."""
    if isinstance(exc, OssBrowseError):
        return exc
    return ServiceError(
        f"{action} on {_where(bucket, key)} failed unexpectedly ({type(exc).__name__}).",
        hint="Run the same command again; if it fails the same way, report it.",
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
