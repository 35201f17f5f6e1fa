"""Turn oss2 and network exceptions met by the operations into errors a person can act on."""

from __future__ import annotations

from ossbrowse.errors import OssBrowseError, from_oss2


def oss_error(
    exc: BaseException, *, action: str, bucket: str | None = None, key: str | None = None
) -> OssBrowseError:
    """`errors.from_oss2`: the sentence a person can act on (an OssBrowseError as it is)."""
    if isinstance(exc, OssBrowseError):
        return exc
    return from_oss2(exc, action=action, bucket=bucket, key=key)


def error_code(exc: BaseException) -> str | None:
    return getattr(exc, "code", None)
