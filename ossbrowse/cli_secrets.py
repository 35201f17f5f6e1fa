"""Secrets given as flags (`--access-key-secret`, `--sts-token`): kept off the process list.

`/proc/PID/cmdline` is readable by every local user for the life of the process, and a UI
session lasts hours. So a flag's value may be:

- `-`: read one line from stdin (each `-` reads the next line; a terminal is asked without echo);
- `@FILE`: read the first line of FILE;
- anything else, an inline value: at start the process re-executes itself with the value moved
  into a pipe it inherits (`@/dev/fd/N` in its place), so the secret leaves the command line
  before any request is made. The process keeps its id; only the moment before the re-exec
  shows the value. The environment (`OSS_ACCESS_KEY_SECRET`) is still the way to prefer: it is
  readable only by the same user.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

# option -> (attribute on the parsed arguments, words for a message)
SECRET_OPTIONS = {
    "--access-key-secret": ("access_key_secret", "AccessKey secret"),
    "--sts-token": ("sts_token", "STS token"),
}
# The shortest abbreviation argparse accepts for each (a longer prefix is accepted too).
_SHORTEST = {"--access-key-secret": "--access-key-s", "--sts-token": "--sts"}
_PIPE_LIMIT = 60_000  # a pipe holds 64 KiB without a reader: written whole before the exec


def secret_option(token: str) -> str | None:
    """The secret option `token` names (its `--name` part, abbreviated or not), or None."""
    name = token.split("=", 1)[0]
    for option, shortest in _SHORTEST.items():
        if name.startswith(shortest) and option.startswith(name):
            return option
    return None


def inline_secrets(args: Sequence[str]) -> list[tuple[int, str, str]]:
    """(index in `args`, option, value) of each secret given inline (not `-`, not `@FILE`).

    The index is the value's own word, or the `--option=value` word when written so."""
    found = []
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            break
        option = secret_option(token) if token.startswith("--") else None
        if option is None:
            index += 1
            continue
        if "=" in token:
            value, at = token.split("=", 1)[1], index
            index += 1
        elif index + 1 < len(args):
            value, at = args[index + 1], index + 1
            index += 2
        else:
            break
        if value != "-" and not value.startswith("@"):
            found.append((at, option, value))
    return found


def hide_inline_secrets() -> None:
    """Re-execute this process with every inline secret moved into an inherited pipe.

    Linux only (where `/dev/fd/N` names an inherited descriptor and /proc shows the command
    line); elsewhere the value is used as given.
    """
    if not sys.platform.startswith("linux"):
        return
    args = sys.argv[1:]
    found = inline_secrets(args)
    if not found:
        return
    original = list(getattr(sys, "orig_argv", []) or [])
    if len(original) < len(args) + 1 or original[len(original) - len(args) :] != args:
        return  # cannot rebuild the interpreter's own command line faithfully
    prefix = original[: len(original) - len(args)]
    new_args = list(args)
    for at, _option, value in found:
        data = value.encode("utf-8", "surrogateescape")
        if len(data) > _PIPE_LIMIT:
            return
        read_end, write_end = os.pipe()
        os.write(write_end, data)
        os.close(write_end)
        os.set_inheritable(read_end, True)
        token = new_args[at]
        joined = token.startswith("--") and "=" in token and token.split("=", 1)[1] == value
        new_args[at] = (
            f"{token.split('=', 1)[0]}=@/dev/fd/{read_end}" if joined else f"@/dev/fd/{read_end}"
        )
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(sys.executable, [*prefix, *new_args])
    except OSError:
        return  # the value stays usable; it is just not hidden


def read_secret_flags(args: Any, stdin: TextIO | None = None) -> None:
    """Replace `-` and `@FILE` values of the secret flags on `args` by the secret they name."""
    for option, (attribute, words) in SECRET_OPTIONS.items():
        value = getattr(args, attribute, None)
        if not isinstance(value, str):
            continue
        if value == "-":
            setattr(args, attribute, _from_stdin(option, words, stdin))
        elif value.startswith("@"):
            setattr(args, attribute, _from_file(value[1:], option, words))


def _from_stdin(option: str, words: str, stdin: TextIO | None = None) -> str:
    from ossbrowse.errors import ConfigError

    stream = stdin or sys.stdin
    if stream is None:
        raise ConfigError(f"{option} - reads the {words} from stdin, but there is no stdin.")
    if stdin is None and stream.isatty():
        import getpass

        line = getpass.getpass(f"{words}: ")
    else:
        line = stream.readline()
    value = line.strip()
    if not value:
        raise ConfigError(
            f"{option} - read an empty line from stdin; the {words} was expected there.",
            hint=f"Pipe it in, e.g. `pass show oss | ossbrowse ... {option} -`.",
        )
    return value


def _from_file(path: str, option: str, words: str) -> str:
    from ossbrowse.errors import ConfigError

    if not path:
        raise ConfigError(f"{option} @ names no file.", hint=f"Give {option} @FILE.")
    try:
        with open(os.path.expanduser(path), encoding="utf-8") as handle:
            value = handle.readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise ConfigError(
            f"Cannot read the {words} from {path}: {reason}.",
            hint=f"{option} @FILE reads the first line of FILE.",
        ) from None
    finally:
        _close_inherited(path)
    if not value:
        raise ConfigError(f"The first line of {path} is empty; the {words} was expected there.")
    return value


def _close_inherited(path: str) -> None:
    """The pipe a re-exec handed over is read once: close the inherited descriptor too."""
    if path.startswith("/dev/fd/") and path[8:].isdigit():
        try:
            os.close(int(path[8:]))
        except OSError:
            pass
