"""Moved to `ossbrowse.fs.gateway.auth`; kept so older imports keep working."""

from ossbrowse.fs.gateway.auth import make_auth

__all__ = ["make_auth"]
