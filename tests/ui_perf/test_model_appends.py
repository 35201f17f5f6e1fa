"""The listing model tells a cheap append (rows already shown keep their place) from a change
that moves rows, and finds an entry from a given row on."""

from __future__ import annotations

from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.ui.model import ListingModel, SortKey


def f(name: str) -> Entry:
    return Entry(name=name, path=f"oss://b/{name}", kind=EntryKind.FILE)


def d(name: str) -> Entry:
    return Entry(name=name, path=f"oss://b/{name}/", kind=EntryKind.FOLDER)


def test_pages_in_order_are_appends():
    model = ListingModel()
    assert model.add([d("a"), f("b")])
    assert model.add([f("c"), f("d")])
    assert model.add([])  # the last, empty page of a listing
    assert [e.name for e in model.view] == ["a", "b", "c", "d"]


def test_a_folder_after_files_moves_them_down():
    model = ListingModel()
    assert model.add([f("a"), f("b")])
    assert not model.add([d("c")])  # folders first: "c/" goes above "a"
    assert [e.name for e in model.view] == ["c", "a", "b"]


def test_out_of_order_filtered_or_other_sorts_are_not_appends():
    model = ListingModel()
    model.add([f("m")])
    assert not model.add([f("a")])
    model.set_filter("z")
    assert not model.add([f("z1")])
    model.set_filter("")
    model.set_sort(SortKey.SIZE)
    assert [e.name for e in model.view] == ["a", "m", "z1"]


def test_index_of_from_a_row_on():
    model = ListingModel()
    model.add([f("a"), f("b"), f("c")])
    assert model.index_of("oss://b/b") == 1
    assert model.index_of("oss://b/b", start=1) == 1
    assert model.index_of("oss://b/b", start=2) is None
    assert model.index_of("oss://b/zzz") is None
