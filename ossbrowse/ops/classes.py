"""OSS's limits that the operations plan around, and (named here for the older importers) the
storage-class facts, whose one table is `ossbrowse.fs.storage_classes`."""

from __future__ import annotations

from ossbrowse.fs.storage_classes import (
    ARCHIVE_CLASSES,
    COUNTS_FROM_TRANSITION,
    MINIMUM_DAYS,
    RESTORE_OPTIONS,
    RestoreOptions,
    Tier,
    minimum_days,
    restore_options,
)

__all__ = [
    "ARCHIVE_CLASSES",
    "COPY_OBJECT_LIMIT",
    "COUNTS_FROM_TRANSITION",
    "DELETE_BATCH",
    "LIST_PAGE",
    "MAX_KEY_BYTES",
    "MINIMUM_DAYS",
    "RESTORE_OPTIONS",
    "RestoreOptions",
    "Tier",
    "minimum_days",
    "restore_options",
]

# CopyObject copies sources up to 1 GB; above that the copy is multipart (UploadPartCopy).
COPY_OBJECT_LIMIT = 1024**3
MAX_KEY_BYTES = 1023
DELETE_BATCH = 1000  # DeleteMultipleObjects takes at most 1000 keys
LIST_PAGE = 1000  # ListObjectsV2 returns at most 1000 keys a page
