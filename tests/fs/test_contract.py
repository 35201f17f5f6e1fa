"""The fs contract, run against both sides where the meaning is the same (local and OSS)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from ossbrowse import errors
from ossbrowse.fs.base import EntryKind, FileSystem
from ossbrowse.fs.local import LocalFileSystem


@dataclass
class Side:
    """One side with an empty folder `root` to work in, and a way to put files into it."""

    fs: FileSystem
    root: str
    put: Callable[[str, bytes], None]
    folder: Callable[[str], str]  # relative name -> the folder's path on this side
    file: Callable[[str], str]  # relative name -> the file's path on this side


def _local_side(tmp_path) -> Side:
    root = tmp_path / "root"
    root.mkdir()

    def put(rel: str, data: bytes) -> None:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    return Side(
        LocalFileSystem(),
        str(root),
        put,
        folder=lambda rel: str(root / rel),
        file=lambda rel: str(root / rel),
    )


def _oss_side(request) -> Side:
    from ossbrowse.fs.oss import OssFileSystem

    bucket = request.getfixturevalue("oss_bucket")
    fs: OssFileSystem = request.getfixturevalue("oss_fs")
    root = f"oss://{bucket.bucket_name}/root/"
    bucket.put_object("root/", b"")  # the working folder exists

    def put(rel: str, data: bytes) -> None:
        bucket.put_object("root/" + rel, data)

    return Side(fs, root, put, folder=lambda rel: root + rel + "/", file=lambda rel: root + rel)


@pytest.fixture(params=["local", "oss"])
def side(request, tmp_path) -> Side:
    made = _local_side(tmp_path) if request.param == "local" else _oss_side(request)
    yield made
    made.fs.close()


def names(entries) -> set[str]:
    return {e.name for e in entries}


def test_empty_folder_lists_nothing(side):
    side.fs.mkdir(side.folder("empty"))
    page = side.fs.list_page(side.folder("empty"))
    assert page.entries == [] and page.next_token is None


def test_listing_shows_files_and_folders(side):
    side.put("a.txt", b"hello")
    side.put("b.bin", b"")
    side.put("sub/c.txt", b"deep")
    entries = {e.name: e for e in side.fs.iter_entries(side.root)}
    assert set(entries) == {"a.txt", "b.bin", "sub"}
    assert entries["a.txt"].kind is EntryKind.FILE and entries["a.txt"].size == 5
    assert entries["b.bin"].size == 0
    assert entries["sub"].kind is EntryKind.FOLDER and entries["sub"].is_dir
    # Paths handed back work with the same file system.
    assert side.fs.stat(entries["a.txt"].path).size == 5
    assert names(side.fs.iter_entries(entries["sub"].path)) == {"c.txt"}


def test_listing_is_paged(side):
    expected = {f"f{i:02d}" for i in range(7)} | {"d1", "d2"}
    for name in expected:
        side.put(f"{name}/x" if name.startswith("d") else name, b"x")
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = side.fs.list_page(side.root, token, limit=3)
        pages += 1
        assert len(page.entries) <= 3
        seen.extend(e.name for e in page.entries)
        token = page.next_token
        if token is None:
            break
        assert pages < 20
    assert sorted(seen) == sorted(expected)  # each once, none lost
    assert pages >= 3


def test_names_with_control_characters_and_unicode_round_trip(side):
    odd = ["e\x1b[31mred.txt", "文件.txt", "tab\tname", "back\\slash"]
    for name in odd:
        side.put(name, name.encode())
    assert names(side.fs.iter_entries(side.root)) == set(odd)
    for name in odd:
        with side.fs.open_read(side.file(name)) as stream:
            assert stream.read() == name.encode()


def test_stat_file(side):
    side.put("a.txt", b"0123456789")
    entry = side.fs.stat(side.file("a.txt"))
    assert entry.name == "a.txt"
    assert entry.kind is EntryKind.FILE and not entry.is_dir
    assert entry.size == 10
    assert entry.mtime is not None and abs(entry.mtime - time.time()) < 3600


def test_stat_folder(side):
    side.put("sub/c.txt", b"x")
    entry = side.fs.stat(side.folder("sub"))
    assert entry.kind is EntryKind.FOLDER and entry.name == "sub"


def test_stat_and_exists_of_missing_things(side):
    with pytest.raises(errors.NoSuchKey):
        side.fs.stat(side.file("missing.txt"))
    with pytest.raises(errors.NotFoundError):
        side.fs.stat(side.folder("missing"))
    assert not side.fs.exists(side.file("missing.txt"))
    side.put("here.txt", b"x")
    side.put("dir/inner", b"x")
    assert side.fs.exists(side.file("here.txt"))
    assert side.fs.exists(side.folder("dir"))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, None, b"0123456789"),
        (2, 5, b"234"),
        (5, None, b"56789"),
        (0, 1, b"0"),
        (9, None, b"9"),
        (3, 100, b"3456789"),  # an end past the object's end stops at the end
        (10, None, b""),  # starting at the end: nothing
        (50, 60, b""),  # a range wholly past the end: nothing, not the whole object
        (4, 4, b""),
    ],
)
def test_open_read_ranges(side, start, end, expected):
    side.put("digits", b"0123456789")
    with side.fs.open_read(side.file("digits"), start, end) as stream:
        assert stream.read() == expected


def test_open_read_streams_in_pieces(side):
    data = os.urandom(300_000)
    side.put("blob", data)
    with side.fs.open_read(side.file("blob")) as stream:
        parts = []
        while chunk := stream.read(65536):
            assert len(chunk) <= 65536
            parts.append(chunk)
    assert b"".join(parts) == data


def test_open_read_of_missing_or_folder(side):
    with pytest.raises(errors.NoSuchKey):
        side.fs.open_read(side.file("missing"))
    side.put("sub/x", b"x")
    with pytest.raises(errors.UsageError):
        side.fs.open_read(side.folder("sub") + ("/" if side.fs.scheme == "oss" else ""))


def test_mkdir_then_listed_and_again_is_fine(side):
    side.fs.mkdir(side.folder("new"))
    side.fs.mkdir(side.folder("new"))  # existing folder: nothing to do
    (entry,) = [e for e in side.fs.iter_entries(side.root) if e.name == "new"]
    assert entry.is_dir
    assert side.fs.exists(side.folder("new"))
    assert side.fs.stat(side.folder("new")).kind is EntryKind.FOLDER


def test_mkdir_where_a_file_is_refused(side):
    side.put("taken", b"x")
    with pytest.raises(errors.AlreadyExists):
        side.fs.mkdir(side.folder("taken"))


def test_delete_file(side):
    side.put("gone.txt", b"x")
    side.fs.delete(side.file("gone.txt"))
    assert not side.fs.exists(side.file("gone.txt"))
    with pytest.raises(errors.NoSuchKey):
        side.fs.delete(side.file("gone.txt"))


def test_delete_empty_folder(side):
    side.fs.mkdir(side.folder("empty"))
    side.fs.delete(side.folder("empty"))
    assert not side.fs.exists(side.folder("empty"))
    assert "empty" not in names(side.fs.iter_entries(side.root))


def test_delete_non_empty_folder_is_refused(side):
    side.put("full/keep.txt", b"x")
    with pytest.raises(errors.FolderNotEmpty, match="not empty"):
        side.fs.delete(side.folder("full"))
    assert side.fs.exists(side.file("full/keep.txt"))


def test_read_only_refuses_writes(side):
    side.put("keep.txt", b"x")
    side.fs.read_only = True
    with pytest.raises(errors.ReadOnlyError):
        side.fs.mkdir(side.folder("no"))
    with pytest.raises(errors.ReadOnlyError):
        side.fs.delete(side.file("keep.txt"))
    assert side.fs.exists(side.file("keep.txt"))


def test_join_and_parent(side):
    joined = side.fs.join(side.root, "x.txt")
    assert joined == side.file("x.txt")
    assert side.fs.parent(joined).rstrip("/") == side.root.rstrip("/")
    assert side.fs.parent(side.folder("a")).rstrip("/") == side.root.rstrip("/")
    top = side.root
    for _ in range(10):
        above = side.fs.parent(top)
        if above is None:
            break
        top = above
    assert side.fs.parent(top) is None


def test_walk_pages_gives_every_file_with_relative_names(side):
    for rel in ["a.txt", "sub/b.txt", "sub/deeper/c.txt", "z/d.txt"]:
        side.put(rel, b"x")
    entries = [e for page in side.fs.walk_pages(side.root, limit=2) for e in page]
    files = {e.name for e in entries if not e.is_dir}
    assert files == {"a.txt", "sub/b.txt", "sub/deeper/c.txt", "z/d.txt"}
