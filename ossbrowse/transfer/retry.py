"""The transfer engine's name for the one retry rule: see `ossbrowse.fs.retrying`.

Kept so that transfer code (and what drives it) imports the policy from its own package; the
definition of "transient" and the backoff live in one place only.
"""

from __future__ import annotations

from ossbrowse.fs.gateway.multipart import complete_multipart_upload
from ossbrowse.fs.retrying import DEFAULT_RETRY, PartChecksumMismatch, RetryPolicy, is_transient

__all__ = [
    "DEFAULT_RETRY",
    "PartChecksumMismatch",
    "RetryPolicy",
    "complete_multipart_upload",
    "is_transient",
]
