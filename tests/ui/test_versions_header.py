"""The versions view's header: the count in words that agree with it, and the bucket's state."""

from __future__ import annotations

from ossbrowse.ui.versions_view import header_note


def test_the_header_counts_in_the_right_number():
    assert (
        header_note(1, "")
        == "1 version or delete marker, versioning never enabled (V or Esc: back)"
    )
    assert header_note(0, "Enabled").startswith("0 versions and delete markers, versioning on")
    assert header_note(1200, "Suspended").startswith(
        "1,200 versions and delete markers, versioning suspended"
    )


def test_undelete_after_says_the_time_it_starts_from():
    from ossbrowse.ui.version_actions import since_words

    day = 1_765_000_000.0  # 2025-12-06 05:46:40 UTC
    assert since_words(day, "1d") == "since 2025-12-06 05:46:40 UTC (the last 1d)"
    assert since_words(day, "2025-12-06T05:46:40Z") == "since 2025-12-06 05:46:40 UTC"
