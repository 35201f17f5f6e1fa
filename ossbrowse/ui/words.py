"""Words of the UI's sentences: counted nouns ("1 entry", never "1 entries") and the verbs'
advice rewritten for a person at the panes (there is no command to run again)."""

from __future__ import annotations

from ossbrowse.text import plural


def counted(n: int, singular: str, plural_form: str | None = None) -> str:
    """`n` with the noun in the right number, thousands separated: "1,204 objects"."""
    return plural(n, singular, plural_form)


_VERB_ADVICE = {
    "Run the same command again to finish the move.": "Move it again from the pane to finish.",
    "Run the same command again to retry what was not moved.":
        "Move it again from the pane to retry what was not moved.",
}  # fmt: skip


def for_the_ui(line: str) -> str:
    """A line of an operation's report as the UI says it."""
    for verb_text, ui_text in _VERB_ADVICE.items():
        line = line.replace(verb_text, ui_text)
    return line.replace("run the same command again", "do the same again from the pane")
