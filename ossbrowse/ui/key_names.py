"""Keys as a person types them: `=` and `/`, not Textual's names `equals_sign` and `slash`."""

from __future__ import annotations

from textual.keys import key_to_character

# Named keys kept as words (a space or a control character reads as nothing).
_WORDS = {"space", "delete", "backspace", "escape", "enter", "tab", "insert", "home", "end",
          "pageup", "pagedown", "up", "down", "left", "right"}  # fmt: skip


# Names Textual's key_to_character leaves alone.
_SIGNS = {"slash": "/", "plus": "+", "minus": "-", "asterisk": "*", "question_mark": "?",
          "equals_sign": "=", "backslash": "\\", "full_stop": ".", "comma": ",",
          "colon": ":", "semicolon": ";", "exclamation_mark": "!", "number_sign": "#"}  # fmt: skip


def key_name(key: str) -> str:
    """One Textual key name as shown: `equals_sign` -> `=`, `ctrl+l` stays `ctrl+l`."""
    if key in _SIGNS:
        return _SIGNS[key]
    if key in _WORDS or "+" in key or len(key) == 1:
        return key
    character = key_to_character(key)
    if character is not None and character.isprintable() and not character.isspace():
        return character
    return key


def pretty_keys(spec: str) -> str:
    """A comma-separated binding as shown in help and the palette: `f5 c`, `= `."""
    keys = [k for k in spec.split(",") if k]
    if "ctrl+space" in keys:
        # The same key as terminals send it (NUL): bound too, but one name is enough.
        keys = [k for k in keys if k != "ctrl+@"]
    return " ".join(key_name(k) for k in keys)
