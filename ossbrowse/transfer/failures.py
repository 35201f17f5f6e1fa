"""Turn what goes wrong during a transfer into errors a person can act on.

OSS and network failures arrive as `ossbrowse.errors` errors already (the gateway's); the
transfer engine adds the errors only it can detect: a checksum mismatch after all the bytes
arrived, a source that changed under a transfer, an archived object that needs a restore.
"""

from __future__ import annotations

from ossbrowse import errors
from ossbrowse.errors import OssBrowseError

# errors.IntegrityError belongs to the shared hierarchy; subclass it so callers can catch one.
_IntegrityBase: type[OssBrowseError] = getattr(errors, "IntegrityError", OssBrowseError)


class ChecksumMismatch(_IntegrityBase):  # type: ignore[misc, valid-type]
    """The whole object's CRC64 did not match what OSS reported at the end of a transfer."""


class SourceChanged(OssBrowseError):
    """The source was modified while it was being transferred."""


class NotRestored(OssBrowseError):
    """An Archive-class object read before a restore made it readable."""


def describe(
    exc: BaseException, *, action: str, bucket: str | None = None, key: str | None = None
) -> OssBrowseError:
    """An OssBrowseError for any exception raised while moving bytes."""
    if isinstance(exc, OssBrowseError):
        return exc
    if isinstance(exc, OSError) and not _is_network(exc):
        path = exc.filename or "a local file"
        return errors.from_os_error(exc, str(path), doing="read or write")
    return errors.unexpected(exc, action=action, bucket=bucket, key=key)


def _is_network(exc: OSError) -> bool:
    return isinstance(exc, ConnectionError | TimeoutError) or exc.filename is None
