"""The usage view's rows, without an app: order, the rest of the files in one row, bars split
by class and scaled to the largest, parents of paths."""

from __future__ import annotations

from ossbrowse.ops.usage import UsageReport
from ossbrowse.ops.usage_tally import UsageTally
from ossbrowse.ui.usage_rows import bar, parent_path, render_item, usage_items


def report(largest: int) -> UsageReport:
    tally = UsageTally(1, 0.0, largest=largest)
    tally.add_objects(
        [
            ("p/a/1", 600, "Standard", 0.0),
            ("p/a/2", 200, "IA", 0.0),
            ("p/b/1", 100, "Archive", 0.0),
            ("p/x", 300, "Standard", 0.0),
            ("p/y", 50, "Standard", 0.0),
            ("p/z", 10, "IA", 0.0),
        ],
        cut=2,
    )
    return UsageReport("oss://bk/p/", 1, tally.rows(), tally.largest_files(), complete=True)


def test_items_biggest_first_with_the_rest_of_the_files_in_one_row():
    items = usage_items(report(largest=1))
    assert [(i.name, i.bytes, i.objects) for i in items] == [
        ("a/", 800, 2),
        ("x", 300, 1),
        ("b/", 100, 1),
        ("(2 more files)", 60, 2),
    ]
    assert items[0].walk == "oss://bk/p/a/" and items[0].classes == (("Standard", 600), ("IA", 200))
    assert items[1].path == "oss://bk/p/x" and items[1].walk is None
    assert items[3].path is None  # nothing to select for the rest
    everything = usage_items(report(largest=10))
    assert [i.name for i in everything] == ["a/", "x", "b/", "y", "z"]


def test_bars_are_split_by_class_and_scaled_to_the_largest():
    items = usage_items(report(largest=1))
    assert str(bar(items[0], 800, plain=True)) == "S" * 18 + "I" * 6
    assert str(bar(items[2], 800, plain=True)) == "AAA" + " " * 21
    assert str(bar(items[3], 800, plain=True)) == ".." + " " * 22  # no classes kept for them
    line = str(render_item(items[0], 800, 1260, plain=True))
    bars = "S" * 18 + "I" * 6
    assert line == f"    800 B [{bars}]  63.5%           2  a/  1 inside minimum duration"


def test_parents():
    assert parent_path("oss://bk/a/b/") == "oss://bk/a/"
    assert parent_path("oss://bk/a/") == "oss://bk/"
    assert parent_path("oss://bk/") is None
    assert parent_path("/tmp/x") == "/tmp"
    assert parent_path("/") is None


def test_past_the_most_rows_the_smallest_share_one():
    from ossbrowse.ui.usage_rows import fold_rest

    items = usage_items(report(largest=10))
    folded = fold_rest(items, 3)
    assert [(i.name, i.bytes, i.objects) for i in folded] == [
        ("a/", 800, 2),
        ("x", 300, 1),
        ("(3 smaller entries)", 160, 3),
    ]
    assert fold_rest(items, 10) == items


def test_a_row_fits_its_width_and_never_wraps():
    items = usage_items(report(largest=1))
    for width in (56, 60, 76, 116):
        line = render_item(items[0], 800, 1260, plain=True, width=width)
        assert line.cell_len <= width and "\n" not in line.plain
        assert "a/" in line.plain  # the name is what is read: the bar gives way first
    wide = render_item(items[0], 800, 1260, plain=True, width=116).plain
    assert wide.startswith("    800 B [" + "S" * 18 + "I" * 6 + "]  63.5%")
    narrow = render_item(items[0], 800, 1260, plain=True, width=56).plain
    assert "%" not in narrow and narrow.endswith("…")  # the share went, the note is cut
