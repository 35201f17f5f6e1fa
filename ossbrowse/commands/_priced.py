"""What the priced verbs (mv, rm, restore) share: flags, the bucket for a URL, and the
price-then-confirm step: --dry-run prints the price; --yes proceeds; a terminal asks; a script
without --yes is refused an expensive operation, with its price on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ossbrowse.cli import add_connection_arguments

if TYPE_CHECKING:
    from ossbrowse.fs.gateway.client import OssClient
    from ossbrowse.ops.pricing import Price

EXIT_REFUSED = 3  # an expensive operation without a terminal and without --yes


def add_priced_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the price, change nothing")
    parser.add_argument("-y", "--yes", action="store_true", help="proceed without asking")
    if "--json" not in parser._option_string_actions:
        parser.add_argument(
            "--json", action="store_true", help="with --dry-run: the price as one JSON line"
        )
    parser.add_argument("--read-only", action="store_true", help="refuse every write")
    add_connection_arguments(parser)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def ask_terminal(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def confirm(
    price: Price,
    args: argparse.Namespace,
    *,
    what: str,
    interactive: bool | None = None,
    ask: Callable[[str], bool] = ask_terminal,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int | None:
    """None: go ahead. An int: stop with this exit status (0 for a dry run)."""
    from ossbrowse.ops.pricing import describe_price

    out = out or sys.stdout
    err = err or sys.stderr
    lines = describe_price(price)
    if args.dry_run and getattr(args, "json", False):
        from ossbrowse.commands._json import price_fields, write_json_line

        write_json_line({**price_fields(price), "what": what, "summary": lines}, out)
        return 0
    if args.dry_run:
        out.write(f"Dry run: {what} would cost\n" + "".join(f"  {line}\n" for line in lines))
        return 0
    if args.yes:
        return None
    interactive = is_interactive() if interactive is None else interactive
    if interactive:
        err.write(f"About to {what}:\n" + "".join(f"  {line}\n" for line in lines))
        err.flush()
        return None if ask("Proceed? [y/N] ") else 1
    if price.expensive:
        err.write(
            f"ossbrowse: refused to {what} without confirmation (no terminal to ask on). "
            "Price:\n"
            + "".join(f"  {line}\n" for line in lines)
            + "Add --yes to proceed, or --dry-run to see the price only.\n"
        )
        return EXIT_REFUSED
    return None


def client_for(args: argparse.Namespace) -> tuple[OssClient, bool]:
    """(OssClient, read_only) for the verb's flags and the credential chain."""
    from ossbrowse.commands._shared import settings_from_args
    from ossbrowse.fs.gateway.client import OssClient

    settings = settings_from_args(args)
    return OssClient(settings), bool(args.read_only or settings.read_only)


# What to do when a version verb is given a local path.
VERSIONS_HINT = "Versions are kept by OSS: give the oss://bucket/key URL of the object."


def oss_url(
    text: str, role: str, *, hint: str = "To copy between local files and OSS, use ossbrowse cp."
):
    """Parse an oss:// URL, refusing local paths with a sentence saying what to use instead
    (`hint`: what the verb's reader should do)."""
    from ossbrowse.errors import UsageError
    from ossbrowse.fs.url import is_oss_url, parse_oss_url

    if not is_oss_url(text):
        raise UsageError(f"The {role} must be an oss:// URL.", hint=hint)
    url = parse_oss_url(text)
    if not url.bucket:
        raise UsageError(f"The {role} must name a bucket: oss://BUCKET/...")
    return url


def check_json(args: argparse.Namespace) -> None:
    """--json describes a dry run's price; a real run's report stays text (said before any
    request is sent)."""
    from ossbrowse.errors import UsageError

    if getattr(args, "json", False) and not args.dry_run:
        raise UsageError(
            "--json prints the price of a dry run.", hint="Add --dry-run, or drop --json."
        )


def prefix_filter(args: argparse.Namespace, *, needs_recursive: bool = True):
    """The enumeration's filter question from the filter options (None: everything); filters
    choose among what a prefix holds, so rm and restore need -r with them."""
    from ossbrowse.errors import UsageError
    from ossbrowse.ops.filters import from_args, predicate

    filt = from_args(args)
    if filt.active and needs_recursive and not args.recursive:
        raise UsageError(
            "Filters choose among what a prefix holds.", hint="Add -r and give a prefix/."
        )
    return predicate(filt)


class ProgressLine:
    """One line on stderr, rewritten in place on a terminal; silent when stderr is a pipe."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()

    def show(self, text: str) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K" + text)
            self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
