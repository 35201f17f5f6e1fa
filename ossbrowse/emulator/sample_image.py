"""A small PNG drawn in code for the demo data (a sunset: sky gradient, sun, sea), so the
image preview has something to show without a binary file in the repository."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def sunset_png(width: int = 64, height: int = 40) -> bytes:
    """An RGB PNG of `width` x `height` pixels; the same bytes every time."""
    rows = []
    horizon = height * 2 // 3
    sun_x, sun_y, sun_r = width * 2 // 3, horizon - height // 8, max(3, height // 6)
    for y in range(height):
        row = bytearray(b"\x00")  # filter type 0 (None) for every scanline
        for x in range(width):
            if y < horizon:
                t = y / max(1, horizon - 1)
                r, g, b = int(40 + 215 * t), int(60 + 110 * t), int(140 - 90 * t)
                if (x - sun_x) ** 2 + (y - sun_y) ** 2 <= sun_r**2:
                    r, g, b = 255, 220, 90
            else:
                t = (y - horizon) / max(1, height - horizon - 1)
                wave = 20 if (x + 3 * y) % 11 == 0 else 0
                r, g, b = int(20 + wave), int(70 - 30 * t + wave), int(130 - 50 * t + wave)
            row += bytes((r, g, b))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
