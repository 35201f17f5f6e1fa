"""Plan the parts of a transfer: part size, part boundaries, and `8MiB`-style size parsing.

The default part size is 8 MiB: large enough that a request's fixed cost (signing, a round
trip, a checkpoint write) is a small fraction of its time, small enough that memory
(threads x part size in flight) and the bytes re-sent after a kill (at most the parts in
flight) stay small, and 10,000 parts of it still cover 78 GiB before the size has to grow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ossbrowse.errors import UsageError

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

DEFAULT_PART_SIZE = 8 * MiB
MIN_PART_SIZE = 100 * 1024  # OSS: every part but the last is at least 100 KB (KiB)
MAX_PART_SIZE = 5 * GiB
MAX_PARTS = 10_000
# CopyObject refuses sources over 1 GB; above that a server-side copy is UploadPartCopy parts.
COPY_OBJECT_LIMIT = 1 * GiB


@dataclass(frozen=True, slots=True)
class Part:
    number: int  # 1-based, as OSS numbers them
    offset: int
    size: int

    @property
    def end(self) -> int:
        return self.offset + self.size


def choose_part_size(total: int, requested: int | None = None) -> int:
    """The part size for `total` bytes: `requested` (or 8 MiB), grown to fit in 10,000 parts."""
    size = requested or DEFAULT_PART_SIZE
    size = max(size, MIN_PART_SIZE)
    if total > size * MAX_PARTS:
        size = -(-total // MAX_PARTS)  # ceil: the smallest size that fits in 10,000 parts
    return min(size, MAX_PART_SIZE)


def plan_parts(total: int, part_size: int) -> list[Part]:
    """Parts covering [0, total): all `part_size` bytes but the last. One empty part for 0."""
    if total <= 0:
        return [Part(1, 0, 0)]
    return [
        Part(i + 1, offset, min(part_size, total - offset))
        for i, offset in enumerate(range(0, total, part_size))
    ]


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)(b?)\s*", re.IGNORECASE)
_POWERS = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4}


def parse_size(text: str) -> int:
    """Bytes from `8388608`, `8MiB`, `8M` (binary, as dd and rsync read it) or `8MB` (decimal)."""
    match = _SIZE.fullmatch(str(text))
    if not match:
        raise UsageError(
            f"{text!r} is not a size.", hint="Write it as 8388608, 8MiB, 8M (binary) or 8MB."
        )
    number, unit, binary, byte = match.groups()
    unit = unit.lower()
    # "8MB" is decimal (SI); "8M" and "8MiB" are binary, the way most command-line tools mean it.
    base = 1000 if (unit and byte and not binary) else 1024
    return int(float(number) * base ** _POWERS[unit])


def format_size(n: float) -> str:
    """A short binary size for progress lines: `8.0 MiB`."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def content_md5(data: bytes) -> str:
    """The Content-MD5 header value of a body: base64 of its MD5 digest."""
    import base64
    import hashlib

    return base64.b64encode(hashlib.md5(data).digest()).decode()
