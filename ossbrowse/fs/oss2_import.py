"""Moved to `ossbrowse.fs.gateway.sdk`; kept so older imports keep working."""

from ossbrowse.fs.gateway.sdk import oss2

__all__ = ["oss2"]
