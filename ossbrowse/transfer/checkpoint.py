"""Checkpoints: what an interrupted transfer needs to resume, one JSON file per transfer.

A checkpoint holds the upload id, the identity of the source (a local file's size, mtime and
inode; an object's ETag and size), the part size, and each finished part's ETag and CRC64. It
never holds a credential or an endpoint's secret: only names that are already on the command
line. Files are written temp + fsync + rename, so a kill leaves the old one or the new one,
never half of one, and carry a SHA-256 of their content, so a damaged one is ignored rather
than trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = 1


def default_state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("ossbrowse"))


def checkpoint_id(kind: str, src: str, dst: str) -> str:
    """Stable for the same transfer, so that running the same command again finds it."""
    digest = hashlib.sha256(f"{kind}\0{src}\0{dst}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:16]


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class CheckpointInfo:
    """One unfinished transfer, as `ossbrowse transfers` lists it."""

    id: str
    kind: str  # upload, download, copy
    src: str
    dst: str
    bytes_done: int
    bytes_total: int
    updated: float  # seconds since the epoch
    upload_id: str | None
    bucket: str | None
    key: str | None
    temp_path: str | None


class CheckpointStore:
    """The checkpoint folder. Thread-safe: parts of one transfer finish on several threads."""

    def __init__(self, state_dir: str | os.PathLike[str] | None = None) -> None:
        base = Path(state_dir) if state_dir is not None else default_state_dir()
        self.folder = base / "checkpoints"
        self._lock = threading.Lock()

    def path(self, ident: str) -> Path:
        return self.folder / f"{ident}.json"

    def load(self, ident: str) -> dict[str, Any] | None:
        """The checkpoint's content, or None when there is none or it fails its checksum."""
        try:
            raw = json.loads(self.path(ident).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict):
            return None
        checksum = raw.pop("checksum", None)
        if checksum != _checksum(raw) or raw.get("version") != VERSION:
            return None
        return raw

    def save(self, ident: str, body: dict[str, Any]) -> None:
        body = dict(body, version=VERSION, id=ident, updated=time.time())
        text = json.dumps(dict(body, checksum=_checksum(body)), sort_keys=True, ensure_ascii=True)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.folder / f".{ident}.{os.getpid()}.{threading.get_ident()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, text.encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path(ident))

    def delete(self, ident: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(ident).unlink()

    def list(self) -> list[CheckpointInfo]:
        """Every valid checkpoint, newest first."""
        try:
            names = sorted(p.stem for p in self.folder.glob("*.json"))
        except OSError:
            return []
        found = []
        for ident in names:
            body = self.load(ident)
            if body is not None:
                found.append(info_from(body))
        return sorted(found, key=lambda c: c.updated, reverse=True)

    def find(self, prefix: str) -> list[CheckpointInfo]:
        """Checkpoints whose id starts with `prefix` (ids are long; people type a few chars)."""
        return [c for c in self.list() if c.id.startswith(prefix)]


def info_from(body: dict[str, Any]) -> CheckpointInfo:
    parts = body.get("parts") or {}
    return CheckpointInfo(
        id=body["id"],
        kind=body.get("kind", "?"),
        src=body.get("src", ""),
        dst=body.get("dst", ""),
        bytes_done=sum(int(p.get("size", 0)) for p in parts.values()),
        bytes_total=int(body.get("size", 0)),
        updated=float(body.get("updated", 0)),
        upload_id=body.get("upload_id"),
        bucket=body.get("bucket"),
        key=body.get("key"),
        temp_path=body.get("temp_path"),
    )
