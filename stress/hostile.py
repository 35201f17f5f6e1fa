"""Hostile object keys: a fixed corpus and a hypothesis strategy, shared by tests and stress.

Keys are anyone's text (1 to 1023 bytes of UTF-8, not starting with `/` or `\\`): path tricks,
terminal escapes, bidi overrides, invisible characters, names that differ only in case.
"""

from __future__ import annotations

MAX_KEY_BYTES = 1023

# Segments that try to walk out of a folder or disguise a name.
PATH_SEGMENTS = ["..", ".", "..\\..", "..\\", "a\\..\\..\\b", "~", "C:", "c:\\windows", "", " "]

# What a terminal would act on if printed raw.
ESCAPES = [
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b]0;owned\x07",  # set window title (OSC 0, BEL)
    "\x1b]2;owned\x1b\\",  # set title (OSC 2, ST)
    "\x1b]52;c;ZWNobyBvd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b[31mred\x1b[0m",  # colours
    "\x9b2J",  # C1 CSI
    "\x07\x08\x7f",  # bell, backspace, delete
    "line\nbreak\rreturn\ttab",
    "\x00nul",
]

BIDI = ["\u202etxt.exe", "abc\u2066def\u2069", "\u200bzero\u200cwidth\ufeff", "\u061carabic"]

CORPUS: list[str] = [
    "../escape.txt",
    "../../../../etc/passwd-copy",
    "a/../../b.txt",
    "./dot/file",
    "dir/./file",
    "dir/../file",
    "x/..",
    "x/.",
    "..\\win\\escape.txt",
    "dir\\..\\..\\file",
    "abs/\\etc\\x",
    "C:\\temp\\x.txt",
    "home//double//slash",
    "trailing-space ",
    "trailing-dot.",
    "dir. /file",
    "Case.txt",
    "case.txt",
    "CASE.TXT",
    "clash",  # an object beside the prefix clash/
    "clash/inside",
    "folder/",  # a folder marker
    "title/\x1b]0;owned\x07.txt",
    "clear/\x1b[2J\x1b[Hgone",
    "clip/\x1b]52;c;ZWNobyBvd25lZA==\x07",
    "link/\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "c1/\x9b31mred",
    "ctl/\x01\x02\x03\x7f",
    "nl/line\nbreak",
    "bidi/\u202egpj.exe",
    "bidi/abc\u2066def\u2069",
    "zw/\u200bzero\ufeff",
    "emoji/\U0001f600.txt",
    # Near the limit, leaving PREFIX_ROOM bytes for the prefix a test stores them under.
    "long/" + "k" * (MAX_KEY_BYTES - 5 - 40),
    "long-utf8/" + "\u00e9" * ((MAX_KEY_BYTES - 10 - 40) // 2),
]
PREFIX_ROOM = 40


def control_bytes(data: bytes) -> list[int]:
    """Byte values that would act on a terminal: C0 controls except newline, DEL, and the
    UTF-8 encodings of C1 controls (0xC2 0x80-0x9F)."""
    found = [b for b in data if (b < 0x20 and b != 0x0A) or b == 0x7F]
    found += [data[i + 1] for i in range(len(data) - 1) if data[i] == 0xC2 and data[i + 1] < 0xA0]
    return found


def hostile_keys():
    """A hypothesis strategy for valid keys built from hostile pieces and arbitrary text."""
    from hypothesis import strategies as st

    pieces = st.one_of(
        st.sampled_from(PATH_SEGMENTS + ESCAPES + BIDI),
        st.text(min_size=1, max_size=12),
        st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs"]), max_size=4),
    )
    segments = st.lists(st.lists(pieces, min_size=1, max_size=3).map("".join), max_size=5)
    return (
        segments.map("/".join)
        .map(_valid_key)
        .filter(lambda k: bool(k) and len(k.encode("utf-8")) <= MAX_KEY_BYTES)
    )


def _valid_key(key: str) -> str:
    key = key.lstrip("/\\")
    # Lone surrogates cannot be UTF-8; OSS keys are UTF-8 text.
    key = key.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(key) else key
    while len(key.encode("utf-8")) > MAX_KEY_BYTES:
        key = key[:-1]
    return key


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)
