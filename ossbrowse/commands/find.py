"""`ossbrowse find URL [--name GLOB] [--regex RE] [filters] [--json]`: search a bucket, a prefix
or a local folder, streamed.

The search is `ops.find.find_pages`: each listing page is filtered as it arrives and what
matches is printed at once, so the first hit shows before the listing ends and memory holds
one page, never a record per object.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ossbrowse.cli import add_connection_arguments, add_read_only_argument
from ossbrowse.ops.filters import add_filter_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.base import Entry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="oss://bucket/prefix/ or a local folder to search")
    parser.add_argument("--name", metavar="GLOB", help="the last path segment matches GLOB")
    parser.add_argument(
        "--regex", metavar="RE", help="a regular expression found in the path below PATH"
    )
    parser.add_argument(
        "-l", "--long", action="store_true", help="size, storage class and modified time"
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, one object a line")
    add_filter_arguments(parser)
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._shared import filesystem_for, write_lines
    from ossbrowse.fs.url import is_oss_url
    from ossbrowse.ops.filters import from_args, refuse_classes_locally
    from ossbrowse.ops.find import find_pages

    filt = from_args(args, name=args.name, regex=args.regex)
    if not is_oss_url(args.path):
        refuse_classes_locally(filt, args.path)
    fs = filesystem_for(args.path, args)

    def show(entries: list[Entry]) -> None:
        if args.json:
            from ossbrowse.commands._json import entry_fields, write_json_line

            for entry in entries:
                write_json_line(entry_fields(entry))
        else:
            write_lines([_line(e, args.long) for e in entries])

    try:
        found = 0
        for entries in find_pages(fs, args.path, filt):
            found += len(entries)
            show(entries)
        if found == 0:
            # As ls: a URL naming one file is that file (shown if the filter selects it); a
            # folder that exists finds nothing quietly; something that is not there is an error.
            entry = fs.stat(args.path)
            if not entry.is_dir and filt.matches(entry, entry.name):
                show([entry])
    finally:
        fs.close()
    return 0


def _line(entry: Entry, long: bool) -> str:
    from ossbrowse.commands._shared import format_size, format_time
    from ossbrowse.text import safe_text

    shown = safe_text(entry.path)
    if not long:
        return shown
    storage = entry.storage_class or "-"
    return f"{format_size(entry):>9}  {storage:<14} {format_time(entry.mtime):<19}  {shown}"
