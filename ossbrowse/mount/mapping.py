"""Which local folder mirrors which `oss://bucket/prefix`, gathered from every source we know.

Sources, in order of trust (first wins for bucket and prefix, value by value):

1. `--mount LOCAL=oss://bucket/prefix` (and a verb's `--against`): the user said so;
2. the system: mountinfo (`mountinfo.py`) joined with the FUSE daemons' command lines
   (`cmdline.py`), or the mount's own source field (ossfs 2.0);
3. the `[mounts]` table of ossbrowse's config file: `"/mnt/oss" = "oss://bucket/prefix"` or
   `"/mnt/oss" = { url = "oss://bucket/prefix", read_only = true, endpoint = "..." }`;
4. a Function Compute configuration (`s.yaml` / function JSON with `ossMountConfig`).

Explicit flags go first although the issue calls them a fallback: when a user names the mapping
they mean it, and the system's answer may be partial (ossfs shows no prefix without its
daemon). A mapping is read-only when any source says so: the `ro` mount option, an FC
`readOnly: true`, or `read_only` in the config file. Nothing here talks to OSS.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ossbrowse.errors import OssBrowseError, ReadOnlyError, UsageError
from ossbrowse.mount import cmdline, mountinfo
from ossbrowse.mount.fcconfig import FcMountPoint
from ossbrowse.mount.mountinfo import MountInfo, normalize_prefix, real
from ossbrowse.text import safe_text


@dataclass(frozen=True, slots=True)
class MountMapping:
    """A local folder and the OSS prefix it mirrors. `bucket` None: an OSS mount whose bucket
    could not be read from the system (it is still known to be read-only or not)."""

    local: str  # absolute, resolved, no trailing slash (except "/")
    bucket: str | None
    prefix: str = ""  # "" or "a/b/"
    endpoint: str | None = None
    read_only: bool = False
    origin: str = ""  # where the mapping came from, for `config show`-like messages
    kind: str | None = None  # ossfs, ossfs2, s3fs, fc, or None when declared by hand

    @property
    def url(self) -> str:
        return f"oss://{self.bucket}/{self.prefix}" if self.bucket else ""

    def contains(self, path: str) -> bool:
        return path == self.local or path.startswith(self.local.rstrip("/") + "/")

    def prefix_for(self, path: str) -> str:
        """The key prefix that the folder `path` (resolved, inside `local`) mirrors."""
        rel = os.path.relpath(path, self.local)
        if rel == ".":
            return self.prefix
        return self.prefix + rel.replace(os.sep, "/") + "/"


def _url_parts(url: str) -> tuple[str, str]:
    from ossbrowse.fs.url import parse_oss_url

    parsed = parse_oss_url(url)
    if not parsed.bucket:
        raise UsageError(
            f"{safe_text(url)!r} names no bucket.", hint="Write it as oss://bucket/prefix."
        )
    return parsed.bucket, normalize_prefix(parsed.key)


def parse_mount_spec(spec: str, origin: str = "--mount") -> MountMapping:
    """`LOCAL=oss://bucket/prefix` as a mapping (LOCAL made absolute and resolved)."""
    local, sep, url = spec.partition("=")
    if not sep or not local or not url:
        raise UsageError(
            f"{safe_text(spec)!r} is not a mount mapping.",
            hint="Write it as LOCAL=oss://bucket/prefix, e.g. /mnt/oss=oss://my-bucket/files.",
        )
    bucket, prefix = _url_parts(url.strip())
    return MountMapping(real(os.path.expanduser(local)), bucket, prefix, origin=origin)


def mappings_from_config(table: Mapping[str, Any], origin: str = "config") -> list[MountMapping]:
    """The config file's `[mounts]` table: local path -> URL string or {url, read_only, ...}."""
    found = []
    for local, value in table.items():
        if isinstance(value, str):
            url, read_only, endpoint = value, False, None
        elif isinstance(value, Mapping) and isinstance(value.get("url"), str):
            url = value["url"]
            read_only = bool(value.get("read_only", False))
            endpoint = value.get("endpoint") if isinstance(value.get("endpoint"), str) else None
        else:
            raise UsageError(
                f"In {origin} [mounts], {safe_text(str(local))!r} must map to "
                '"oss://bucket/prefix" or a table with url = "oss://bucket/prefix".',
            )
        bucket, prefix = _url_parts(url)
        found.append(
            MountMapping(
                real(os.path.expanduser(str(local))),
                bucket,
                prefix,
                endpoint=endpoint,
                read_only=read_only,
                origin=f"{origin} [mounts]",
            )
        )
    return found


def mappings_from_fc(points: Iterable[FcMountPoint]) -> list[MountMapping]:
    return [
        MountMapping(
            os.path.normpath(p.mount_dir),
            p.bucket,
            p.prefix,
            endpoint=p.endpoint,
            read_only=p.read_only,
            origin=p.where,
            kind="fc",
        )
        for p in points
    ]


def mappings_from_system(
    mounts: list[MountInfo] | None = None,
    daemons: list[cmdline.DaemonMount] | None = None,
) -> list[MountMapping]:
    """OSS mounts of this machine, each with whatever the system tells of bucket and prefix."""
    mounts = mountinfo.read_mountinfo() if mounts is None else mounts
    daemons = cmdline.scan_daemons() if daemons is None else daemons
    by_point = {os.path.normpath(d.mount_point): d for d in daemons}
    found = []
    for info in mounts:
        kind = mountinfo.oss_kind(info)
        if kind is None:
            continue
        daemon = by_point.get(os.path.normpath(info.mount_point))
        guess = mountinfo.guess_from_source(info.source)
        if kind == "s3fs" and daemon is None:
            continue  # s3fs mounts are OSS only when the daemon's endpoint says so
        bucket = daemon.bucket if daemon and daemon.bucket else guess.bucket
        prefix = daemon.prefix if daemon and daemon.bucket else guess.prefix
        endpoint = (daemon.endpoint if daemon else None) or guess.endpoint
        read_only = info.read_only or bool(daemon and daemon.read_only)
        origin = f"mountinfo ({info.fstype})" + (
            f" and the command line of PID {daemon.pid}" if daemon and daemon.pid else ""
        )
        found.append(
            MountMapping(info.mount_point, bucket, prefix, endpoint, read_only, origin, kind)
        )
    return found


def merge_mappings(*groups: Iterable[MountMapping]) -> list[MountMapping]:
    """One mapping per local folder: groups in order of trust, first known value wins."""
    merged: dict[str, MountMapping] = {}
    for group in groups:
        for item in group:
            current = merged.get(item.local)
            if current is None:
                merged[item.local] = item
                continue
            if current.bucket is None and item.bucket is not None:
                current = replace(
                    current, bucket=item.bucket, prefix=item.prefix, origin=item.origin
                )
            merged[item.local] = replace(
                current,
                endpoint=current.endpoint or item.endpoint,
                read_only=current.read_only or item.read_only,
                kind=current.kind or item.kind,
            )
    return list(merged.values())


def gather_mappings(
    specs: Iterable[str] = (),
    config_table: Mapping[str, Any] | None = None,
    fc_points: Iterable[FcMountPoint] = (),
    system: list[MountMapping] | None = None,
) -> list[MountMapping]:
    """Every mapping known, merged (see the module docstring for the order)."""
    return merge_mappings(
        [parse_mount_spec(s) for s in specs],
        mappings_from_system() if system is None else system,
        mappings_from_config(config_table or {}),
        mappings_from_fc(fc_points),
    )


def find_mapping(path: str, mappings: Iterable[MountMapping]) -> MountMapping | None:
    """The mapping whose folder holds `path` (deepest wins), or None."""
    target = real(path)
    best = None
    for item in mappings:
        if item.contains(target) and (best is None or len(item.local) > len(best.local)):
            best = item
    return best


def is_read_only(path: str, mappings: Iterable[MountMapping] | None = None) -> bool:
    """Whether `path` is on a read-only OSS mount (or a read-only declared mapping).

    `mappings` None: every mapping known (`locate.known_mounts`: flags aside, the system, the
    config file's `[mounts]`, an s.yaml here). The UI and the operations call this before
    writing a local path: ossbrowse refuses to write
    through a read-only mount rather than let the write fail half-way.
    """
    target = real(path)
    info = mountinfo.mount_containing(target, mountinfo.read_mountinfo())
    if info is not None and mountinfo.oss_kind(info) and info.read_only:
        return True
    if mappings is None:
        from ossbrowse.mount.locate import known_mounts

        try:
            mappings = known_mounts()
        except OssBrowseError:
            mappings = []  # a broken config is reported where it is read, not here
    item = find_mapping(target, mappings)
    return bool(item and item.read_only)


def ensure_writable(path: str, mappings: Iterable[MountMapping] | None = None) -> None:
    """Raise ReadOnlyError when `path` is on a read-only OSS mount."""
    if mappings is None:
        from ossbrowse.mount.locate import known_mounts

        try:
            mappings = known_mounts()
        except OssBrowseError:
            mappings = []
    mappings = list(mappings)
    if is_read_only(path, mappings):
        item = find_mapping(path, mappings)
        where = f" ({item.url})" if item and item.bucket else ""
        raise ReadOnlyError(
            f"{safe_text(path)} is on a read-only OSS mount{where}; ossbrowse does not write "
            "through it.",
            hint="Write to the bucket side instead, or remount the bucket read-write.",
        )
