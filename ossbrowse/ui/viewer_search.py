"""Search an object for bytes, forward or backward, by ranged reads (no Textual).

The needle is text (UTF-8) or, in hex mode, hex digits (`de ad be ef`). Ranges overlap by
the needle's length less one, so a match across two ranges is found once.
"""

from __future__ import annotations

from collections.abc import Callable

from ossbrowse.errors import UsageError

SEARCH_CHUNK = 1024 * 1024

Read = Callable[[int, int], bytes]  # (start, end) -> bytes of that range


def parse_needle(text: str, hex_mode: bool) -> bytes:
    """What to look for. In hex mode hex digits are bytes; quotes make it text anyway."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].encode("utf-8")
    if hex_mode:
        digits = "".join(text.split())
        if digits and len(digits) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in digits):
            return bytes.fromhex(digits)
        if digits and all(c in "0123456789abcdefABCDEF" for c in digits):
            raise UsageError(
                "Hex search needs whole bytes: an even number of hex digits.",
                hint='Put text in quotes to search for it as text: "abc".',
            )
    return text.encode("utf-8")


def find(
    read: Read,
    size: int,
    needle: bytes,
    start: int,
    *,
    backward: bool = False,
    cancelled: Callable[[], bool] = lambda: False,
) -> int | None:
    """The offset of the first match at or after `start` (forward), or the last one that
    begins before `start` (backward); None if there is none or the search was cancelled."""
    if not needle:
        return None
    overlap = len(needle) - 1
    if not backward:
        pos = max(0, start)
        while pos < size and not cancelled():
            end = min(size, pos + SEARCH_CHUNK)
            data = read(pos, end)
            hit = data.find(needle)
            if hit >= 0:
                return pos + hit
            if end >= size or not data:
                return None
            pos = end - overlap if end - overlap > pos else end
        return None
    end = min(size, start + overlap)
    while end > 0 and not cancelled():
        begin = max(0, end - SEARCH_CHUNK)
        data = read(begin, end)
        hit = data.rfind(needle)
        while hit >= 0 and begin + hit >= start:
            hit = data.rfind(needle, 0, hit + len(needle) - 1)
        if hit >= 0:
            return begin + hit
        if begin == 0:
            return None
        end = begin + overlap
    return None
