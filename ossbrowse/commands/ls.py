"""`ossbrowse ls URL [-l] [--recursive] [filters] [--json]`: list a bucket, a prefix or a local
folder by pages. With filters (`ops.filters`), files are shown when selected; in a one-level
listing a folder is hidden only by a rule naming it (`--exclude 'cache/'`)."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ossbrowse.cli import add_connection_arguments, add_read_only_argument
from ossbrowse.ops.filters import add_filter_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.base import Entry, FileSystem
    from ossbrowse.fs.local import LocalFileSystem
    from ossbrowse.ops.filters import Filter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default="oss://",
        help="oss://bucket/prefix/, oss:// for the buckets, or a local folder (default oss://)",
    )
    parser.add_argument(
        "-l", "--long", action="store_true", help="sizes, storage class and modified time"
    )
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="everything below, not just one level"
    )
    parser.add_argument(
        "--bytes",
        action="store_true",
        help="long listing with exact sizes in bytes (2048, not 2.0 KiB); implies -l",
    )
    parser.add_argument(
        "--versions",
        "--all-versions",
        dest="versions",
        action="store_true",
        help="every version and delete marker of a versioned bucket, newest first per key",
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, one object a line")
    add_filter_arguments(parser)
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "versions", False):
        from ossbrowse.commands.ls_versions import run as list_versions

        return list_versions(args)
    from ossbrowse.commands._shared import filesystem_for, write_lines
    from ossbrowse.errors import NotAFolder
    from ossbrowse.fs.url import is_oss_url
    from ossbrowse.ops.filters import from_args, refuse_classes_locally

    filt = from_args(args)
    if not is_oss_url(args.path):
        refuse_classes_locally(filt, args.path)
    fs = filesystem_for(args.path, args)
    listed = 0
    exact = bool(args.bytes)
    args.long = args.long or exact

    def show(entries: list[Entry]) -> None:
        if args.json:
            _json_page(entries)
        else:
            write_lines([_line(e, args.long, exact) for e in entries])

    try:
        local = None if is_oss_url(args.path) else _local(fs)  # no local module for OSS
        if local is not None and not args.recursive:
            pages = local.sorted_pages(args.path)
        else:
            pages = fs.walk_pages(args.path) if args.recursive else _pages(fs, args.path)
            if not is_oss_url(args.path):
                pages = _sorted(pages)
        try:
            for entries in pages:
                listed += len(entries)
                show(_selected(entries, filt, args.recursive) if filt.active else entries)
        except NotAFolder:
            if listed:
                raise
        if listed == 0:
            # Nothing listed: a folder that exists but is empty prints nothing; a file is
            # shown as itself (like ls); something that is not there is an error.
            entry = fs.stat(args.path)
            if not entry.is_dir and (not filt.active or filt.matches(entry, entry.name)):
                show([entry])
    finally:
        fs.close()
    return 0


def _local(fs: FileSystem) -> LocalFileSystem | None:
    from ossbrowse.fs.local import LocalFileSystem

    return fs if isinstance(fs, LocalFileSystem) else None


def _selected(entries: list[Entry], filt: Filter, recursive: bool) -> list[Entry]:
    """What the filter keeps of a page: files it selects (a walk's names are paths below the
    URL); a recursive walk's folder markers are not files; a one-level listing's folders stay
    unless a rule names them."""
    if recursive:
        return [e for e in entries if not e.is_dir and filt.matches(e)]
    return [e for e in entries if filt.matches_folder(e.name) if e.is_dir or filt.matches(e)]


def _json_page(entries: list[Entry]) -> None:
    from ossbrowse.commands._json import entry_fields, write_json_line

    for entry in entries:
        write_json_line(entry_fields(entry))


# The first page is small so the first line comes fast (a 1000-key page costs OSS and the XML
# parser several times more); the rest use the largest page, fewest requests.
FIRST_PAGE = 100


def _pages(fs: FileSystem, path: str) -> Iterator[list[Entry]]:
    token: str | None = None
    while True:
        page = fs.list_page(path, token, FIRST_PAGE if token is None else 1000)
        yield page.entries
        if page.next_token is None:
            return
        token = page.next_token


def _sorted(pages: Iterable[list[Entry]]) -> Iterator[list[Entry]]:
    """A local folder in name order, as `ls` and an OSS listing show it.

    The directory's own order is arbitrary; the whole listing is read first (a local folder is
    finite and its entries are small) and sorted by the name's bytes, OSS's order."""
    entries = [e for page in pages for e in page]
    entries.sort(key=lambda e: _display_name(e).encode("utf-8", "surrogateescape"))
    for start in range(0, len(entries), 1000):
        yield entries[start : start + 1000]


def _display_name(entry: Entry) -> str:
    return entry.name + ("/" if entry.is_dir else "")


# Column widths of `ls -l`: every row's name starts in the same column, folder or object.
SIZE_WIDTH = 9  # text.human_size is at most 9 characters
BYTES_WIDTH = 14  # OSS's largest object, 48.8 TiB, is 14 digits
TIME_WIDTH = 19  # 2026-01-31 23:59:59


def _line(entry: Entry, long: bool, exact: bool = False) -> str:
    from ossbrowse.commands._shared import format_size, format_time
    from ossbrowse.text import safe_text

    name = safe_text(_display_name(entry))
    if not long:
        return name
    storage = entry.storage_class or "-"
    if entry.is_archived and entry.restore.status.value != "not-needed":
        storage = f"{storage}({entry.restore.status.value})"
    size = format_size(entry, exact).rjust(BYTES_WIDTH if exact else SIZE_WIDTH)
    return f"{size}  {storage:<14} {format_time(entry.mtime):<{TIME_WIDTH}}  {name}"
