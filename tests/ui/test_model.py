"""The pane's model alone: folders first, sort orders, cheap appends, filter, marks; and rows
that never carry a raw control character or markup from a name."""

from __future__ import annotations

from ossbrowse.fs.base import Entry, EntryKind, RestoreState, RestoreStatus
from ossbrowse.ui.model import ListingModel, SortKey
from ossbrowse.ui.rows import ASCII, UNICODE, Columns, row_cells


def f(name: str, size: int = 1, mtime: float = 0.0, **kw) -> Entry:
    return Entry(name=name, path=f"oss://b/{name}", kind=EntryKind.FILE, size=size, mtime=mtime,
                 **kw)  # fmt: skip


def d(name: str) -> Entry:
    return Entry(name=name, path=f"oss://b/{name}/", kind=EntryKind.FOLDER)


def test_folders_first_and_sort_orders():
    model = ListingModel()
    model.add([f("b", 30, 3), d("z"), f("a", 10, 5), d("c"), f("c", 20, 1)])
    assert [e.name for e in model.view] == ["c", "z", "a", "b", "c"]
    model.set_sort(SortKey.SIZE)
    assert [e.name for e in model.view][2:] == ["a", "c", "b"]
    model.set_sort(SortKey.TIME, reverse=True)
    assert [e.name for e in model.view][2:] == ["a", "b", "c"]


def test_pages_in_key_order_append_and_out_of_order_pages_resort():
    model = ListingModel()
    model.add([f("a"), f("b")])
    first_view = model.view
    model.add([f("c"), f("d")])
    assert [e.name for e in model.view] == ["a", "b", "c", "d"]
    assert first_view is not model.view
    model.add([f("0")])  # local listings come in any order
    assert [e.name for e in model.view] == ["0", "a", "b", "c", "d"]


def test_many_pages_append_without_resorting(monkeypatch):
    # The point is O(page) appends, not a resort per page: each entry's sort key is computed
    # once, when its page comes, and every in-order page only extends the view. (How long
    # 100,000 entries take is measured in benchmarks/ui.py and benchmarks/latency.py.)
    from ossbrowse.ui import model as model_module

    keyed = []
    by_name = model_module._KEYS[SortKey.NAME]
    counting = {**model_module._KEYS, SortKey.NAME: lambda e: (keyed.append(1), by_name(e))[1]}
    monkeypatch.setattr(model_module, "_KEYS", counting)
    model = ListingModel()
    pages = [[f(f"k{p:03}{i:04}") for i in range(1000)] for p in range(20)]
    assert all([model.add(page) for page in pages])  # every page only grew the view's end
    assert len(keyed) == 20_000  # one sort key per entry, none recomputed
    assert len(model.view) == 20_000
    assert [e.name for e in model.view] == sorted(e.name for page in pages for e in page)


def test_filter_and_marks():
    model = ListingModel()
    model.add([f("app.log", 100), f("db.log", 50), f("x.csv", 7), d("logs")])
    model.set_filter("LOG")
    assert [e.name for e in model.view] == ["logs", "app.log", "db.log"]
    model.set_filter("")
    assert model.mark_pattern("*.log") == 2
    assert (model.marked_count, model.marked_size) == (2, 150)
    model.invert_marks()
    assert [e.name for e in model.marked.values()] == ["x.csv"]
    assert model.mark_pattern("*", on=False) == 1
    assert model.selection(None) == []


def test_rows_escape_names_and_show_archive_state():
    cols = Columns.for_width(80, oss=True)
    hostile = f("\x1b]52;c;ZXZpbA==\x07[bold]x[/bold]")
    cells = row_cells(hostile, cols, UNICODE, marked=False)
    text = "".join(cells)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b]52" in text
    archived = f("cold.dat", storage_class="ColdArchive",
                 restore=RestoreState(RestoreStatus.NOT_RESTORED))  # fmt: skip
    assert "CA" in row_cells(archived, cols, UNICODE, False)[-1]
    assert "#" in row_cells(archived, cols, ASCII, False)[-1]
    restoring = f("r.dat", storage_class="Archive", restore=RestoreState(RestoreStatus.IN_PROGRESS))
    assert "~" in row_cells(restoring, cols, ASCII, False)[-1]
    assert all(ord(ch) < 128 for ch in "".join(row_cells(archived, cols, ASCII, True)))
