"""Decide which `oss://bucket/prefix` a local folder mirrors, for the verb and the UI's start.

`known_mounts()` gathers every mapping (see `mapping.py` for the order of trust); `locate()`
answers for one folder, with `--against` taking precedence over everything, and turns "we do
not know" into a message saying how to tell us. The config file's `[mounts]` table is read
through `ossbrowse.config`; a Function Compute `s.yaml` / `s.yml` in the current directory is
read without being asked for, as is any file given with `--fc-config`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.mount.fcconfig import FcMountPoint, load_mount_points
from ossbrowse.mount.mapping import (
    MountMapping,
    find_mapping,
    gather_mappings,
    parse_mount_spec,
)
from ossbrowse.mount.mountinfo import real
from ossbrowse.text import safe_text

SYAML_NAMES = ("s.yaml", "s.yml")


def _config_mounts() -> tuple[dict[str, Any], str]:
    from ossbrowse.config import load_config_file

    cfg = load_config_file()
    return cfg.mounts, str(cfg.path)


def _fc_points(fc_files: Iterable[str], cwd: str | None) -> list[FcMountPoint]:
    points: list[FcMountPoint] = []
    for path in fc_files:
        points.extend(load_mount_points(path))
    if cwd is not None:
        for name in SYAML_NAMES:
            candidate = os.path.join(cwd, name)
            if os.path.isfile(candidate):
                try:
                    points.extend(load_mount_points(candidate))
                except UsageError:
                    pass  # a broken s.yaml nobody asked us to read is not worth failing for
                break
    return points


def known_mounts(
    specs: Iterable[str] = (),
    fc_files: Iterable[str] = (),
    *,
    cwd: str | None = None,
    config_table: dict[str, Any] | None = None,
    system: list[MountMapping] | None = None,
) -> list[MountMapping]:
    """Every mapping known to this machine and this user."""
    if config_table is None:
        config_table, _ = _config_mounts()
    return gather_mappings(
        specs=specs,
        config_table=config_table,
        fc_points=_fc_points(fc_files, os.getcwd() if cwd is None else cwd),
        system=system,
    )


def locate(
    path: str | None,
    mappings: list[MountMapping],
    *,
    against: str | None = None,
) -> tuple[str, MountMapping]:
    """(resolved folder, mapping of that folder itself) for a compare or a pane.

    `path` None: the current directory when it is inside a mapping, else the only OSS mount
    known. The returned mapping's prefix is the folder's own (a subfolder of a mount maps to
    a deeper prefix); `read_only` and `endpoint` come from the enclosing mount.
    """
    if path is None:
        cwd = os.getcwd()
        if against or find_mapping(cwd, mappings):
            path = cwd
        else:
            usable = [m for m in mappings if m.bucket]
            if len(usable) != 1:
                listed = ", ".join(safe_text(m.local) for m in usable) or "none found"
                raise UsageError(
                    f"Which folder should be checked? OSS mounts known here: {listed}.",
                    hint="Name it: ossbrowse mount-check /mnt/oss [--against oss://bucket/prefix].",
                )
            path = usable[0].local
    folder = real(path)
    if not os.path.isdir(folder):
        raise UsageError(
            f"{safe_text(path)} is not a folder.",
            hint="Give the mount point (or a folder inside it) to compare.",
        )
    enclosing = find_mapping(folder, mappings)
    if against:
        declared = parse_mount_spec(f"{folder}={against}", origin="--against")
        return folder, MountMapping(
            folder,
            declared.bucket,
            declared.prefix,
            endpoint=enclosing.endpoint if enclosing else None,
            read_only=bool(enclosing and enclosing.read_only),
            origin="--against",
            kind=enclosing.kind if enclosing else None,
        )
    if enclosing is None or enclosing.bucket is None:
        what = (
            f"{safe_text(folder)} is an OSS mount ({enclosing.kind}) but its bucket and prefix "
            "cannot be read from this system"
            if enclosing is not None
            else f"{safe_text(folder)} is not a known OSS mount"
        )
        raise UsageError(
            f"{what}.",
            hint="Say which prefix it mirrors: --against oss://bucket/prefix, "
            "--mount LOCAL=oss://bucket/prefix, a [mounts] table in the config file, "
            "or --fc-config s.yaml.",
        )
    return folder, MountMapping(
        folder,
        enclosing.bucket,
        enclosing.prefix_for(folder),
        endpoint=enclosing.endpoint,
        read_only=enclosing.read_only,
        origin=enclosing.origin,
        kind=enclosing.kind,
    )


def prefix_url_for(path: str, specs: Iterable[str] = ()) -> str | None:
    """`oss://bucket/prefix/` that the local folder `path` mirrors, or None (never raises).

    What `ossbrowse /mnt/oss` uses to open the bucket side at the matching prefix: start-up
    must not fail because an s.yaml or a mapping is broken, so any problem means "not known".
    """
    try:
        _, mapping = locate(path, known_mounts(specs, cwd=os.getcwd()))
    except (OssBrowseError, OSError):
        return None
    return mapping.url or None
