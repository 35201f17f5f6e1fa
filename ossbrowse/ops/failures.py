"""The sentence a person can act on for whatever stopped an operation."""

from __future__ import annotations

from ossbrowse.errors import OssBrowseError, unexpected


def oss_error(
    exc: BaseException, *, action: str, bucket: str | None = None, key: str | None = None
) -> OssBrowseError:
    """An OssBrowseError (the gateway's, for every OSS and network failure) as it is; anything
    else as a failure nobody foresaw, naming `action`."""
    return unexpected(exc, action=action, bucket=bucket, key=key)


def error_code(exc: BaseException) -> str | None:
    return getattr(exc, "code", None)
