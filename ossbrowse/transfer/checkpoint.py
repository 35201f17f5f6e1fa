"""Checkpoints: what an interrupted transfer needs to resume, one JSON file per transfer.

A checkpoint holds the upload id, the identity of the source (a local file's size, mtime and inode;
an object's ETag and size, and its version id when one version was asked for), the part size, and
each finished part's ETag and CRC64. It never holds a credential or an endpoint's secret: only names
that are already on the command line. Files are written temp + fsync + rename, so a kill leaves the
old one or the new one, never half of one, and carry a SHA-256 of their content, so a damaged one is
never trusted: it is still listed (as damaged) so that what it left behind can be cleaned. An upload
id read from a damaged one is only a candidate: a clean-up aborts it only if OSS lists that id for
the very object the checkpoint's own name proves it wrote to (`leftovers.abort_upload_of`). A
download's (or a local copy's) temporary file is found from the destination and the id (`tempname`),
never from a path the checkpoint names: an edited checkpoint cannot make a clean-up delete a path of
its choosing.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import json
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ossbrowse.transfer.tempname import transfer_temp_path

VERSION = 1
_write = os.write  # one name for the write, so a test can make the disk fill up


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
    kind: str  # upload, download, copy (on OSS), localcopy
    src: str
    dst: str
    bytes_done: int
    bytes_total: int
    updated: float  # seconds since the epoch
    upload_id: str | None
    bucket: str | None
    key: str | None
    temp_path: str | None  # derived from dst and id (tempname), never read from the content
    damaged: bool = False  # failed its checksum: listed and cleanable, never resumed
    version_id: str = ""  # the source's version when one was named: a resume copies that one


class CheckpointStore:
    """The checkpoint folder. Thread-safe: parts of one transfer finish on several threads."""

    def __init__(self, state_dir: str | os.PathLike[str] | None = None) -> None:
        base = Path(state_dir) if state_dir is not None else default_state_dir()
        self.folder = base / "checkpoints"
        self._lock = threading.Lock()

    def path(self, ident: str) -> Path:
        return self.folder / f"{ident}.json"

    def lock_path(self, ident: str) -> str:
        """The lock file of the transfer `ident` (see destlock), beside its checkpoint."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return str(self.folder / f"{ident}.lock")

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

    def save(self, ident: str, body: dict[str, Any], *, durable: bool = True) -> None:
        """Write the checkpoint (temp + rename). `durable=False` skips the fsync: for a record
        that only makes a temporary file findable, worth less than an fsync per small file."""
        body = dict(body, version=VERSION, id=ident, updated=time.time())
        text = json.dumps(dict(body, checksum=_checksum(body)), sort_keys=True, ensure_ascii=True)
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.folder / f".{ident}.{os.getpid()}.{threading.get_ident()}.tmp"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                try:
                    data = memoryview(text.encode())
                    while data:  # a filling disk may take part of a write before refusing
                        data = data[_write(fd, data) :]
                    if durable:
                        os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(tmp, self.path(ident))
            except OSError as exc:
                # A full disk must leave neither a half checkpoint nor its temporary file, and
                # the error names the checkpoint (a write error without a name would pass for a
                # network failure).
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise OSError(exc.errno, exc.strerror, str(self.path(ident))) from exc

    def delete(self, ident: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(ident).unlink()

    def list(self, *, include_damaged: bool = False) -> list[CheckpointInfo]:
        """Every valid checkpoint, newest first; with `include_damaged`, also those that fail
        their checksum or cannot be read (what can be read of them, marked `damaged`)."""
        try:
            names = sorted(p.stem for p in self.folder.glob("*.json"))
        except OSError:
            return []
        found = []
        for ident in names:
            body = self.load(ident)
            if body is not None:
                with contextlib.suppress(TypeError, ValueError, AttributeError):
                    found.append(info_from(body, ident))
                    continue
            if include_damaged and _ID.fullmatch(ident):
                found.append(self._damaged(ident))
        return sorted(found, key=lambda c: c.updated, reverse=True)

    def find(self, prefix: str, *, include_damaged: bool = False) -> builtins.list[CheckpointInfo]:
        """Checkpoints whose id starts with `prefix` (ids are long; people type a few chars)."""
        listed = self.list(include_damaged=include_damaged)
        return [c for c in listed if c.id.startswith(prefix)]

    def _damaged(self, ident: str) -> CheckpointInfo:
        """What can be read of a checkpoint that failed its checksum: its kind, source and
        destination, only to name it and to find its temporary file (a name we derive)."""
        path = self.path(ident)
        try:
            text = path.read_text("utf-8", errors="replace")
            updated = path.stat().st_mtime
        except OSError:
            text, updated = "", 0.0
        fields = _salvage(text)
        kind, src, dst = fields.get("kind", "?"), fields.get("src", ""), fields.get("dst", "")
        temp = _temp_of(dst, ident) if kind in (*_TEMP_KINDS, "?") else None
        bucket, key = _proven_object(ident, kind, src, dst)
        return CheckpointInfo(
            id=ident,
            kind=kind,
            src=src,
            dst=dst,
            bytes_done=0,
            bytes_total=0,
            updated=updated,
            # What it says, unproven: a clean-up aborts it only if OSS lists this very id for
            # this very object (`leftovers.abort_upload_of`); None when it cannot be read.
            upload_id=fields.get("upload_id") if bucket is not None else None,
            bucket=bucket,
            key=key,
            temp_path=temp,
            damaged=True,
        )


_ID = re.compile(r"[0-9a-f]{16}")
# Kinds that write a temporary file beside their destination (a name derived from it and the
# id): a download, and a local copy ("localcopy", see transfer.localcopy).
_TEMP_KINDS = ("download", "localcopy")
_FIELD = re.compile(r'"(kind|src|dst|upload_id)":\s*("(?:[^"\\]|\\.)*")')
_UPLOAD_ID = re.compile(r"[0-9A-Za-z_-]{1,128}")


def _proven_object(ident: str, kind: str, src: str, dst: str) -> tuple[str | None, str | None]:
    """The bucket and key a damaged upload or server copy wrote to, when what was salvaged of
    it is proven by its own file name (the id is a hash of kind, source and destination, so
    a damage that changed them is caught); (None, None) otherwise."""
    if kind not in ("upload", "copy") or not src or not dst.startswith("oss://"):
        return None, None
    if checkpoint_id(kind, src, dst) != ident:
        return None, None
    bucket, _, key = dst[len("oss://") :].partition("/")  # written as oss://{bucket}/{key}
    return (bucket, key) if bucket and key else (None, None)


def _salvage(text: str) -> dict[str, str]:
    """`kind`, `src`, `dst` and `upload_id` from a checkpoint's text, even a cut-off one."""
    found: dict[str, str] = {}
    for name, literal in _FIELD.findall(text):
        with contextlib.suppress(ValueError):
            value = json.loads(literal)
            if isinstance(value, str) and name not in found:
                found[name] = value
    if found.get("kind") not in ("upload", "download", "copy", "localcopy"):
        found.pop("kind", None)
    if not _UPLOAD_ID.fullmatch(found.get("upload_id", "")):
        found.pop("upload_id", None)
    return found


def _temp_of(dst: object, ident: str) -> str | None:
    """A download's temporary file: a name we derive (never a path the checkpoint gives), so
    the worst an edited checkpoint can do is point at another of our own temporary files."""
    if not isinstance(dst, str) or not os.path.isabs(dst):
        return None
    return transfer_temp_path(dst, ident)


def info_from(body: dict[str, Any], ident: str | None = None) -> CheckpointInfo:
    """The listing of a valid checkpoint. `ident` is the checkpoint's file name: the id, like
    the temporary file's name, comes from where the checkpoint is, not from what it says."""
    parts = body.get("parts") or {}
    ident = ident or body["id"]
    kind = str(body.get("kind", "?"))
    dst = str(body.get("dst", ""))
    return CheckpointInfo(
        id=ident,
        kind=kind,
        src=str(body.get("src", "")),
        dst=dst,
        bytes_done=sum(int(p.get("size", 0)) for p in parts.values()),
        bytes_total=int(body.get("size", 0)),
        updated=float(body.get("updated", 0)),
        upload_id=body.get("upload_id"),
        bucket=body.get("bucket"),
        key=body.get("key"),
        temp_path=_temp_of(dst, ident) if kind in _TEMP_KINDS else None,
        version_id=str(body.get("version_id") or ""),
    )
