"""The local side of the contract: paged `os.scandir` listing, stat, ranged reads, mkdir, delete.

A folder of 200,000 files must start showing at once, so a listing never sorts or reads the
whole folder: the `os.scandir` iterator stays open between pages, held here under an opaque
token. A token that is no longer held (evicted, or from another process) still works: the
folder is scanned again and the entries already handed out are skipped.
"""

from __future__ import annotations

import io
import itertools
import os
import stat as stat_mod
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, Protocol

from ossbrowse import errors
from ossbrowse.fs.base import Entry, EntryKind, FileSystem, Page

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

# Open scandir iterators are file descriptors: keep only a few listings in flight.
MAX_OPEN_LISTINGS = 32


class _DirIterator(Protocol):
    """What `os.scandir` answers: its entries, and `close()` to free the descriptor."""

    def __iter__(self) -> Iterator[os.DirEntry[str]]: ...

    def __next__(self) -> os.DirEntry[str]: ...

    def close(self) -> None: ...


class _Listing:
    __slots__ = ("iterator", "path", "position")

    def __init__(self, path: str, iterator: _DirIterator, position: int = 0) -> None:
        self.path = path
        self.iterator = iterator
        self.position = position


def _entry_from_stat(name: str, path: str, st: os.stat_result, link_target: str | None) -> Entry:
    is_dir = stat_mod.S_ISDIR(st.st_mode)
    return Entry(
        name=name,
        path=path,
        kind=EntryKind.FOLDER if is_dir else EntryKind.FILE,
        size=0 if is_dir else st.st_size,
        mtime=st.st_mtime,
        link_target=link_target,
    )


def _stat_following(
    path: str, lstat_result: os.stat_result | None = None
) -> tuple[os.stat_result, str | None]:
    """(stat, link target): links are followed for kind and size; a broken link or a loop
    falls back to the link itself, so it still shows (as a file) instead of failing."""
    lst = lstat_result if lstat_result is not None else os.lstat(path)
    if not stat_mod.S_ISLNK(lst.st_mode):
        return lst, None
    try:
        target = os.readlink(path)
    except OSError:
        target = ""
    try:
        return os.stat(path), target
    except OSError:
        return lst, target


class LocalFileSystem(FileSystem):
    """Absolute local paths. Listing order is the directory's own (unsorted) order."""

    scheme = "file"

    def __init__(self, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self._listings: OrderedDict[str, _Listing] = OrderedDict()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    # listing

    def list_page(self, path: str, token: str | None = None, limit: int = 1000) -> Page:
        path = self._norm(path)
        limit = max(1, limit)
        listing = self._take_listing(path, token)
        entries: list[Entry] = []
        try:
            for dir_entry in listing.iterator:
                entries.append(self._entry_from_dir_entry(dir_entry))
                listing.position += 1
                if len(entries) >= limit:
                    break
            else:
                listing.iterator.close()
                return Page(entries, None)
        except OSError as exc:
            listing.iterator.close()
            raise errors.from_os_error(exc, path, doing="list") from None
        # Peeking would cost an entry; a last page that happens to be full is followed by an
        # empty one, which the contract allows.
        new_token = f"{next(self._ids)}:{listing.position}"
        self._keep_listing(new_token, listing)
        return Page(entries, new_token)

    def sorted_pages(self, path: str, limit: int = 1000) -> Iterator[list[Entry]]:
        """The folder's entries in OSS's order (the bytes of the name, a folder's with its
        trailing `/`), a page at a time, as `ls` prints them.

        Sorting needs every name before the first line, but not every stat: names and kinds
        come from one readdir (no stat but for symbolic links), and each page is stat'ed as it
        is taken. The first line of a folder of 50,000 files costs a readdir and a sort, not
        50,000 stats."""
        path = self._norm(path)
        named: list[tuple[bytes, os.DirEntry[str]]] = []
        try:
            with os.scandir(path) as iterator:
                for dir_entry in iterator:
                    try:
                        is_dir = dir_entry.is_dir()
                    except OSError:
                        is_dir = False
                    shown = dir_entry.name + "/" if is_dir else dir_entry.name
                    named.append((shown.encode("utf-8", "surrogateescape"), dir_entry))
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="list") from None
        named.sort(key=lambda pair: pair[0])
        for start in range(0, len(named), max(1, limit)):
            yield [self._entry_from_dir_entry(d) for _, d in named[start : start + limit]]

    def _take_listing(self, path: str, token: str | None) -> _Listing:
        if token:
            with self._lock:
                held = self._listings.pop(token, None)
            if held is not None and held.path == path:
                return held
            if held is not None:
                held.iterator.close()
        skip = 0
        if token:
            try:
                skip = int(token.rsplit(":", 1)[-1])
            except ValueError:
                raise errors.UsageError(f"Listing token {token!r} is not one this gave.") from None
        try:
            iterator = os.scandir(path)
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="list") from None
        listing = _Listing(path, iterator)
        for _ in itertools.islice(iterator, skip):
            listing.position += 1
        return listing

    def _keep_listing(self, token: str, listing: _Listing) -> None:
        with self._lock:
            self._listings[token] = listing
            while len(self._listings) > MAX_OPEN_LISTINGS:
                _, oldest = self._listings.popitem(last=False)
                oldest.iterator.close()

    @staticmethod
    def _entry_from_dir_entry(dir_entry: os.DirEntry[str]) -> Entry:
        try:
            lst = dir_entry.stat(follow_symlinks=False)
        except OSError:
            # Vanished between readdir and stat: show the name, nothing more is known.
            return Entry(name=dir_entry.name, path=dir_entry.path, kind=EntryKind.FILE)
        st, target = _stat_following(dir_entry.path, lst)
        return _entry_from_stat(dir_entry.name, dir_entry.path, st, target)

    # single entries

    def stat(self, path: str) -> Entry:
        path = self._norm(path)
        try:
            st, target = _stat_following(path)
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="read") from None
        return _entry_from_stat(os.path.basename(path) or path, path, st, target)

    def exists(self, path: str) -> bool:
        return os.path.lexists(self._norm(path))

    def open_read(self, path: str, start: int = 0, end: int | None = None) -> BinaryIO:
        path = self._norm(path)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - the caller closes it
        except IsADirectoryError:
            raise errors.UsageError(
                f"{errors._safe(path)} is a folder, not a file.", hint="Open a file inside it."
            ) from None
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="read") from None
        start = max(0, start)
        if start:
            handle.seek(start)
        if end is None:
            return handle
        return io.BufferedReader(_Limited(handle, max(0, end - start)))

    # writing

    def _check_writable(self, path: str) -> None:
        if self.read_only:
            raise errors.ReadOnlyError(
                f"Refused to change {errors._safe(path)}: this session is read-only.",
                hint="Start without --read-only.",
            )

    def mkdir(self, path: str) -> None:
        """Create the folder and any missing parents (as OSS needs none); existing is fine."""
        path = self._norm(path)
        self._check_writable(path)
        if os.path.lexists(path) and not os.path.isdir(path):
            raise errors.AlreadyExists(
                f"{errors._safe(path)} is a file; a folder cannot be made there.",
                hint="Pick another name.",
            )
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="create") from None

    def delete(self, path: str) -> None:
        """Delete a file or link (never what it points to), or an empty folder."""
        path = self._norm(path)
        self._check_writable(path)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                os.rmdir(path)
            else:
                os.unlink(path)
        except OSError as exc:
            raise errors.from_os_error(exc, path, doing="delete") from None

    # paths

    def join(self, folder: str, name: str) -> str:
        return os.path.join(self._norm(folder), name)

    def parent(self, path: str) -> str | None:
        path = self._norm(path)
        above = os.path.dirname(path)
        return None if above == path else above

    def close(self) -> None:
        with self._lock:
            listings = list(self._listings.values())
            self._listings.clear()
        for listing in listings:
            listing.iterator.close()

    @staticmethod
    def _norm(path: str) -> str:
        # Absolute, without a trailing slash (except the root); `..` resolved textually so a
        # listing token and a path compare equal however the path was spelled.
        return os.path.abspath(os.path.expanduser(path))


class _Limited(io.RawIOBase):
    """At most `left` bytes of an open file, for ranged reads."""

    def __init__(self, handle: BinaryIO, left: int) -> None:
        super().__init__()
        self._handle = handle
        self._left = left

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)[: self._left]
        count = self._handle.readinto(view)  # type: ignore[attr-defined]
        self._left -= count or 0
        return count or 0

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
        super().close()
