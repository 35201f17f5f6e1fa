"""Command-line entry: `ossbrowse [LEFT] [RIGHT]` opens the UI; `ossbrowse VERB ...` runs a verb.

Start-up must stay fast (`--help` and `--version` well under half a second), so this module
imports nothing heavy: each verb lives in `ossbrowse.commands.<module>` and is imported only
when it is the verb being run. Verb modules keep Textual and oss2 imports inside `run()`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ossbrowse import __version__

# verb -> (module under ossbrowse.commands, one-line help). Order is the order `--help` shows.
VERBS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "open the UI on a local OSS server filled with sample data"),
    "serve": ("serve", "run the local OSS-compatible server"),
    "ls": ("ls", "list a bucket, a prefix or a local folder"),
    "stat": ("stat", "show everything known about one object or file"),
    "buckets": ("buckets", "list the buckets of the active profile"),
    "config": ("config", "show where each setting comes from (secrets masked)"),
    "cp": ("cp", "copy files and objects, resumable, with progress"),
    "transfers": ("transfers", "list, resume or clean up unfinished transfers"),
    "mv": ("mv", "move or rename objects and prefixes (priced first)"),
    "rm": ("rm", "delete objects or prefixes (priced first)"),
    "restore": ("restore", "restore archived objects"),
    "mount-check": ("mount_check", "compare an OSS mount with the bucket it maps"),
}


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags every verb that talks to OSS shares (first link of the credential chain)."""
    group = parser.add_argument_group("connection")
    group.add_argument("--profile", help="named profile from the config file")
    group.add_argument("--endpoint", help="OSS endpoint, e.g. oss-cn-hangzhou.aliyuncs.com")
    group.add_argument("--region", help="OSS region, e.g. cn-hangzhou (enables V4 signing)")
    group.add_argument("--access-key-id", help="AccessKey id")
    group.add_argument("--access-key-secret", help="AccessKey secret (prefer the environment)")
    group.add_argument("--sts-token", help="STS security token")
    group.add_argument("--alluxio-site", metavar="FILE", help="read fs.oss.* from this file")
    group.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="give up on a request after this long"
    )


def add_mount_argument(parser: argparse.ArgumentParser) -> None:
    """`--mount LOCAL=oss://BUCKET/PREFIX`, shared by the UI and `mount-check`."""
    parser.add_argument(
        "--mount",
        action="append",
        default=[],
        metavar="LOCAL=oss://BUCKET/PREFIX",
        help="declare that a local folder mirrors an OSS prefix (repeatable)",
    )


def _top_parser() -> argparse.ArgumentParser:
    verbs = "\n".join(f"  {name:<12} {text}" for name, (_, text) in VERBS.items())
    parser = argparse.ArgumentParser(
        prog="ossbrowse",
        description="A two-pane terminal file manager for Alibaba Cloud OSS.",
        epilog=f"verbs (ossbrowse VERB --help for each):\n{verbs}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ossbrowse {__version__}")
    parser.add_argument("left", nargs="?", help="left pane: a local path or oss:// URL")
    parser.add_argument("right", nargs="?", help="right pane: a local path or oss:// URL")
    parser.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")
    parser.add_argument("--ascii", action="store_true", help="draw with ASCII only")
    parser.add_argument("--read-only", action="store_true", help="refuse every write")
    add_mount_argument(parser)
    add_connection_arguments(parser)
    return parser


def _verb_parser(verb: str, module) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"ossbrowse {verb}", description=VERBS[verb][1])
    module.add_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    verb = args_list[0] if args_list else None
    if verb in VERBS:
        module = importlib.import_module(f"ossbrowse.commands.{VERBS[verb][0]}")
        args = _verb_parser(verb, module).parse_args(args_list[1:])
        return _run_guarded(module.run, args)
    args = _top_parser().parse_args(args_list)
    module = importlib.import_module("ossbrowse.commands.ui")
    return _run_guarded(module.run, args)


def _run_guarded(run, args: argparse.Namespace) -> int:
    """Run a verb; a known error becomes one line on stderr and exit 1, never a traceback."""
    from ossbrowse.errors import OssBrowseError
    from ossbrowse.text import safe_message

    try:
        return int(run(args) or 0)
    except OssBrowseError as exc:
        print(f"ossbrowse: {safe_message(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ossbrowse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `ossbrowse ls ... | head`: the reader went away; that is not an error worth a line.
        return 0
