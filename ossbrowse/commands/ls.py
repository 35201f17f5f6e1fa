"""`ossbrowse ls URL [-l] [--recursive]`: list a bucket, a prefix or a local folder by pages."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments


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
    add_connection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._shared import filesystem_for, write_lines
    from ossbrowse.errors import NotAFolder

    fs = filesystem_for(args.path, args)
    shown = 0
    try:
        pages = fs.walk_pages(args.path) if args.recursive else _pages(fs, args.path)
        try:
            for entries in pages:
                write_lines([_line(e, args.long) for e in entries])
                shown += len(entries)
        except NotAFolder:
            if shown:
                raise
        if shown == 0:
            # Nothing listed: a folder that exists but is empty prints nothing; a file is
            # shown as itself (like ls); something that is not there is an error.
            entry = fs.stat(args.path)
            if not entry.is_dir:
                write_lines([_line(entry, args.long)])
    finally:
        fs.close()
    return 0


# The first page is small so the first line comes fast (a 1000-key page costs OSS and the XML
# parser several times more); the rest use the largest page, fewest requests.
FIRST_PAGE = 100


def _pages(fs, path: str):
    token: str | None = None
    while True:
        page = fs.list_page(path, token, FIRST_PAGE if token is None else 1000)
        yield page.entries
        if page.next_token is None:
            return
        token = page.next_token


def _line(entry, long: bool) -> str:
    from ossbrowse.commands._shared import format_size, format_time
    from ossbrowse.text import safe_text

    name = safe_text(entry.name) + ("/" if entry.is_dir else "")
    if not long:
        return name
    storage = entry.storage_class or "-"
    if entry.is_archived and entry.restore.status.value != "not-needed":
        storage = f"{storage}({entry.restore.status.value})"
    return f"{format_size(entry):>10}  {storage:<14} {format_time(entry.mtime)}  {name}"
