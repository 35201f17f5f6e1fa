"""Counted nouns for the UI's sentences: "1 entry", "2 entries", never "1 entries"."""

from __future__ import annotations


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` with the noun in the right number, thousands separated: "1,204 objects"."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"
