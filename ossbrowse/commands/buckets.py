"""`ossbrowse buckets`: the buckets the credentials can see, one a line, with region."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments, add_read_only_argument


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-l", "--long", action="store_true", help="also storage class and creation time"
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines, one bucket a line")
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._shared import filesystem_for, format_time, write_lines
    from ossbrowse.text import safe_text

    fs = filesystem_for("oss://", args)
    token: str | None = None
    while True:
        page = fs.list_page("oss://", token)
        if args.json:
            from ossbrowse.commands._json import bucket_fields, write_json_lines

            write_json_lines(bucket_fields(entry) for entry in page.entries)
        lines = []
        for entry in [] if args.json else page.entries:
            line = f"{safe_text(entry.name)}  {safe_text(entry.region or '-')}"
            if args.long:
                line += f"  {safe_text(entry.storage_class or '-')}  {format_time(entry.mtime)}"
            lines.append(line)
        write_lines(lines)
        if page.next_token is None:
            return 0
        token = page.next_token
