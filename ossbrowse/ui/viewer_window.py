"""What the viewer holds of an object: one contiguous byte range, drawn as text or hex lines.

Plain Python (no Textual). The window starts anywhere (End reads the last range, go-to reads
around an offset) and grows by ranges as the user scrolls either way; nothing outside it is
read. Text is split on b"\\n" before decoding (a UTF-8 character never holds that byte), so
each line's byte offset is known: a search hit or an offset maps to its line.
"""

from __future__ import annotations

from bisect import bisect_right

from ossbrowse.text import safe_text

CHUNK = 64 * 1024


def hex_line(row: bytes, offset: int) -> str:
    hexes = " ".join(f"{b:02x}" for b in row)
    text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
    return f"{offset:08x}  {hexes:<47}  |{text}|"


def hex_lines(data: bytes, offset: int) -> list[str]:
    return [hex_line(data[i : i + 16], offset + i) for i in range(0, len(data), 16)]


class ByteWindow:
    """Bytes [start, end) of an object of `size` bytes."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.start = 0
        self.data = b""

    @property
    def end(self) -> int:
        return self.start + len(self.data)

    @property
    def at_start(self) -> bool:
        return self.start <= 0

    @property
    def at_end(self) -> bool:
        return self.end >= self.size

    def reset(self, start: int) -> None:
        self.start = max(0, min(start, self.size))
        self.data = b""

    def next_range(self) -> tuple[int, int] | None:
        if self.at_end:
            return None
        return self.end, min(self.size, self.end + CHUNK)

    def previous_range(self) -> tuple[int, int] | None:
        if self.at_start:
            return None
        return max(0, self.start - CHUNK), self.start

    def add(self, start: int, data: bytes) -> bool:
        """Put a range read for `next_range` or `previous_range` in; False if it no longer
        fits (the window moved meanwhile)."""
        if start == self.end:
            self.data += data
            if not data:
                self.size = self.end  # the object was shorter than its listing said
            return True
        if start + len(data) == self.start:
            self.start = start
            self.data = data + self.data
            return True
        return False

    def render(self, hex_mode: bool) -> tuple[list[str], list[int]]:
        """The lines and the byte offset where each starts."""
        if hex_mode:
            aligned = self.start - self.start % 16
            pad = self.start - aligned  # the first row starts on a multiple of 16
            data = self.data
            lines, offsets = [], []
            for i in range(-pad, len(data), 16):
                row = data[max(0, i) : i + 16]
                lines.append(hex_line(row, self.start + max(0, i)))
                offsets.append(self.start + max(0, i))
            return lines, offsets
        pieces = self.data.split(b"\n")
        offset = self.start
        lines, offsets = [], []
        for n, piece in enumerate(pieces):
            piece_start = offset
            offset += len(piece) + 1
            if n == 0 and not self.at_start and len(pieces) > 1:
                continue  # the first line began before the window: shown once it is read
            if n == len(pieces) - 1:
                if not piece and len(pieces) > 1:
                    break  # the text ended with a newline
                if not self.at_end and len(pieces) > 1:
                    break  # cut by the window: shown whole once the rest is read
            text = piece.decode("utf-8", errors="replace").rstrip("\r").expandtabs(4)
            lines.append(safe_text(text))
            offsets.append(piece_start)
        return lines, offsets


def line_of(offsets: list[int], offset: int) -> int:
    """The index of the line holding byte `offset` (0 when before the first line)."""
    return max(0, bisect_right(offsets, offset) - 1)
