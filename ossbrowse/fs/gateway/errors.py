"""What an exception from oss2 is, asked without importing oss2 anywhere else.

Callers that must tell OSS's answers apart (no such key, no such upload, a restore already
running) ask here instead of catching oss2's classes. Each test is free when oss2 was never
loaded: an exception can only be one of oss2's once `oss2.exceptions` is in `sys.modules`.
`kind` serves `ossbrowse.errors.from_oss2`, `transient` the retry rule (`fs.retrying`).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Literal

Kind = Literal["request", "inconsistent", "server"]


def _oe() -> ModuleType | None:
    return sys.modules.get("oss2.exceptions")


def _is(exc: BaseException, name: str) -> bool:
    oe = _oe()
    return oe is not None and isinstance(exc, getattr(oe, name))


def is_oss_error(exc: BaseException) -> bool:
    """Any failure oss2 reports: OSS's answer, a network failure it wrapped, a CRC mismatch."""
    return _is(exc, "OssError")


def is_not_found(exc: BaseException) -> bool:
    """OSS answered 404: no such key, no such bucket, no such upload."""
    return _is(exc, "NotFound")


def is_no_such_key(exc: BaseException) -> bool:
    return _is(exc, "NoSuchKey")


def is_no_such_upload(exc: BaseException) -> bool:
    return _is(exc, "NoSuchUpload")


def is_precondition_failed(exc: BaseException) -> bool:
    return _is(exc, "PreconditionFailed")


def is_restore_in_progress(exc: BaseException) -> bool:
    return _is(exc, "RestoreAlreadyInProgress")


def is_operation_not_supported(exc: BaseException) -> bool:
    return _is(exc, "OperationNotSupported")


def is_server_error(exc: BaseException) -> bool:
    """OSS answered with an error status (not a network failure)."""
    return _is(exc, "ServerError")


def code_of(exc: BaseException) -> str:
    """OSS's error code (`NoSuchBucket`, `InvalidObjectState`, ...), or "" when it has none."""
    return (getattr(exc, "code", "") or "") if is_oss_error(exc) else ""


def kind(exc: BaseException) -> Kind | None:
    """How oss2 failed: the request never got an answer, the bytes' CRC64 differed, or OSS
    answered with an error; None when `exc` is not oss2's."""
    oe = _oe()
    if oe is None:
        return None
    if isinstance(exc, oe.RequestError):
        return "request"
    if isinstance(exc, oe.InconsistentError):
        return "inconsistent"
    if isinstance(exc, oe.OssError):
        return "server"
    return None


def wrapped(exc: BaseException) -> BaseException | None:
    """The network exception oss2's RequestError wraps (None for anything else)."""
    inner = getattr(exc, "exception", None) if kind(exc) == "request" else None
    return inner if isinstance(inner, BaseException) else None
