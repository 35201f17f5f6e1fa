"""The contract both panes' sides keep: entries, paged listing, stat, ranged read, mkdir, delete.

Paths are strings: an absolute local path on the local side, an `oss://bucket/key` URL on the
OSS side (`oss://` alone is the list of buckets, `oss://bucket/` the top of a bucket). Folders
end in `/` on the OSS side only. Listing is paged, never whole: a page holds at most `limit`
entries and a token for the next, so a folder of a million entries costs one page to start
showing. Nothing here imports Textual.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import BinaryIO


class EntryKind(enum.Enum):
    FILE = "file"
    FOLDER = "folder"
    BUCKET = "bucket"


class RestoreStatus(enum.Enum):
    """Where an archived object stands. NOT_NEEDED for anything readable without a restore."""

    NOT_NEEDED = "not-needed"
    NOT_RESTORED = "not-restored"
    IN_PROGRESS = "in-progress"
    RESTORED = "restored"


ARCHIVE_CLASSES = frozenset({"Archive", "ColdArchive", "DeepColdArchive"})


@dataclass(frozen=True, slots=True)
class RestoreState:
    status: RestoreStatus = RestoreStatus.NOT_NEEDED
    expires: datetime | None = None  # when a restored copy stops being readable

    @property
    def readable(self) -> bool:
        return self.status in (RestoreStatus.NOT_NEEDED, RestoreStatus.RESTORED)


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a listing, or the answer of `stat`.

    `path` is what to hand back to the file system (absolute path or oss:// URL); `name` is the
    last segment for display (raw: escape it before printing, see `safe_text`). OSS-only fields
    are None on the local side, and may be None on OSS when a listing does not carry them
    (ListObjects gives no object type or CRC; `stat` does).
    """

    name: str
    path: str
    kind: EntryKind
    size: int = 0
    mtime: float | None = None  # seconds since the epoch
    storage_class: str | None = None
    object_type: str | None = None  # Normal, Multipart, Appendable
    etag: str | None = None  # without quotes
    crc64: int | None = None
    restore: RestoreState = field(default_factory=RestoreState)
    user_meta: dict[str, str] = field(default_factory=dict)
    region: str | None = None  # buckets only
    link_target: str | None = None  # local symbolic links: where the link points (not followed)

    @property
    def is_dir(self) -> bool:
        return self.kind is not EntryKind.FILE

    @property
    def is_archived(self) -> bool:
        return self.storage_class in ARCHIVE_CLASSES


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[Entry]
    next_token: str | None  # None: this was the last page


class FileSystem(abc.ABC):
    """One side of the browser. Methods block: call them from worker threads, never the UI."""

    scheme: str  # "file" or "oss"

    @abc.abstractmethod
    def list_page(self, path: str, token: str | None = None, limit: int = 1000) -> Page:
        """One page of the folder's children; folders first is the UI's job, not this one's."""

    def iter_entries(self, path: str, limit: int = 1000) -> Iterator[Entry]:
        """Every child of `path`, page by page (memory: one page)."""
        token: str | None = None
        while True:
            page = self.list_page(path, token, limit)
            yield from page.entries
            if page.next_token is None:
                return
            token = page.next_token

    def walk_pages(self, path: str, limit: int = 1000) -> Iterator[list[Entry]]:
        """Everything below `path`, recursively, a page at a time (memory: one page per level).

        Each entry's `name` is its path relative to `path` (`a/b/c.txt`). Symbolic links to
        folders are listed but not entered, so a link loop cannot trap the walk. OSS overrides
        this with one flat listing (no delimiter), which costs one request per 1000 objects.
        """
        stack: list[tuple[str, str]] = [(path, "")]
        while stack:
            folder, relative = stack.pop()
            below: list[tuple[str, str]] = []
            token: str | None = None
            while True:
                page = self.list_page(folder, token, limit)
                entries = [replace(e, name=relative + e.name) for e in page.entries]
                below.extend(
                    (e.path, f"{e.name}/")
                    for e in entries
                    if e.kind is EntryKind.FOLDER and e.link_target is None
                )
                if entries:
                    yield entries
                if page.next_token is None:
                    break
                token = page.next_token
            stack.extend(reversed(below))

    @abc.abstractmethod
    def stat(self, path: str) -> Entry: ...

    @abc.abstractmethod
    def exists(self, path: str) -> bool: ...

    @abc.abstractmethod
    def open_read(self, path: str, start: int = 0, end: int | None = None) -> BinaryIO:
        """A stream of bytes [start, end) of a file (end None: to the end)."""

    @abc.abstractmethod
    def mkdir(self, path: str) -> None: ...

    @abc.abstractmethod
    def delete(self, path: str) -> None:
        """Delete a file, or an empty folder (an OSS folder marker)."""

    @abc.abstractmethod
    def join(self, folder: str, name: str) -> str: ...

    @abc.abstractmethod
    def parent(self, path: str) -> str | None:
        """The folder above `path`; None at the top."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""
