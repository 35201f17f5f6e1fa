"""The transfer engine: uploads, downloads, server-side and local copies, resumable, with
events; and flush-on-close file objects (`open`). A copy is a task of the one task model
(`ossbrowse.tasks`: its states, snapshots and events). Plain Python: nothing here imports Textual.

Import cost matters (the CLI imports this lazily): submodules that pull in oss2 do it inside
their functions.
"""

from __future__ import annotations

from ossbrowse.transfer.checkpoint import CheckpointInfo, CheckpointStore
from ossbrowse.transfer.engine import TransferEngine
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.transfer.plan import DEFAULT_PART_SIZE, parse_size

__all__ = [
    "DEFAULT_PART_SIZE",
    "CheckpointInfo",
    "CheckpointStore",
    "ConflictPolicy",
    "TransferEngine",
    "open",
    "parse_size",
]


def open(url: str, mode: str = "rb", *, bucket_for, **options):
    """A flush-on-close file object for `oss://bucket/key` (see `ossbrowse.transfer.fileobj`)."""
    from ossbrowse.transfer.fileobj import open_object

    return open_object(url, mode, bucket_for=bucket_for, **options)
