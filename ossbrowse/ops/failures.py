"""Turn oss2 and network exceptions met by the operations into errors a person can act on."""

from __future__ import annotations

from ossbrowse.errors import OssBrowseError


def oss_error(
    exc: BaseException, *, action: str, bucket: str | None = None, key: str | None = None
):
    """`errors.from_oss2` when the fs layer provides it; a plain, safe sentence otherwise."""
    if isinstance(exc, OssBrowseError):
        return exc
    try:
        from ossbrowse.errors import from_oss2  # type: ignore[attr-defined]
    except ImportError:
        from_oss2 = None
    if from_oss2 is not None:
        return from_oss2(exc, action=action, bucket=bucket, key=key)
    from ossbrowse.text import safe_text

    code = getattr(exc, "code", None) or type(exc).__name__
    status = getattr(exc, "status", None)
    where = f" on {safe_text(key)}" if key else ""
    detail = f"{code}" + (f" (HTTP {status})" if status and status > 0 else "")
    return OssBrowseError(f"{action} failed{where}: {detail}.", hint="Check the URL and retry.")


def error_code(exc: BaseException) -> str | None:
    return getattr(exc, "code", None)
