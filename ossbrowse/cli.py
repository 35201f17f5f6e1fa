"""Command-line entry: `ossbrowse [LEFT] [RIGHT]` opens the UI; `ossbrowse VERB ...` runs a verb.

Global options (connection, `--read-only`, `--mount`, `--ascii`, ...) may stand before the verb
as well as after it: `ossbrowse --endpoint URL ls oss://b/` is `ossbrowse ls oss://b/ --endpoint
URL`. The verb is the first word that is not an option or an option's value.

Start-up must stay fast (`--help` and `--version` well under half a second), so this module
imports nothing heavy: each verb lives in `ossbrowse.commands.<module>` and is imported only
when it is the verb being run. Verb modules keep Textual and oss2 imports inside `run()`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

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
    "revert": ("revert", "bring objects of a versioned bucket back to an older version"),
    "find": ("find", "search a bucket, a prefix or a local folder by name, size, time, class"),
    "du": ("du", "usage of a bucket, a prefix or a folder: bytes, classes, uploads, charges"),
    "sync": ("sync", "make a folder or prefix match another, priced first (--delete for extras)"),
    "mount-check": ("mount_check", "compare an OSS mount with the bucket it maps"),
}


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags every verb that talks to OSS shares (first link of the credential chain)."""
    group = parser.add_argument_group("connection")
    group.add_argument("--profile", help="named profile from the config file")
    group.add_argument("--endpoint", help="OSS endpoint, e.g. oss-cn-hangzhou.aliyuncs.com")
    group.add_argument("--region", help="OSS region, e.g. cn-hangzhou (enables V4 signing)")
    group.add_argument("--access-key-id", help="AccessKey id")
    group.add_argument(
        "--access-key-secret",
        metavar="SECRET",
        help="AccessKey secret: - reads it from stdin, @FILE from a file (prefer the "
        "environment, OSS_ACCESS_KEY_SECRET; an inline value is hidden from the process list)",
    )
    group.add_argument(
        "--sts-token", metavar="TOKEN", help="STS security token (-, @FILE or inline, as above)"
    )
    group.add_argument("--alluxio-site", metavar="FILE", help="read fs.oss.* from this file")
    group.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="give up on a request after this long"
    )


def add_read_only_argument(parser: argparse.ArgumentParser) -> None:
    """`--read-only` on verbs that never write, so `ossbrowse --read-only ls ...` (a global
    option before the verb) works as written; it changes nothing there."""
    parser.add_argument("--read-only", action="store_true", help="refuse every write")


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


def _verb_parser(verb: str, module: ModuleType) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"ossbrowse {verb}", description=VERBS[verb][1])
    module.add_arguments(parser)
    return parser


# Options of the UI that only change how it draws: a verb that prints lines ignores them when
# they stand before it (`alias ob='ossbrowse --ascii'` then `ob ls` still works).
_DISPLAY_ONLY = frozenset({"--ascii", "--no-mouse"})


def split_verb(
    args_list: Sequence[str], parser: argparse.ArgumentParser
) -> tuple[list[str], str, list[str]] | None:
    """(options before the verb, verb, the rest), or None when no verb is named (the UI).

    Options are skipped with their values, as `parser` (the top parser) defines them, so in
    `--endpoint ls ls` the second `ls` is the verb; the first word that is neither an option nor
    an option's value is the verb if it is one, else the UI's LEFT path.
    """
    index = 0
    while index < len(args_list):
        token = args_list[index]
        if token == "--":
            return None
        if token.startswith("-") and token != "-":
            action = _top_action(parser, token)
            takes_value = action is not None and action.nargs != 0 and "=" not in token
            index += 2 if takes_value else 1
            continue
        if token in VERBS:
            return list(args_list[:index]), token, list(args_list[index + 1 :])
        return None
    return None


def _top_action(parser: argparse.ArgumentParser, token: str) -> argparse.Action | None:
    """The top parser's option that `token` names, also abbreviated (`--end` for --endpoint),
    as argparse itself would accept it."""
    name = token.split("=", 1)[0]
    if name in parser._option_string_actions:
        return parser._option_string_actions[name]
    if not name.startswith("--"):
        return None
    matches = {a for o, a in parser._option_string_actions.items() if o.startswith(name)}
    return matches.pop() if len(matches) == 1 else None


def _options_for_verb(before: list[str], verb: str, parser: argparse.ArgumentParser) -> list[str]:
    """The options given before `verb`, checked against what the verb accepts."""
    kept: list[str] = []
    index = 0
    top = _top_parser()
    while index < len(before):
        token = before[index]
        action = _top_action(top, token)
        width = 2 if action is not None and action.nargs != 0 and "=" not in token else 1
        group = before[index : index + width]
        index += width
        # Spelled out in full, so the verb's parser reads it whatever it abbreviates to there.
        name = action.option_strings[-1] if action is not None else token.split("=", 1)[0]
        if "=" in token:
            group = [f"{name}={token.split('=', 1)[1]}"]
        elif action is not None:
            group = [name, *group[1:]]
        if name in parser._option_string_actions:
            kept.extend(group)
        elif name in _DISPLAY_ONLY:
            continue
        else:
            from ossbrowse.errors import UsageError

            raise UsageError(
                f"{name} does not apply to `ossbrowse {verb}`.",
                hint=f"`ossbrowse {verb} --help` lists its options.",
            )
    return kept


def _cwd_exists() -> bool:
    # Relative paths, mount lookups and the UI's left pane all start from here; a folder
    # removed under the shell would otherwise surface as a traceback deep inside a verb.
    import os

    try:
        os.getcwd()
    except FileNotFoundError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        from ossbrowse.cli_secrets import hide_inline_secrets

        hide_inline_secrets()  # re-executes this process when a secret is on its command line
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not _cwd_exists():
        print(
            "ossbrowse: the current folder no longer exists (deleted or moved while this shell "
            "was in it); cd to an existing folder and run the command again.",
            file=sys.stderr,
        )
        return 2
    top = _top_parser()
    split = (
        None if {"-h", "--help", "--version"} & set(args_list[:1]) else split_verb(args_list, top)
    )
    if split is not None:
        before, verb, after = split
        module = importlib.import_module(f"ossbrowse.commands.{VERBS[verb][0]}")
        parser = _verb_parser(verb, module)
        from ossbrowse.errors import UsageError

        try:
            moved = _options_for_verb(before, verb, parser)
        except UsageError as exc:  # as argparse says a bad option: usage, one line, exit 2
            parser.print_usage(sys.stderr)
            print(f"ossbrowse {verb}: error: {exc}", file=sys.stderr)
            return 2
        args = parser.parse_args([*after, *moved])
        return _run_guarded(module.run, args)
    args = top.parse_args(args_list)
    module = importlib.import_module("ossbrowse.commands.ui")
    return _run_guarded(module.run, args)


def _run_guarded(run: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run a verb; a known error becomes one line on stderr and exit 1, never a traceback."""
    from ossbrowse.errors import AccessDenied, OssBrowseError
    from ossbrowse.text import safe_message

    try:
        from ossbrowse.cli_secrets import read_secret_flags

        read_secret_flags(args)
        return int(run(args) or 0)
    except AccessDenied as exc:
        shown: OssBrowseError = exc
        if getattr(args, "anonymous", False) and getattr(exc, "action", None):
            from ossbrowse.config import no_credentials_error

            shown = no_credentials_error()
        print(f"ossbrowse: {safe_message(str(shown))}", file=sys.stderr)
        return shown.exit_code
    except OssBrowseError as exc:
        print(f"ossbrowse: {safe_message(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ossbrowse: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `ossbrowse ls ... | head`: the reader went away; that is not an error worth a line.
        return 0
