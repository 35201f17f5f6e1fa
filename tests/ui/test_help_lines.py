"""The help screen says every key's whole title, at any width: a long one goes on under itself
(cut, "versions and delete markers of this folder (versi..." lost what V does)."""

from __future__ import annotations

from ossbrowse.ui import keys
from ossbrowse.ui.dialogs.help import help_lines


def test_every_title_is_there_whole_on_a_wide_screen():
    for width in (100, 116, 160):
        lines = help_lines({}, width)
        assert all(len(line) <= width for line in lines)
        ids = sorted({spec.id for spec in keys.ALL_KEYS}, key=len, reverse=True)
        text = " ".join(lines)
        assert all(key_id in text for key_id in ids)
        for key_id in ids:  # the id column sits between a title's first line and the next
            text = text.replace(key_id, " ")
        text = " ".join(text.split())
        for spec in keys.ALL_KEYS:
            assert " ".join(spec.title.split()) in text, (width, spec.title)
        assert "..." not in text
