"""The one gateway to OSS: the only code that imports oss2 or touches requests/urllib3.

- `sdk`: imports oss2 fast (its client-side-encryption dependencies load lazily); the one
  module with a top-level `import oss2`.
- `client`: oss2 Bucket and Service objects for one set of settings (`fs.oss.OssClient`).
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
- `errors`: what an oss2 exception is (not found, no such upload, ...), asked without
  importing oss2; `network`: what the HTTP stack under it raised. `ossbrowse.errors.from_oss2`
  and the retry rule (`fs.retrying`) read failures through these two.

Callers hold an oss2 Bucket only as an opaque handle (from `client`) and pass it back here.
OSS's failures leave as oss2's exceptions, to be asked about with `errors` or turned into
`ossbrowse.errors` by `from_oss2` where the caller knows the action; everything else answers
the product's own values and records.

Nothing here is imported at package import, so `import ossbrowse.fs.gateway` costs nothing;
oss2 itself is loaded by the first module that needs it.
"""
