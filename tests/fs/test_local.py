"""What only the local side has: scandir paging that starts at once, tokens, symbolic links."""

from __future__ import annotations

import os

import pytest

from ossbrowse import errors
from ossbrowse.fs import local as local_module
from ossbrowse.fs.base import EntryKind
from ossbrowse.fs.local import LocalFileSystem


@pytest.fixture
def many(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3000):
        (folder / f"f{i:05d}").touch()
    return folder


def test_first_page_does_not_read_the_whole_folder(many, monkeypatch):
    pulled = 0
    real_scandir = os.scandir

    class Counting:
        def __init__(self, path):
            self._inner = real_scandir(path)

        def __iter__(self):
            return self

        def __next__(self):
            nonlocal pulled
            item = next(self._inner)
            pulled += 1
            return item

        def close(self):
            self._inner.close()

    monkeypatch.setattr(local_module.os, "scandir", Counting)
    fs = LocalFileSystem()
    page = fs.list_page(str(many), limit=100)
    assert len(page.entries) == 100 and page.next_token
    assert pulled == 100  # one page read, not 3000 entries and a sort
    fs.close()


def test_pages_cover_the_folder_once(many):
    fs = LocalFileSystem()
    seen = []
    token = None
    while True:
        page = fs.list_page(str(many), token, limit=700)
        seen.extend(e.name for e in page.entries)
        if page.next_token is None:
            break
        token = page.next_token
    assert len(seen) == 3000 and len(set(seen)) == 3000
    assert not fs._listings  # finished listings let go of their directory handle
    fs.close()


def test_token_still_works_after_its_listing_was_let_go(many):
    fs = LocalFileSystem()
    first = fs.list_page(str(many), limit=1000)
    fs.close()  # drops every open scandir, as eviction would
    rest = list(LocalFileSystem().iter_entries(str(many)))  # reference order
    second = fs.list_page(str(many), first.next_token, limit=5000)
    names = [e.name for e in first.entries] + [e.name for e in second.entries]
    assert sorted(names) == sorted(e.name for e in rest)
    assert len(set(names)) == 3000


def test_open_listings_are_bounded(tmp_path):
    fs = LocalFileSystem()
    for i in range(local_module.MAX_OPEN_LISTINGS + 5):
        folder = tmp_path / f"d{i}"
        folder.mkdir()
        (folder / "a").touch()
        (folder / "b").touch()
        assert fs.list_page(str(folder), limit=1).next_token
    assert len(fs._listings) == local_module.MAX_OPEN_LISTINGS
    fs.close()


def test_symlinks_are_shown_and_loops_not_followed(tmp_path):
    root = tmp_path / "root"
    (root / "real").mkdir(parents=True)
    (root / "real" / "file.txt").write_bytes(b"12345")
    (root / "to-real").symlink_to(root / "real")
    (root / "real" / "up").symlink_to(root)  # a loop: root/real/up/real/up/...
    (root / "self").symlink_to(root / "self")  # a link to itself
    (root / "dangling").symlink_to(root / "gone")
    (root / "to-file").symlink_to(root / "real" / "file.txt")
    fs = LocalFileSystem()
    entries = {e.name: e for e in fs.iter_entries(str(root))}
    assert entries["to-real"].kind is EntryKind.FOLDER
    assert entries["to-real"].link_target == str(root / "real")
    assert entries["self"].kind is EntryKind.FILE and entries["self"].link_target
    assert entries["dangling"].kind is EntryKind.FILE
    assert entries["to-file"].size == 5 and entries["to-file"].link_target
    assert entries["real"].link_target is None
    walked = [e.name for page in fs.walk_pages(str(root)) for e in page]
    assert sorted(walked) == sorted(
        ["real", "to-real", "self", "dangling", "to-file", "real/file.txt", "real/up"]
    )
    assert fs.stat(str(root / "self")).link_target is not None  # no ELOOP error


def test_delete_of_a_link_removes_the_link_not_the_target(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "keep").touch()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    LocalFileSystem().delete(str(tmp_path / "link"))
    assert not os.path.lexists(tmp_path / "link")
    assert (tmp_path / "real" / "keep").exists()


def test_listing_a_file_or_a_missing_folder(tmp_path):
    (tmp_path / "f").touch()
    fs = LocalFileSystem()
    with pytest.raises(errors.NotAFolder):
        fs.list_page(str(tmp_path / "f"))
    with pytest.raises(errors.NoSuchKey, match="does not exist"):
        fs.list_page(str(tmp_path / "missing"))


def test_mkdir_makes_parents(tmp_path):
    LocalFileSystem().mkdir(str(tmp_path / "a" / "b" / "c"))
    assert (tmp_path / "a" / "b" / "c").is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_folder_is_access_denied(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        with pytest.raises(errors.AccessDenied, match="Permission denied"):
            LocalFileSystem().list_page(str(locked))
    finally:
        locked.chmod(0o700)


def test_paths_are_normalized(tmp_path):
    fs = LocalFileSystem()
    (tmp_path / "x").touch()
    assert fs.stat(str(tmp_path) + "/./x").path == str(tmp_path / "x")
    assert fs.parent("/") is None
    assert fs.join(str(tmp_path), "x") == str(tmp_path / "x")


def test_sorted_pages_order_names_as_oss_does_and_stat_a_page_at_a_time(tmp_path, monkeypatch):
    # `ls` of a local folder: names in the bytes order OSS lists keys in, a folder's name with
    # its trailing "/" ("a-b" sorts before "a/"), a link to a folder as a folder, undecodable
    # names in place, pages of `limit`; entries are stat'ed only as their page is taken.
    (tmp_path / "a").mkdir()
    (tmp_path / "a-b").write_bytes(b"1")
    (tmp_path / "B").write_bytes(b"22")
    os.symlink(tmp_path / "a", tmp_path / "link")
    os.close(os.open(os.fsencode(tmp_path) + b"/z\xff", os.O_CREAT | os.O_WRONLY))
    fs = LocalFileSystem()
    stats: list[str] = []
    real = LocalFileSystem._entry_from_dir_entry

    def counted(dir_entry):
        stats.append(dir_entry.name)
        return real(dir_entry)

    monkeypatch.setattr(LocalFileSystem, "_entry_from_dir_entry", staticmethod(counted))
    pages = fs.sorted_pages(str(tmp_path), limit=2)
    first = next(pages)
    assert [e.name for e in first] == ["B", "a-b"] and len(stats) == 2
    rest = [e for page in pages for e in page]
    assert [e.name for e in rest] == ["a", "link", os.fsdecode(b"z\xff")]
    assert rest[1].is_dir and first[0].size == 2
    with pytest.raises(errors.NotAFolder):
        next(fs.sorted_pages(str(tmp_path / "B")))
    with pytest.raises(errors.NotFoundError):
        next(fs.sorted_pages(str(tmp_path / "missing")))
