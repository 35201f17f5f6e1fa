"""Sample data for demos and screenshots: nested prefixes, a 20,000-object prefix, archived
objects, an appendable log, Unicode (and hostile) names, a few larger files.

Objects go straight into the store (no HTTP): the whole set (20,061 objects, 58 MB) built in
about 2 s in memory on a loaded 2-core machine. `build_sample(server)` returns what it made.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass, field

from ossbrowse.crc64 import crc64, crc64_combine
from ossbrowse.emulator.model import ObjectMeta

SAMPLE_BUCKET = "demo"
EMPTY_BUCKET = "demo-empty"
MANY_PREFIX = "many/"
MIB = 1 << 20


@dataclass
class SampleSummary:
    bucket: str
    objects: int = 0
    bytes: int = 0
    highlights: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=1)
def _base_block() -> bytes:
    return b"".join(hashlib.sha256(str(i).encode()).digest() for i in range(2048))


def _pattern(size: int, seed: int) -> bytes:
    """Deterministic, random-looking bytes, fast to make: a 64 KiB block, rotated by seed."""
    base = _base_block()
    cut = (seed * 7919) % len(base)
    block = base[cut:] + base[:cut]
    reps, rest = divmod(size, len(block))
    return block * reps + block[:rest]


def _meta(key: str, data: bytes, mtime: float, **fields) -> ObjectMeta:
    return ObjectMeta(
        key=key,
        size=len(data),
        etag=hashlib.md5(data).hexdigest().upper(),
        crc64=crc64(data),
        mtime=mtime,
        **fields,
    )


class _Builder:
    def __init__(self, server, bucket: str, now: float | None = None) -> None:
        self.store = server.store
        self.backend = server.store.backend
        self.bucket = bucket
        self.metas: list[ObjectMeta] = []
        self.now = time.time() if now is None else now

    def blob(self, data: bytes):
        writer = self.backend.new_writer(len(data))
        writer.write(data)
        return writer.finish()

    def add(self, key: str, data: bytes, age_days: float = 0.0, **fields) -> ObjectMeta:
        fields.setdefault("content_type", _content_type(key))
        meta = _meta(key, data, self.now - age_days * 86400, **fields)
        meta.blob = self.blob(data)
        self.metas.append(meta)
        return meta

    def flush(self) -> None:
        self.store.bulk_load(self.bucket, self.metas)


def _content_type(key: str) -> str:
    import mimetypes

    return mimetypes.guess_type(key)[0] or "application/octet-stream"


def build_sample(server, bucket: str = SAMPLE_BUCKET, *, many: int = 20_000,
                 large: bool = True, now: float | None = None) -> SampleSummary:  # fmt: skip
    """Fill `bucket` (created if needed) on a running or stopped EmulatorServer.

    `now` fixes the clock the objects' ages count from (snapshot tests, screenshots).
    """
    server.create_bucket(bucket)
    server.create_bucket(EMPTY_BUCKET)
    b = _Builder(server, bucket, now)
    summary = SampleSummary(bucket)

    b.add("README.txt", b"Sample data for ossbrowse: try the many/ and archive/ prefixes.\n")
    b.add("empty-dir/", b"")
    for path in (
        "docs/guide/intro.md",
        "docs/guide/install.md",
        "docs/guide/advanced/tuning.md",
        "docs/guide/advanced/deep/nested/further/still/leaf.txt",
        "docs/api/v1/objects.md",
        "docs/api/v2/objects.md",
    ):
        b.add(path, f"# {path}\n\nSample text.\n".encode(), age_days=30)
    from ossbrowse.emulator.sample_image import sunset_png

    b.add("docs/guide/sunset.png", sunset_png(), age_days=30)  # the image preview shows it
    for month in range(1, 13):
        for n in range(1, 4):
            b.add(f"photos/2024/{month:02d}/img-{n:03d}.jpg", _pattern(2048 + n, month * 10 + n),
                  age_days=400 - month * 30)  # fmt: skip
    summary.highlights.append("docs/, photos/: nested prefixes")

    # Many small objects: metadata built in a loop, one sort at the end (bulk_load).
    for i in range(many):
        b.add(f"{MANY_PREFIX}item-{i:05d}.txt", f"item {i}\n".encode(), age_days=i / 1000,
              content_type="text/plain")  # fmt: skip
    summary.highlights.append(f"{MANY_PREFIX}: {many:,} small objects (paged listing)")

    b.add("archive/backup-2019.tar", _pattern(64 * 1024, 1), age_days=1500,
          storage_class="Archive")  # fmt: skip
    b.add("archive/backup-2018.tar", _pattern(64 * 1024, 2), age_days=1800,
          storage_class="ColdArchive")  # fmt: skip
    b.add("archive/deep-2017.tar", _pattern(32 * 1024, 3), age_days=2200,
          storage_class="DeepColdArchive")  # fmt: skip
    restored = b.add("archive/restored-2020.tar", _pattern(16 * 1024, 4), age_days=1200,
                     storage_class="Archive")  # fmt: skip
    restored.restore_until = b.now - 60
    restored.restore_expiry = b.now + 86400
    b.add("archive/infrequent.csv", b"a,b\n1,2\n", storage_class="IA")
    summary.highlights.append("archive/: Archive, ColdArchive, DeepColdArchive (restore them)")

    lines = [f"2024-01-01T00:00:{s:02d}Z INFO request {s} served\n".encode() for s in range(40)]
    log = b"".join(lines)
    meta = b.add("logs/app.log", log, object_type="Appendable")
    crc = 0
    for line in lines:  # an appendable object's CRC is that of all appends together
        crc = crc64_combine(crc, crc64(line), len(line))
    meta.crc64 = crc
    meta.etag = hashlib.md5(f"{crc}:{len(log)}".encode()).hexdigest().upper()
    summary.highlights.append("logs/app.log: appendable (x-oss-next-append-position)")

    for key in (
        "unicode/日本語/ファイル.txt",
        "unicode/emoji-😀.txt",
        "unicode/Ünïcödé ñåmé.txt",
        "unicode/Ελληνικά/αρχείο.txt",
        "unicode/hostile/\x1b[31mred-escape.txt",
        "unicode/hostile/\u202eexe.txt",
        "unicode/hostile/new\nline.txt",
        "unicode/hostile/../../dot-dot.txt",
    ):
        b.add(key, key.encode("utf-8"))
    summary.highlights.append("unicode/: non-Latin names, and hostile ones (escapes, bidi)")

    if large:
        for size in (8, 32):
            b.add(f"large/blob-{size}MiB.bin", _pattern(size * MIB, size))
        parts = [_pattern(5 * MIB, 100 + n) for n in range(3)]
        data = b"".join(parts)
        meta = b.add("large/multipart-15MiB.bin", data, object_type="Multipart")
        md5s = b"".join(hashlib.md5(p).digest() for p in parts)
        meta.etag = f"{hashlib.md5(md5s).hexdigest().upper()}-{len(parts)}"
        summary.highlights.append("large/: 8, 15 (multipart) and 32 MiB files")

    b.flush()
    summary.objects = len(b.metas)
    summary.bytes = sum(m.size for m in b.metas)
    return summary
