"""The one gateway to OSS: the only code that imports oss2 or touches requests/urllib3.

- `sdk`: imports oss2 fast (its client-side-encryption dependencies load lazily); the one
  module with a top-level `import oss2`.
- `client`: `OssClient`, the bucket handles for one set of settings.
- `handle`: `BucketHandle`, a bucket as everything outside the gateway holds it (name and
  endpoint; the oss2 Bucket stays inside).
- `failures`: the one translation of oss2's and the HTTP stack's failures into
  `ossbrowse.errors` (with OSS's code, status and request id), applied to every request by
  its `request` decorator; it also renews refreshing credentials that OSS calls expired and
  sends the request once more.
- `auth`: credentials, fixed or refreshing (`ossbrowse.credentials`), as oss2 auth objects.
- `http`: one reusable connection pool per client, per-request environment lookups skipped,
  CopyObject with its answer read (connection reuse).
- `objects`: HEAD (the one record, `fs.records`), ranged GET (`ObjectBody`, read straight
  from the socket), PUT, append, delete, ACL, tagging, restore, presign.
- `multipart`: initiate, upload part, part copy, list uploads and parts, complete (safe to
  send again), abort.
- `listing`, `deleting`: the signed ListObjectsV2 and DeleteMultipleObjects requests whose
  XML `fs.listing_xml` and `fs.delete_batch` read.
- `buckets`: ListBuckets pages and GetBucketInfo as `BucketRecord`s.
- `versions`: bucket versioning and ListObjectVersions pages as records.
- `network`: what the HTTP stack under oss2 raised (read by `failures`).

Every function takes a `BucketHandle` and answers the product's own values and records; every
failure is an `ossbrowse.errors` error. No oss2 object or exception leaves the gateway.

Nothing here is imported at package import, so `import ossbrowse.fs.gateway` costs nothing;
oss2 itself is loaded by the first module that needs it.
"""
