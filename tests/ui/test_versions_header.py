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


def test_columns_leave_the_name_room_on_a_narrow_terminal():
    from ossbrowse.ui.versions_view import VersionList

    for width in (58, 60, 76, 80, 116):
        name_w, size_w, time_w, class_w, version_w = VersionList.widths(width)
        # the row: name, size, time, class, version id, a space, the state (13)
        assert name_w + size_w + time_w + class_w + version_w + 1 + 13 <= width
        assert name_w >= 14
    assert VersionList.widths(60)[2] == 0 and VersionList.widths(80)[2] == 17  # time gives way
