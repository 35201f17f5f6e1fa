"""Make names from OSS safe to show: keys and metadata come from other people.

A key may hold terminal escapes (clear screen, set title, OSC 52 clipboard writes, OSC 8
links), other control characters, or bidi overrides that make a name read backwards. Every
name printed by a verb or drawn by the UI passes through `safe_text` first.
"""

from __future__ import annotations

import unicodedata

# Bidi embedding / override / isolate controls, and other invisible format characters that can
# disguise a name. Shown as \u escapes rather than removed, so two names never look equal.
_BIDI_AND_INVISIBLE = {
    0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
    0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF,
}  # fmt: skip

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def needs_escape(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0 or code in _BIDI_AND_INVISIBLE:
        return True
    # Cc, Cf (format), Cs (lone surrogates from undecodable bytes), Co, Cn: never raw.
    return unicodedata.category(ch)[0] == "C" and ch != "\u00ad"


def safe_text(value: str) -> str:
    """`value` with every control, format and bidi character shown as a visible escape.

    Backslashes are doubled so an escape in the output cannot be forged by a name.
    """
    if value.isprintable() and "\\" not in value:
        return value
    return "".join(_escape(ch) if ch == "\\" or needs_escape(ch) else ch for ch in value)


def safe_message(value: str) -> str:
    """A message built by ossbrowse (names inside already through `safe_text`) made safe to
    print: any control, format or bidi character that slipped in is escaped. Backslashes are
    left alone, so names escaped once are not escaped twice; this is the last guard at the
    places that print errors, not a replacement for `safe_text` on names."""
    if value.isprintable():
        return value
    return "".join(_escape(ch) if needs_escape(ch) else ch for ch in value)
