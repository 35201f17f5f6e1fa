"""Read bucket, prefix and endpoint from the command lines of running OSS FUSE daemons.

mountinfo says only `ossfs` for an ossfs mount; the daemon's /proc/PID/cmdline says the rest:

- ossfs 1.x and s3fs: `ossfs bucket[:/prefix] /mnt/oss -ourl=http://oss-...aliyuncs.com -o ro`
  (options as `-o a=b,c`, `-oa=b`; s3fs also takes `-o bucket=name[:/path]`);
- ossfs 2.0: `ossfs2 mount /mnt/oss -c /etc/ossfs2.conf`, where the file (and possibly the
  command line) holds `--oss_bucket=`, `--oss_bucket_prefix=`, `--oss_endpoint=`, `--ro=true`.

Only those keys are read from an ossfs 2.0 configuration file: it also holds AccessKeys, which
are never kept. A file we may not read leaves the bucket unknown.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from ossbrowse.mount.mountinfo import normalize_prefix

DAEMONS = {"ossfs": "ossfs", "ossfs2": "ossfs2", "s3fs": "s3fs"}


@dataclass(frozen=True, slots=True)
class DaemonMount:
    """What one daemon's command line says about the mount it serves."""

    kind: str
    mount_point: str  # as given on the command line (made absolute against its cwd)
    bucket: str | None
    prefix: str
    endpoint: str | None
    read_only: bool
    pid: int | None = None


def _split_options(text: str) -> dict[str, str]:
    options = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name:
            options[name.strip()] = value.strip()
    return options


def _parse_fuse_style(kind: str, argv: list[str]) -> DaemonMount | None:
    positional: list[str] = []
    options: dict[str, str] = {}
    args = iter(argv[1:])
    for arg in args:
        if arg == "-o":
            options.update(_split_options(next(args, "")))
        elif arg.startswith("-o"):
            options.update(_split_options(arg[2:]))
        elif arg.startswith("-"):
            continue  # -f, -d, -s and other flags without a value
        else:
            positional.append(arg)
    if "bucket" in options:
        positional.insert(0, options["bucket"])
    if len(positional) < 2:
        return None
    bucket, _, prefix = positional[0].partition(":")
    endpoint = options.get("url") or None
    if kind == "s3fs" and not (endpoint and "aliyuncs.com" in endpoint):
        return None  # s3fs against some other S3 service: not ours
    return DaemonMount(
        kind=kind,
        mount_point=positional[1],
        bucket=bucket or None,
        prefix=normalize_prefix(prefix),
        endpoint=endpoint,
        read_only="ro" in options,
    )


def parse_ossfs2_options(lines: list[str]) -> dict[str, str]:
    """`--name=value` pairs (command line or configuration file); only the keys we use."""
    wanted = {"oss_bucket", "oss_bucket_prefix", "oss_endpoint", "ro"}
    found: dict[str, str] = {}
    for raw in lines:
        line = raw.strip()
        if not line.startswith("--"):
            continue
        name, has_value, value = line[2:].partition("=")
        if name in wanted:
            found[name] = value.strip() if has_value else "true"
    return found


def _parse_ossfs2(argv: list[str], read_file: Callable[[str], list[str]]) -> DaemonMount | None:
    args = argv[1:]
    if args and args[0] == "mount":
        args = args[1:]
    mount_point = None
    conf_lines: list[str] = []
    it = iter(args)
    for arg in it:
        if arg in ("-c", "--conf"):
            path = next(it, "")
            conf_lines.extend(read_file(path))
        elif arg.startswith("--conf="):
            conf_lines.extend(read_file(arg.split("=", 1)[1]))
        elif arg.startswith("--"):
            conf_lines.append(arg)
        elif not arg.startswith("-") and mount_point is None:
            mount_point = arg
    if mount_point is None:
        return None
    found = parse_ossfs2_options(conf_lines)
    return DaemonMount(
        kind="ossfs2",
        mount_point=mount_point,
        bucket=found.get("oss_bucket") or None,
        prefix=normalize_prefix(found.get("oss_bucket_prefix", "")),
        endpoint=found.get("oss_endpoint") or None,
        read_only=found.get("ro", "false").lower() in ("true", "1", "yes"),
    )


def _read_lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def parse_cmdline(
    argv: list[str], read_file: Callable[[str], list[str]] = _read_lines
) -> DaemonMount | None:
    """The mount a daemon's argv describes, or None when argv is not an OSS FUSE daemon."""
    if not argv:
        return None
    kind = DAEMONS.get(os.path.basename(argv[0]))
    if kind is None:
        return None
    if kind == "ossfs2":
        return _parse_ossfs2(argv, read_file)
    return _parse_fuse_style(kind, argv)


def scan_daemons(proc: str = "/proc") -> list[DaemonMount]:
    """Every OSS FUSE daemon this user may see, with mount points made absolute."""
    found = []
    try:
        pids = [name for name in os.listdir(proc) if name.isdigit()]
    except OSError:
        return []
    for pid in pids:
        try:
            with open(os.path.join(proc, pid, "cmdline"), "rb") as fh:
                raw = fh.read()
        except OSError:
            continue  # gone, or not ours to read
        argv = [os.fsdecode(part) for part in raw.split(b"\0") if part]
        if not argv or os.path.basename(argv[0]) not in DAEMONS:
            continue
        mount = parse_cmdline(argv)
        if mount is None:
            continue
        point = mount.mount_point
        if not os.path.isabs(point):
            try:
                point = os.path.join(os.readlink(os.path.join(proc, pid, "cwd")), point)
            except OSError:
                continue
        found.append(
            DaemonMount(
                mount.kind,
                os.path.normpath(point),
                mount.bucket,
                mount.prefix,
                mount.endpoint,
                mount.read_only,
                int(pid),
            )
        )
    return found
