"""What the fs verbs (ls, stat, buckets, config) share: settings from flags, and line output."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.fs.base import Entry, FileSystem


def add_parallel_arguments(parser: argparse.ArgumentParser) -> None:
    """--threads and --jobs with one meaning for every verb that copies files (cp, sync)."""
    parser.add_argument("--threads", type=int, default=4, help="parts in flight (default 4)")
    parser.add_argument("--jobs", type=int, default=2, help="files copied at once (default 2)")


def check_parallel_arguments(args: argparse.Namespace) -> None:
    from ossbrowse.errors import UsageError

    if args.threads < 1 or args.jobs < 1:
        raise UsageError("--threads and --jobs must be at least 1.")


def settings_from_args(args: argparse.Namespace) -> ConnectionSettings:
    """Resolve the credential chain for a verb, printing config-file warnings to stderr."""
    from ossbrowse.config import resolve_settings

    settings = resolve_settings(args)
    for warning in settings.warnings:
        print(f"ossbrowse: {warning}", file=sys.stderr)
    # Read by cli._run_guarded: an access denied to a request without keys is explained as
    # "no credentials were found", not as a missing RAM permission.
    args.anonymous = not settings.has_credentials
    return settings


def filesystem_for(path: str, args: argparse.Namespace) -> FileSystem:
    """The side for `path`; the credential chain is resolved only for oss:// paths."""
    from ossbrowse.fs.factory import make_filesystem
    from ossbrowse.fs.url import is_oss_url, parse_oss_url

    if is_oss_url(path):
        parse_oss_url(path)  # a bad URL is refused before credentials are even looked for
        return make_filesystem(path, settings_from_args(args))
    from ossbrowse.fs.url import refuse_other_schemes

    refuse_other_schemes(path)  # http://... is not a local folder named `http:`
    return make_filesystem(path)


def format_time(mtime: float | None) -> str:
    if mtime is None:
        return "-"
    return datetime.fromtimestamp(mtime).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def format_size(entry: Entry, exact: bool = False) -> str:
    """`2.0 KiB` (at most 9 characters, see text.human_size), or `2048` with `exact`."""
    from ossbrowse.text import human_size

    if entry.is_dir:
        return "-"
    return str(entry.size) if exact else human_size(entry.size)


def write_lines(lines: list[str], out: TextIO | None = None) -> None:
    """Write a page of lines and flush, so a reader on a pipe sees each page as it arrives."""
    out = out or sys.stdout
    if lines:
        out.write("\n".join(lines) + "\n")
        out.flush()
