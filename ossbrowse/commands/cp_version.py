"""`ossbrowse cp oss://bucket/key DEST --version-id V`: copy one version out (read-only source).

To a local path (checked by CRC64, written under a temporary name first) or to an oss:// URL
(CopyObject inside OSS). ossutil's option name: `--version-id`. `--if-exists` is honoured as
cp honours it: overwrite (the default), skip, keep-both (`name (1).ext`); ask and same are
refused (one object, named by the person: they can choose before they run it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def _free(target: str, exists: Callable[[str], bool], policy: str, sep: str) -> str | None:
    """Where to write under `policy`: `target`, a free `name (n).ext`, or None (skip)."""
    from ossbrowse.transfer.conflict import free_name

    if policy == "overwrite" or not exists(target):
        return target
    if policy == "skip":
        return None
    return free_name(target, exists, sep)


def _oss_exists(bucket: Any) -> Callable[[str], bool]:
    from ossbrowse.errors import NotFoundError
    from ossbrowse.fs.gateway import objects
    from ossbrowse.fs.retrying import DEFAULT_RETRY

    def exists(key: str) -> bool:
        try:
            DEFAULT_RETRY.call(lambda: objects.head(bucket, key))
        except NotFoundError:
            return False
        return True

    return exists


def run(args: argparse.Namespace) -> int:
    import os

    from ossbrowse.commands._priced import VERSIONS_HINT, ProgressLine, client_for, oss_url
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url
    from ossbrowse.ops.version_copy import (
        copy_version,
        download_version,
        local_destination,
        oss_destination,
    )
    from ossbrowse.text import human_size, safe_text

    src = oss_url(args.src, "source of a version copy", hint=VERSIONS_HINT)
    if not src.key or src.key.endswith("/") or args.recursive:
        raise UsageError("--version-id names one object's version: give the object's URL, no -r.")
    policy = getattr(args, "if_exists", "overwrite") or "overwrite"
    if policy not in ("overwrite", "skip", "keep-both"):
        raise UsageError(
            f"--if-exists {policy} is not offered with --version-id.",
            hint="Choose overwrite, skip or keep-both.",
        )
    client, read_only = client_for(args)
    bucket = client.bucket(src.bucket)
    if is_oss_url(args.dst):
        dst = parse_oss_url(args.dst)
        if not dst.bucket:
            raise UsageError("The destination must name a bucket: oss://BUCKET/...")
        dst_bucket = client.bucket(dst.bucket)
        wanted = oss_destination(src.key, dst.key)
        dst_key = _free(wanted, _oss_exists(dst_bucket), policy, "/")
        if dst_key is None:
            print(f"Skipped: oss://{dst.bucket}/{safe_text(wanted)} exists (--if-exists skip).")
            return 0
        written = copy_version(
            bucket, src.key, args.version_id, dst_bucket, dst_key, read_only=read_only
        )
        where = f"oss://{dst.bucket}/{dst_key}"
        new = f" (new version {safe_text(written.version_id)})" if written.version_id else ""
        print(f"Copied version {safe_text(args.version_id)} to {safe_text(where)}{new}.")
        return 0
    from ossbrowse.mount import ensure_writable as mount_writable
    from ossbrowse.ops.guard import ensure_writable

    ensure_writable(read_only, "copy")
    mount_writable(args.dst)
    wanted = local_destination(src.key, args.dst)
    target = _free(wanted, os.path.lexists, policy, os.sep)
    if target is None:
        print(f"Skipped: {safe_text(wanted)} exists (--if-exists skip).")
        return 0
    line = ProgressLine()
    path = download_version(
        bucket,
        src.key,
        args.version_id,
        target,
        on_progress=lambda done, total: line.show(f"{human_size(done)} of {human_size(total)}"),
    )
    line.done()
    print(f"Downloaded version {safe_text(args.version_id)} to {safe_text(path)}.")
    return 0
