"""One error hierarchy: every error carries a message a person can act on.

Lower layers raise these (never raw oss2 or socket exceptions) so the UI and the verbs can show
`str(exc)` as it is. Messages never contain a secret.
"""

from __future__ import annotations


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
