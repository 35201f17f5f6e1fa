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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from ossbrowse.fs.records import NO_META, ObjectRecord
from ossbrowse.fs.restore_state import NOT_NEEDED, RestoreState, RestoreStatus
from ossbrowse.fs.storage_classes import ARCHIVE_CLASSES

# RestoreState, RestoreStatus and ARCHIVE_CLASSES live in fs.restore_state and
# fs.storage_classes; they are named here too because the panes import them from here.
__all__ = [
    "ARCHIVE_CLASSES",
    "Entry",
    "EntryKind",
    "FileSystem",
    "Page",
    "RestoreState",
    "RestoreStatus",
]


class EntryKind(enum.Enum):
    FILE = "file"
    FOLDER = "folder"
    BUCKET = "bucket"


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a listing, or the answer of `stat`.

    `path` is what to hand back to the file system (absolute path or oss:// URL); `name` is the
    last segment for display (raw: escape it before printing, see `safe_text`). OSS-only fields
    are None on the local side, and may be None on OSS when a listing does not carry them
    (ListObjects gives no object type or CRC; `stat` does). An OSS object's row is built
    from its `ObjectRecord` (`from_record`), the one record of an object.
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
    # Shared defaults, not one object per row: a pane may hold a million rows.
    restore: RestoreState = NOT_NEEDED
    user_meta: Mapping[str, str] = field(default_factory=lambda: NO_META)
    region: str | None = None  # buckets only
    link_target: str | None = None  # local symbolic links: where the link points (not followed)

    @classmethod
    def from_record(cls, record: ObjectRecord, name: str, path: str) -> Entry:
        """The pane's row for an object: its name and URL, and the record's facts."""
        return cls(
            name,
            path,
            EntryKind.FILE,
            record.size,
            record.last_modified,
            record.storage_class,
            record.object_type,
            record.etag,
            record.crc64,
            record.restore,
            record.user_meta,
        )

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
