"""Find OSS mounts (ossfs, ossfs 2.0, Function Compute) and compare a mount with its bucket.

Modules: `mountinfo` (parse /proc/self/mountinfo), `cmdline` (FUSE daemons' command lines),
`fcconfig` (Function Compute `ossMountConfig`), `mapping` (merge the sources; read-only
checks), `locate` (which prefix a folder mirrors), `writers` (files open for writing),
`walk` (local walk in key order), `bucket_side` (the listing), `compare` (the merge and its
marks). Nothing here imports Textual; the gateway's bucket handles are passed in.

`is_read_only(path)` and `ensure_writable(path)` are the helpers the UI and the operations
call before writing a local path.
"""

from __future__ import annotations

from ossbrowse.mount.mapping import ensure_writable, is_read_only

__all__ = ["ensure_writable", "is_read_only"]
