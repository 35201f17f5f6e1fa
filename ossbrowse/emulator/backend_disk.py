"""Disk storage backend (`--root DIR`): bodies and JSON metadata in files, survives restarts.

File names come from a SHA-256 of the key, never from the key itself, so no key (`../x`,
control characters, 1023 bytes) can name a path outside the root. A body is written to a
temp file and renamed into place under a fresh name; only then does the metadata (also
written temp-then-rename) point at it, so a crash never leaves a half-written object under
a key. Bodies left unreferenced by a crash are removed at the next start.

Layout: ROOT/buckets/NAME/bucket.json, .../objects/HH/HASH.json + HASH-TOKEN.data (one version
of a versioned bucket: HASH.vVERSIONID.json; a delete marker has no body),
.../uploads/UPLOADID/upload.json + N-TOKEN.part + N.json, ROOT/tmp/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ossbrowse.emulator.model import BucketState, ObjectMeta, Part, Upload
from ossbrowse.emulator.versions import arrange

_CHUNK = 4 << 20
_RING = 4  # producer 1 + queue 2 + consumer 1 (call.receive)
# Receive chunks: 1 MiB keeps the MD5 left to do after the last byte arrives short.
_RING_CHUNK = 1 << 20


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _copy_file(src, dst) -> None:
    """Append all of `src` to `dst`: in the kernel where it can (copy_file_range; a reflink on
    file systems that have them), else through a buffer. CompleteMultipartUpload of 1 GiB
    spent most of its time copying parts through Python."""
    if hasattr(os, "copy_file_range"):
        size = os.fstat(src.fileno()).st_size
        offset = 0
        try:
            while offset < size:
                copied = os.copy_file_range(src.fileno(), dst.fileno(), size - offset, offset)
                if copied == 0:
                    break
                offset += copied
        except OSError:
            pass  # EXDEV, ENOSYS, EINVAL on some file systems: the portable way below
        if offset:
            # The kernel wrote at dst's file position and moved it; keep going from there.
            src.seek(offset)
        if offset >= size:
            return
    shutil.copyfileobj(src, dst, _CHUNK)


class _RingPool:
    """Rings of receive buffers, reused across requests.

    A fresh ring per request (4 x 4 MiB, zero-filled) cost more than the 8 MiB part it
    received: in a profile of a multipart upload it was a third of the server's busy time.
    A ring goes back to the pool only when its writer is finished, after call.receive has
    joined the thread that hashes its chunks.
    """

    def __init__(self, keep: int = 8) -> None:
        self._free: list[list[bytearray]] = []
        self._lock = threading.Lock()
        self._keep = keep

    def take(self) -> list[bytearray]:
        with self._lock:
            if self._free:
                return self._free.pop()
        return [bytearray(_RING_CHUNK) for _ in range(_RING)]

    def give(self, ring: list[bytearray]) -> None:
        with self._lock:
            if len(self._free) < self._keep:
                self._free.append(ring)


_RINGS = _RingPool()


class DiskWriter:
    def __init__(self, tmp_dir: Path) -> None:
        fd, name = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
        self.path = name
        self._file = os.fdopen(fd, "wb", buffering=0)
        # A ring: chunks handed out stay untouched while a helper thread still hashes them.
        # Taken on the first read only: copies and concatenations write without one.
        self._buffers: list[bytearray] | None = None
        self._next = 0

    def get_buffer(self, limit: int) -> memoryview:
        if self._buffers is None:
            self._buffers = _RINGS.take()
        buffer = self._buffers[self._next]
        self._next = (self._next + 1) % _RING
        return memoryview(buffer)[: min(limit, _RING_CHUNK)]

    def _release(self) -> None:
        if self._buffers is not None:
            _RINGS.give(self._buffers)
            self._buffers = None

    def commit(self, n: int) -> None:
        pass  # each buffer of the ring is used whole; nothing to reserve

    def advance(self, data) -> None:
        view = memoryview(data)
        while view:
            written = self._file.write(view)
            view = view[written:]

    write = advance

    def finish(self) -> str:
        self._file.close()
        self._release()
        return self.path

    def abort(self) -> None:
        self._file.close()
        self._release()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class OpenBody:
    """A body opened while its key still named it (under the store's lock).

    An overwrite or delete unlinks the old body file; a reader holding this descriptor still
    reads the whole old body, so a GET racing an overwrite never answers 200 and then breaks.
    Closed by the one reader that uses it (send_range, iter_range, copy_range, concat).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by its reader

    def close(self) -> None:
        self.file.close()


class DiskBackend:
    persistent = True

    def __init__(self, root: str | os.PathLike) -> None:
        # Test hook: runs in a reader after its body was opened and before the first byte is
        # read, e.g. to overwrite the same key at exactly that moment.
        self.before_read: Callable[[], None] | None = None
        self.root = Path(root).resolve()
        self.tmp = self.root / "tmp"
        self.buckets_dir = self.root / "buckets"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.buckets_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.tmp.iterdir():  # temp files of uploads cut short by a stop
            stale.unlink(missing_ok=True)

    # -- paths ---------------------------------------------------------------------------------

    def _bucket_dir(self, bucket: str) -> Path:
        return self.buckets_dir / bucket  # bucket names are [a-z0-9-] only: checked before

    def _object_base(self, bucket: str, key: str) -> Path:
        digest = _key_hash(key)
        return self._bucket_dir(bucket) / "objects" / digest[:2] / digest

    def _record(self, bucket: str, meta: ObjectMeta) -> Path:
        """Where `meta` is saved: one record per version (version ids are our own [-_0-9A-Za-z]
        strings, never a client's)."""
        base = self._object_base(bucket, meta.key)
        suffix = f".v{meta.version_id}.json" if meta.version_id else ".json"
        return base.with_name(base.name + suffix)

    def _upload_dir(self, bucket: str, upload_id: str) -> Path:
        return self._bucket_dir(bucket) / "uploads" / upload_id  # hex ids we made ourselves

    # -- bodies --------------------------------------------------------------------------------

    def new_writer(self, size_hint: int | None = None) -> DiskWriter:
        return DiskWriter(self.tmp)

    def place(self, bucket: str, key: str, tmp: str) -> str:
        base = self._object_base(bucket, key)
        base.parent.mkdir(parents=True, exist_ok=True)
        final = f"{base}-{os.urandom(6).hex()}.data"
        os.replace(tmp, final)
        return final

    def place_part(self, bucket: str, upload_id: str, number: int, tmp: str) -> str:
        folder = self._upload_dir(bucket, upload_id)
        folder.mkdir(parents=True, exist_ok=True)
        final = str(folder / f"{number}-{os.urandom(6).hex()}.part")
        os.replace(tmp, final)
        return final

    def discard(self, ref: str | None) -> None:
        if ref:
            try:
                os.unlink(ref)
            except FileNotFoundError:
                pass

    def open_body(self, ref: str) -> OpenBody:
        """Open `ref` now, to be read later even if its key is overwritten meanwhile."""
        return OpenBody(ref)

    def close_body(self, ref) -> None:
        if isinstance(ref, OpenBody):
            ref.close()

    @contextmanager
    def _reading(self, ref):
        """The open file of `ref` (a path or an OpenBody), closed after the read."""
        try:
            if self.before_read is not None:
                self.before_read()
            f = ref.file if isinstance(ref, OpenBody) else open(ref, "rb", buffering=0)  # noqa: SIM115
        except BaseException:
            self.close_body(ref)
            raise
        try:
            yield f
        finally:
            f.close()

    def iter_range(self, ref, start: int, length: int, chunk: int = _CHUNK) -> Iterator:
        with self._reading(ref) as f:
            f.seek(start)
            left = length
            while left > 0:
                data = f.read(min(chunk, left))
                if not data:
                    raise OSError("object body shorter than its metadata")
                left -= len(data)
                yield data

    def send_range(self, sock: socket.socket, ref, start: int, length: int) -> None:
        with self._reading(ref) as f:
            offset, left = start, length
            out = sock.fileno()
            while left > 0:
                try:
                    sent = os.sendfile(out, f.fileno(), offset, min(left, 1 << 30))
                except BlockingIOError:
                    continue
                if sent == 0:
                    raise ConnectionError("peer closed during sendfile")
                offset += sent
                left -= sent

    def copy_range(self, ref, start: int, length: int) -> str:
        writer = self.new_writer()
        try:
            for chunk in self.iter_range(ref, start, length):
                writer.write(chunk)
        except BaseException:
            writer.abort()
            raise
        return writer.finish()

    def concat(self, refs: Iterable) -> str:
        refs = list(refs)
        writer = self.new_writer()
        try:
            for ref in refs:
                with self._reading(ref) as src:
                    _copy_file(src, writer._file)
        except BaseException:
            writer.abort()
            for ref in refs:  # bodies opened for this concatenation and not yet read
                self.close_body(ref)
            raise
        return writer.finish()

    def append(self, ref: str, position: int, tmp: str) -> str:
        # In place: bytes past `position` are invisible until the metadata says otherwise,
        # so a crash mid-append leaves the object as it was.
        with open(ref, "r+b") as dst, open(tmp, "rb") as src:
            dst.truncate(position)
            dst.seek(position)
            shutil.copyfileobj(src, dst, _CHUNK)
        os.unlink(tmp)
        return ref

    # -- metadata ------------------------------------------------------------------------------

    def load(self) -> list[BucketState]:
        buckets = []
        for folder in sorted(self.buckets_dir.iterdir()):
            record = folder / "bucket.json"
            if not record.is_file():
                continue
            bucket = BucketState(**json.loads(record.read_text(encoding="utf-8")))
            arrange(bucket, self._load_objects(folder / "objects"))
            bucket.uploads = self._load_uploads(folder / "uploads")
            buckets.append(bucket)
        return buckets

    def _load_objects(self, folder: Path) -> list[ObjectMeta]:
        objects: list[ObjectMeta] = []
        if not folder.is_dir():
            return objects
        for shard in folder.iterdir():
            referenced = set()
            for record in shard.glob("*.json"):
                data = json.loads(record.read_text(encoding="utf-8"))
                name = data.pop("data")
                blob = str(shard / name) if name else None  # a delete marker has no body
                referenced.add(blob)
                objects.append(ObjectMeta.from_json(data, blob))
            for body in shard.glob("*.data"):
                if str(body) not in referenced:
                    body.unlink(missing_ok=True)  # a write that never reached its metadata
            for tmp in shard.glob("*.tmp"):
                tmp.unlink(missing_ok=True)
        return objects

    def _load_uploads(self, folder: Path) -> dict[str, Upload]:
        uploads: dict[str, Upload] = {}
        if not folder.is_dir():
            return uploads
        for upload_dir in folder.iterdir():
            record = upload_dir / "upload.json"
            if not record.is_file():
                shutil.rmtree(upload_dir, ignore_errors=True)
                continue
            data = json.loads(record.read_text(encoding="utf-8"))
            data.pop("parts", None)
            upload = Upload(**data)
            for part_record in upload_dir.glob("*.partmeta"):
                part_data = json.loads(part_record.read_text(encoding="utf-8"))
                blob = str(upload_dir / part_data.pop("data"))
                upload.parts[part_data["number"]] = Part(**part_data, blob=blob)
            uploads[upload.upload_id] = upload
        return uploads

    def save_bucket(self, bucket: BucketState) -> None:
        folder = self._bucket_dir(bucket.name)
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(folder / "bucket.json", bucket.to_json())

    def delete_bucket(self, name: str) -> None:
        shutil.rmtree(self._bucket_dir(name), ignore_errors=True)

    def save_object(self, bucket: str, meta: ObjectMeta, old_ref: str | None = None) -> None:
        record = meta.to_json()
        record["data"] = os.path.basename(meta.blob) if meta.blob else ""
        _write_json(self._record(bucket, meta), record)
        if old_ref and old_ref != meta.blob:
            self.discard(old_ref)

    def delete_object(self, bucket: str, meta: ObjectMeta) -> None:
        self._record(bucket, meta).unlink(missing_ok=True)
        self.discard(meta.blob)

    def save_upload(self, bucket: str, upload: Upload) -> None:
        folder = self._upload_dir(bucket, upload.upload_id)
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(folder / "upload.json", upload.to_json())

    def save_part(self, bucket: str, upload: Upload, part: Part, old_ref: str | None = None):
        folder = self._upload_dir(bucket, upload.upload_id)
        record = part.to_json()
        record["data"] = os.path.basename(part.blob)
        _write_json(folder / f"{part.number}.partmeta", record)
        if old_ref and old_ref != part.blob:
            self.discard(old_ref)

    def delete_upload(self, bucket: str, upload: Upload) -> None:
        shutil.rmtree(self._upload_dir(bucket, upload.upload_id), ignore_errors=True)
