"""`ossbrowse cp oss://bucket/key DEST --version-id V`: copy one version out (read-only source).

To a local path (checked by CRC64, written under a temporary name first) or to an oss:// URL
(CopyObject inside OSS). ossutil's option name: `--version-id`.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._priced import ProgressLine, client_for, oss_url
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url
    from ossbrowse.ops.version_copy import copy_version, download_version, oss_destination
    from ossbrowse.text import human_size, safe_text

    src = oss_url(args.src, "source of a version copy")
    if not src.key or src.key.endswith("/") or args.recursive:
        raise UsageError("--version-id names one object's version: give the object's URL, no -r.")
    client, read_only = client_for(args)
    bucket = client.bucket(src.bucket)
    if is_oss_url(args.dst):
        dst = parse_oss_url(args.dst)
        if not dst.bucket:
            raise UsageError("The destination must name a bucket: oss://BUCKET/...")
        written = copy_version(
            bucket, src.key, args.version_id, client.bucket(dst.bucket), dst.key,
            read_only=read_only,
        )  # fmt: skip
        where = f"oss://{dst.bucket}/{oss_destination(src.key, dst.key)}"
        new = f" (new version {safe_text(written.version_id)})" if written.version_id else ""
        print(f"Copied version {safe_text(args.version_id)} to {safe_text(where)}{new}.")
        return 0
    from ossbrowse.mount import ensure_writable as mount_writable
    from ossbrowse.ops.guard import ensure_writable

    ensure_writable(read_only, "copy")
    mount_writable(args.dst)
    line = ProgressLine()
    path = download_version(
        bucket,
        src.key,
        args.version_id,
        args.dst,
        on_progress=lambda done, total: line.show(f"{human_size(done)} of {human_size(total)}"),
    )
    line.done()
    print(f"Downloaded version {safe_text(args.version_id)} to {safe_text(path)}.")
    return 0
