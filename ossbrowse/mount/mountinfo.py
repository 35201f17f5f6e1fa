"""Parse /proc/self/mountinfo and pick out the OSS mounts (ossfs 1.x, ossfs 2.0, s3fs on OSS).

How each kind shows up (what the samples in tests/mount/test_mountinfo.py follow):

- ossfs 1.x (aliyun/ossfs, an s3fs fork; also what ACK's OSS CSI driver runs): filesystem type
  `fuse.ossfs`, source `ossfs` (libfuse's default fsname, the program name), e.g.
  `ossfs on /data type fuse.ossfs (rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other)`
  as `mount` prints it. Neither bucket nor prefix is in the line: they are on the daemon's
  command line (`ossfs bucket[:/prefix] /mnt/oss -ourl=...`), see `cmdline.py`. An old-style
  fstab line `ossfs#bucket /mnt fuse ...` may leave `ossfs#bucket` as the source.
- ossfs 2.0: type `fuse.ossfs2`; the source is either `ossfs2` or, as seen in `df -T` output
  in public notes, `bucket.oss-cn-beijing-internal.aliyuncs.com:/prefix` (the bucket as the
  first label of a virtual-hosted endpoint, the prefix as the path). The configuration file
  named by `-c` holds `--oss_bucket=` and `--oss_bucket_prefix=` (see `cmdline.py`).
- s3fs mounting OSS through its S3 API: type `fuse.s3fs`, source `s3fs`; it is an OSS mount
  only when the daemon's `-ourl=` names an aliyuncs.com endpoint, so the command line decides.
- Function Compute's OSS mount: the platform mounts the bucket with its own ossfs-based FUSE
  client before the instance starts. We could not find a published mountinfo line for it, so
  any `fuse.ossfs*` type is taken as OSS, and where its daemon is outside the instance's PID
  namespace (no command line to read) the bucket and prefix come from the function's
  `ossMountConfig` (see `fcconfig.py`) or `--mount`. Its read-only setting shows as `ro`.

A line (proc(5)): `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
SUPER_OPTIONS`; space, tab, newline and backslash in paths are octal escapes (`\\040`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MOUNTINFO = "/proc/self/mountinfo"

_OCTAL = re.compile(r"\\([0-7]{3})")

# FUSE filesystem types that are OSS clients whatever their command line says.
OSS_FSTYPES = {"fuse.ossfs": "ossfs", "fuse.ossfs2": "ossfs2"}
# Generic S3 FUSE clients that are OSS mounts only when their endpoint is an OSS one.
S3_FSTYPES = {"fuse.s3fs": "s3fs"}


def _unescape(field: str) -> str:
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


@dataclass(frozen=True, slots=True)
class MountInfo:
    """One line of mountinfo, unescaped."""

    mount_id: int
    parent_id: int
    root: str
    mount_point: str
    mount_options: tuple[str, ...]
    fstype: str
    source: str
    super_options: tuple[str, ...]

    @property
    def read_only(self) -> bool:
        # `ro` may be on the mount (bind or remount ro) or on the superblock (mounted ro).
        return "ro" in self.mount_options or "ro" in self.super_options


def parse_line(line: str) -> MountInfo | None:
    """One mountinfo line, or None when it is not one (blank or malformed)."""
    fields = line.split()
    try:
        dash = fields.index("-", 6)
    except ValueError:
        return None
    if len(fields) < dash + 3 or dash < 6:
        return None
    try:
        mount_id, parent_id = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    super_options = fields[dash + 3] if len(fields) > dash + 3 else ""
    return MountInfo(
        mount_id=mount_id,
        parent_id=parent_id,
        root=_unescape(fields[3]),
        mount_point=_unescape(fields[4]),
        mount_options=tuple(fields[5].split(",")),
        fstype=fields[dash + 1],
        source=_unescape(fields[dash + 2]),
        super_options=tuple(super_options.split(",")) if super_options else (),
    )


def parse_mountinfo(text: str) -> list[MountInfo]:
    """Every well-formed line of a mountinfo text, in order (later mounts stack on earlier)."""
    mounts = []
    for line in text.splitlines():
        info = parse_line(line)
        if info is not None:
            mounts.append(info)
    return mounts


def read_mountinfo(path: str = MOUNTINFO) -> list[MountInfo]:
    """The machine's mounts; an empty list where /proc is not there (macOS, a sandbox)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return parse_mountinfo(fh.read())
    except OSError:
        return []


def mount_containing(path: str, mounts: list[MountInfo]) -> MountInfo | None:
    """The mount that `path` (absolute, resolved) lives on: the longest matching mount point.

    Of several mounts on the same point the last one listed is the visible one.
    """
    best: MountInfo | None = None
    for info in mounts:
        point = info.mount_point
        inside = path == point or path.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best.mount_point)):
            best = info
    return best


@dataclass(frozen=True, slots=True)
class SourceGuess:
    """What a mount's source field says about the bucket, when it says anything."""

    bucket: str | None = None
    prefix: str = ""
    endpoint: str | None = None


_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


def _is_bucket_name(text: str) -> bool:
    return bool(_BUCKET_RE.match(text))


def normalize_prefix(prefix: str) -> str:
    """'' for the whole bucket, else `a/b/` (no leading slash, one trailing slash)."""
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


def guess_from_source(source: str) -> SourceGuess:
    """Bucket, prefix and endpoint where a mount's source field carries them."""
    if source.startswith("oss://"):
        bucket, _, prefix = source[len("oss://") :].partition("/")
        return (
            SourceGuess(bucket or None, normalize_prefix(prefix))
            if _is_bucket_name(bucket)
            else SourceGuess()
        )
    if "#" in source:  # fstab's old `ossfs#bucket[:/prefix]`
        source = source.split("#", 1)[1]
        bucket, _, prefix = source.partition(":")
        return (
            SourceGuess(bucket, normalize_prefix(prefix))
            if _is_bucket_name(bucket)
            else SourceGuess()
        )
    host, sep, path = source.partition(":/")
    if sep and "." in host:  # ossfs 2.0's `bucket.endpoint:/prefix`
        first, _, rest = host.partition(".")
        if rest.startswith("oss-") and _is_bucket_name(first):
            return SourceGuess(first, normalize_prefix(path), rest)
        if host.startswith("oss-"):  # an endpoint alone: the bucket is the path's first part
            bucket, _, prefix = path.partition("/")
            if _is_bucket_name(bucket):
                return SourceGuess(bucket, normalize_prefix(prefix), host)
    return SourceGuess()


def oss_kind(info: MountInfo) -> str | None:
    """'ossfs', 'ossfs2' or 's3fs' (an OSS mount if its endpoint says so), else None."""
    if info.fstype in OSS_FSTYPES:
        return OSS_FSTYPES[info.fstype]
    if info.fstype in S3_FSTYPES:
        return S3_FSTYPES[info.fstype]
    # A FUSE mount whose source names an OSS bucket URL, whatever the client.
    if info.fstype.startswith("fuse") and guess_from_source(info.source).bucket:
        return info.fstype.removeprefix("fuse.") or "fuse"
    return None


def real(path: str) -> str:
    """Absolute and resolved, as /proc and mountinfo spell paths."""
    return os.path.realpath(os.path.abspath(path))
