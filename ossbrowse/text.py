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


_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def human_size(size: float) -> str:
    """A binary size at most 9 characters wide, so it never runs into the next column.

    Bytes are whole (`1023 B`); larger units get one decimal below 1000 (`999.9 MiB`), and
    1000 to 1023.9 of a unit is shown in the next unit with two decimals (`0.98 GiB`) instead
    of the 10-character `1000.0 MiB`.
    """
    value = float(size)
    if abs(value) < 1024:
        return f"{int(value)} B"
    for unit in _UNITS[1:]:
        value /= 1024
        if abs(round(value, 1)) < 1000 or unit == _UNITS[-1]:  # 999.96 would print 1000.0
            return f"{value:.1f} {unit}"
        if abs(value) < 1024:
            return f"{value / 1024:.2f} {_UNITS[_UNITS.index(unit) + 1]}"
    return f"{value:.1f} {_UNITS[-1]}"  # pragma: no cover - the loop always returns


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 entry`, `2 entries`, `1,000 archived objects`: the count with the right word form.

    Without `plural_form`, `-y` after a consonant becomes `-ies` and everything else takes
    `-s` (`difference` -> `differences`, `object` -> `objects`)."""
    if count == 1:
        return f"1 {singular}"
    if plural_form is None:
        if singular.endswith("y") and singular[-2:-1] not in ("a", "e", "i", "o", "u"):
            plural_form = singular[:-1] + "ies"
        elif singular.endswith(("s", "x", "ch", "sh")):
            plural_form = singular + "es"
        else:
            plural_form = singular + "s"
    return f"{count:,} {plural_form}"
