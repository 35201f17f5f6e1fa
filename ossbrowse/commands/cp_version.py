"""`ossbrowse cp oss://bucket/key DEST --version-id V`: copy one version out (read-only source).

To a local path or to an oss:// URL (copied inside OSS), by the transfer engine as `cp` copies:
resumable (the same command again continues the same version), CRC64 checked, a temporary name
until the download checks out. ossutil's option name: `--version-id`. `--if-exists` is honoured as
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

    from ossbrowse.commands._priced import VERSIONS_HINT, client_for, oss_url
    from ossbrowse.commands.cp import refuse_if_read_only, run_jobs
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url
    from ossbrowse.ops.version_copy import local_destination, oss_destination, readable_version
    from ossbrowse.text import safe_text
    from ossbrowse.transfer import ConflictPolicy, TransferEngine, parse_size

    src = oss_url(args.src, "source of a version copy", hint=VERSIONS_HINT)
    if not src.key or src.key.endswith("/") or args.recursive:
        raise UsageError("--version-id names one object's version: give the object's URL, no -r.")
    policy = getattr(args, "if_exists", "overwrite") or "overwrite"
    if policy not in ("overwrite", "skip", "keep-both"):
        raise UsageError(
            f"--if-exists {policy} is not offered with --version-id.",
            hint="Choose overwrite, skip or keep-both.",
        )
    if args.threads < 1:
        raise UsageError("--threads must be at least 1.")
    part_size = parse_size(args.part_size) if args.part_size else None
    client, _read_only = client_for(args)
    refuse_if_read_only(args, True)
    bucket = client.bucket(src.bucket)
    version = args.version_id
    readable_version(bucket, src.key, version)  # a sentence about the version, before a byte
    if is_oss_url(args.dst):
        dst = parse_oss_url(args.dst)
        if not dst.bucket:
            raise UsageError("The destination must name a bucket: oss://BUCKET/...")
        wanted = oss_destination(src.key, dst.key)
        dst_key = _free(wanted, _oss_exists(client.bucket(dst.bucket)), policy, "/")
        if dst_key is None:
            print(f"Skipped: oss://{dst.bucket}/{safe_text(wanted)} exists (--if-exists skip).")
            return 0
        target = f"oss://{dst.bucket}/{dst_key}"
        done = f"Copied version {safe_text(version)} to {safe_text(target)}."
    else:
        wanted = local_destination(src.key, args.dst)
        target_path = _free(wanted, os.path.lexists, policy, os.sep)
        if target_path is None:
            print(f"Skipped: {safe_text(wanted)} exists (--if-exists skip).")
            return 0
        target = target_path
        done = f"Downloaded version {safe_text(version)} to {safe_text(target)}."
    # The engine's copy, as `cp` runs it: resumable (the same command again continues the
    # same version from its checkpoint), CRC64 checked, a temporary name until it checks out.
    engine = TransferEngine(
        client.bucket,
        jobs=1,
        threads=args.threads,
        part_size=part_size,
        checkpoints=not args.no_checkpoint,
    )
    code = run_jobs(
        engine,
        [(f"oss://{src.bucket}/{src.key}", target)],
        recursive=False,
        policy=ConflictPolicy.OVERWRITE,
        quiet=args.quiet,
        version_id=version,
    )
    if code == 0:
        print(done)
    return code
