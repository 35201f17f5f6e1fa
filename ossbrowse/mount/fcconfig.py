"""Read OSS mount points from a Function Compute configuration: Serverless Devs s.yaml or JSON.

Function Compute describes its OSS mounts as `ossMountConfig: {mountPoints: [{bucketName,
bucketPath, endpoint, mountDir, readOnly}]}` (API struct OSSMountConfig, FC 2.0 and 3.0). In a
Serverless Devs `s.yaml` it sits under a resource's `props` (fc3) or a service's props (fc,
edition 1.0.0); in the JSON of GetFunction / `s info` it is a top-level field, and older SDKs
capitalise every name (`OssMountConfig`, `MountPoints`, `BucketName`). So the whole document is
searched for the key, case-insensitively, wherever it is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ossbrowse.errors import UsageError
from ossbrowse.mount.mountinfo import normalize_prefix


@dataclass(frozen=True, slots=True)
class FcMountPoint:
    mount_dir: str
    bucket: str
    prefix: str
    endpoint: str | None
    read_only: bool
    where: str  # the file and the path inside it, for messages


def _get(mapping: dict[str, Any], name: str) -> Any:
    lowered = name.lower()
    for key, value in mapping.items():
        if isinstance(key, str) and key.lower() == lowered:
            return value
    return None


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1", "readonly", "read_only")
    return bool(value)


def _find_configs(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and key.lower() == "ossmountconfig":
                yield here, value
            else:
                yield from _find_configs(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _find_configs(value, f"{path}[{index}]")


def mount_points_from_document(document: Any, source: str = "") -> list[FcMountPoint]:
    """Every complete OSS mount point in a parsed s.yaml or JSON document.

    Entries that use a Serverless Devs variable (`${vars.bucket}`) cannot be resolved here and
    are skipped: the user gives `--mount` for those.
    """
    points = []
    for where, config in _find_configs(document, ""):
        if not isinstance(config, dict):
            continue  # e.g. `ossMountConfig: auto`, which names no bucket
        entries = _get(config, "mountPoints") or []
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            bucket = _get(entry, "bucketName")
            mount_dir = _get(entry, "mountDir")
            if not isinstance(bucket, str) or not isinstance(mount_dir, str):
                continue
            if "${" in bucket or "${" in mount_dir:
                continue
            bucket_path = _get(entry, "bucketPath") or ""
            endpoint = _get(entry, "endpoint")
            points.append(
                FcMountPoint(
                    mount_dir=mount_dir,
                    bucket=bucket,
                    prefix=normalize_prefix(str(bucket_path)),
                    endpoint=str(endpoint) if endpoint and "${" not in str(endpoint) else None,
                    read_only=_truthy(_get(entry, "readOnly")),
                    where=f"{source}: {where}.mountPoints[{index}]",
                )
            )
    return points


def load_mount_points(path: str) -> list[FcMountPoint]:
    """Mount points of an s.yaml / s.yml or a JSON function configuration file."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise UsageError(
            f"Cannot read the Function Compute configuration {path}: {exc.strerror}.",
            hint="Check the path, or give the mapping as --mount LOCAL=oss://bucket/prefix.",
        ) from None
    document: Any
    if path.endswith(".json") or text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(
                f"{path} is not valid JSON (line {exc.lineno}): {exc.msg}.",
                hint="Save the function configuration as JSON, or use the s.yaml file.",
            ) from None
    else:
        import yaml  # only when an s.yaml is read: keeps start-up light

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise UsageError(
                f"{path} is not valid YAML{where}.",
                hint="Fix the file, or give the mapping as --mount LOCAL=oss://bucket/prefix.",
            ) from None
    return mount_points_from_document(document, path)
