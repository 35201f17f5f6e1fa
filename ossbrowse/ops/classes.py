"""OSS's limits that the operations plan around (the storage-class facts are
`ossbrowse.fs.storage_classes`)."""

from __future__ import annotations

# CopyObject copies sources up to 1 GB; above that the copy is multipart (UploadPartCopy).
COPY_OBJECT_LIMIT = 1024**3
MAX_KEY_BYTES = 1023
DELETE_BATCH = 1000  # DeleteMultipleObjects takes at most 1000 keys
LIST_PAGE = 1000  # ListObjectsV2 returns at most 1000 keys a page
