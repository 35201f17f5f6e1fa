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


def test_pages_merged_in_any_order_equal_a_full_sort():
    import random

    rng = random.Random(5)
    entries = [
        Entry(name=f"n{i:04d}", path=f"oss://b/n{i:04d}", kind=EntryKind.FILE,
              size=rng.randint(0, 50), mtime=float(rng.randint(0, 50)))
        for i in range(2_000)
    ] + [d(f"dir{i:03d}") for i in range(30)]  # fmt: skip
    rng.shuffle(entries)
    keys = {
        SortKey.NAME: lambda e: e.name,
        SortKey.SIZE: lambda e: (e.size, e.name),
        SortKey.TIME: lambda e: (e.mtime or 0.0, e.name),
    }
    for sort_key, key in keys.items():
        for reverse in (False, True):
            model = ListingModel()
            model.set_sort(sort_key, reverse)
            for start in range(0, len(entries), 300):
                model.add(entries[start : start + 300])
            folders = sorted((e for e in entries if e.is_dir), key=key, reverse=reverse)
            files = sorted((e for e in entries if not e.is_dir), key=key, reverse=reverse)
            assert model.view == folders + files, (sort_key, reverse)
            model.set_sort(SortKey.NAME, False)  # and back, from the kept keys
            assert [e.name for e in model.view][:30] == [f"dir{i:03d}" for i in range(30)]
