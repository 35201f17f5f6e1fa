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
import inspect
import re
from collections.abc import Iterator, Mapping
from dataclasses import FrozenInstanceError, dataclass
from typing import Any, BinaryIO

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
    "Folder",
    "Page",
    "RestoreState",
    "RestoreStatus",
]


class EntryKind(enum.Enum):
    FILE = "file"
    FOLDER = "folder"
    BUCKET = "bucket"


class Folder(str):
    """A listed folder's own path (`oss://bucket/prefix/`), shared by the rows listed in it.

    A row that holds one builds its `path` as folder + name when asked, instead of keeping a
    full URL of its own (about 80 bytes a row in a pane of a million)."""

    __slots__ = ()


# ETags of single-part uploads are 32 hexadecimal digits: kept as a number (48 bytes, not 88).
_HEX_ETAG = re.compile(r"[0-9A-F]{32}")
_NO_EXTRA = (None, NOT_NEEDED, NO_META, None, None)


class Entry:
    """One row of a listing, or the answer of `stat`.

    `path` is what to hand back to the file system (absolute path or oss:// URL); `name` is the
    last segment for display (raw: escape it before printing, see `safe_text`). OSS-only fields
    are None on the local side, and may be None on OSS when a listing does not carry them
    (ListObjects gives no object type or CRC; `stat` does). An OSS object's row is built
    from its `ObjectRecord` (`from_record`), the one record of an object.

    A value, as a frozen dataclass is (`dataclasses.replace` works, fields cannot be assigned,
    equal fields make equal entries), but compact, because a pane may hold a million: the
    path of a listed row is its folder's shared `Folder` plus its name, a hexadecimal ETag is
    kept as a number, and the fields that are nearly always empty (CRC, restore state, user
    metadata, region, link target) share one tuple until one of them is set.
    """

    __slots__ = (
        "_at",
        "_etag",
        "_extra",
        "kind",
        "mtime",
        "name",
        "object_type",
        "size",
        "storage_class",
    )

    name: str
    kind: EntryKind
    size: int
    mtime: float | None  # seconds since the epoch
    storage_class: str | None
    object_type: str | None  # Normal, Multipart, Appendable
    _at: str  # the whole path, or the Folder the name is appended to
    _etag: str | int | None
    _extra: tuple[int | None, RestoreState, Mapping[str, str], str | None, str | None]

    def __init__(
        self,
        name: str,
        path: str,
        kind: EntryKind,
        size: int = 0,
        mtime: float | None = None,
        storage_class: str | None = None,
        object_type: str | None = None,
        etag: str | None = None,  # without quotes
        crc64: int | None = None,
        restore: RestoreState = NOT_NEEDED,
        user_meta: Mapping[str, str] = NO_META,
        region: str | None = None,  # buckets only
        link_target: str | None = None,  # local symbolic links: where the link points
    ) -> None:
        _set_name(self, name)
        # A Folder given as the path itself is a whole path, not a base to append to.
        _set_at(self, str(path) if type(path) is Folder else path)
        _set_kind(self, kind)
        _set_size(self, size)
        _set_mtime(self, mtime)
        _set_class(self, storage_class)
        _set_type(self, object_type)
        _set_etag(self, _compact_etag(etag))
        extra = (crc64, restore, user_meta, region, link_target)
        _set_extra(self, _NO_EXTRA if extra == _NO_EXTRA else extra)

    @classmethod
    def from_record(cls, record: ObjectRecord, name: str, path: str) -> Entry:
        """The pane's row for an object: its name and URL (or the `Folder` the name is in),
        and the record's facts."""
        entry = _new(cls)
        _set_name(entry, name)
        _set_at(entry, path)
        _set_kind(entry, EntryKind.FILE)
        _set_size(entry, record.size)
        _set_mtime(entry, record.last_modified)
        _set_class(entry, record.storage_class)
        _set_type(entry, record.object_type)
        _set_etag(entry, _compact_etag(record.etag))
        crc, restore, meta = record.crc64, record.restore, record.user_meta
        if crc is None and restore is NOT_NEEDED and meta is NO_META:
            _set_extra(entry, _NO_EXTRA)
        else:
            _set_extra(entry, (crc, restore, meta, None, None))
        return entry

    @property
    def path(self) -> str:
        at = self._at
        return at + self.name if type(at) is Folder else at

    @property
    def etag(self) -> str | None:
        etag = self._etag
        return f"{etag:032X}" if isinstance(etag, int) else etag

    @property
    def crc64(self) -> int | None:
        return self._extra[0]

    @property
    def restore(self) -> RestoreState:
        return self._extra[1]

    @property
    def user_meta(self) -> Mapping[str, str]:
        return self._extra[2]

    @property
    def region(self) -> str | None:
        return self._extra[3]

    @property
    def link_target(self) -> str | None:
        return self._extra[4]

    @property
    def is_dir(self) -> bool:
        return self.kind is not EntryKind.FILE

    @property
    def is_archived(self) -> bool:
        return self.storage_class in ARCHIVE_CLASSES

    def replace(self, **changes: Any) -> Entry:
        """A copy with some fields changed (as `dataclasses.replace`, typed)."""
        values: dict[str, Any] = dict(zip(_FIELDS, self._values(), strict=True))
        values.update(changes)
        return self.__class__(**values)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values()[:10])  # not user_meta: a mapping does not hash

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in _FIELDS)
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __reduce__(self) -> tuple[type[Entry], tuple[object, ...]]:
        return self.__class__, self._values()


_FIELDS = tuple(inspect.signature(Entry.__init__).parameters)[1:]
# Slots are filled through their descriptors: fast, and past the frozen __setattr__.
_new = object.__new__
_set_name = Entry.__dict__["name"].__set__
_set_at = Entry.__dict__["_at"].__set__
_set_kind = Entry.__dict__["kind"].__set__
_set_size = Entry.__dict__["size"].__set__
_set_mtime = Entry.__dict__["mtime"].__set__
_set_class = Entry.__dict__["storage_class"].__set__
_set_type = Entry.__dict__["object_type"].__set__
_set_etag = Entry.__dict__["_etag"].__set__
_set_extra = Entry.__dict__["_extra"].__set__
# `dataclasses.replace(entry, name=...)` and `dataclasses.fields(Entry)` keep working: the
# fields are described as a dataclass's are; nothing is generated (init, eq, repr are above).
Entry.__annotations__ = {name: object for name in _FIELDS}
dataclass(init=False, repr=False, eq=False)(Entry)
del Entry.__annotations__


def _compact_etag(etag: str | None) -> str | int | None:
    if etag is not None and len(etag) == 32 and _HEX_ETAG.fullmatch(etag):
        return int(etag, 16)
    return etag


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
                entries = [e.replace(name=relative + e.name) for e in page.entries]
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
