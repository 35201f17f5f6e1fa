"""The restore-state reader, named here for the older importers: it lives in
`ossbrowse.fs.restore_state` (the one reader of `x-oss-restore`)."""

from __future__ import annotations

from ossbrowse.fs.restore_state import describe_restore, parse_expiry, restore_state

__all__ = ["describe_restore", "parse_expiry", "restore_state"]
