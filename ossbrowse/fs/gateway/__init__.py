"""The one gateway to OSS: the only code that imports oss2 or touches requests/urllib3.

- `sdk`: imports oss2 fast (its client-side-encryption dependencies load lazily).
- `client`: oss2 Bucket and Service objects for one set of settings (`fs.oss.OssClient`).
- `auth`: credentials, fixed or refreshing (`ossbrowse.credentials`), as oss2 auth objects.
- `http`: one reusable connection pool per client, per-request environment lookups skipped.
- `errors`: what an oss2 exception is (not found, no such upload, ...), for callers that must
  tell answers apart, and its kind for `ossbrowse.errors.from_oss2` and the retry rule.
- `objects`: HEAD, restore, tagging, copy with the connection kept reusable.
- `multipart`: listing parts and completing an upload (safe to send again).

Nothing here is imported at package import, so `import ossbrowse.fs.gateway` costs nothing;
oss2 itself is loaded by the first module that needs it.
"""
