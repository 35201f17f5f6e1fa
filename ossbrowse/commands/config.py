"""`ossbrowse config show`: each setting, its value (secrets masked) and where it came from."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments, add_read_only_argument

EXAMPLE = """example config.toml:
  default_profile = "work"

  [profiles.work]
  endpoint = "oss-cn-hangzhou.aliyuncs.com"
  access_key_id = "LTAI..."
  access_key_secret = "..."   # then: chmod 600 config.toml
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EXAMPLE
    parser.add_argument(
        "action", nargs="?", default="show", choices=["show", "path"], help="show (default) "
        "or path: print the config file's location"
    )  # fmt: skip
    add_connection_arguments(parser)
    add_read_only_argument(parser)


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands._shared import write_lines
    from ossbrowse.config import config_path

    if args.action == "path":
        write_lines([str(config_path())])
        return 0
    write_lines(show_lines(args))
    return 0


def show_lines(args: argparse.Namespace) -> list[str]:
    import sys

    from ossbrowse.config import (
        SECRET_NAMES,
        VALUE_NAMES,
        config_path,
        mask_secret,
        resolve_settings,
    )
    from ossbrowse.text import safe_text

    settings = resolve_settings(args)
    for warning in settings.warnings:
        print(f"ossbrowse: {warning}", file=sys.stderr)
    path = config_path()
    lines = [f"config file: {path}{'' if path.exists() else ' (not created yet)'}"]
    lines.append(f"profile: {settings.profile or '(none)'}")
    for name in VALUE_NAMES:
        value = getattr(settings, name)
        if value is None:
            fetched = settings.credentials is not None and name in SECRET_NAMES
            lines.append(
                f"{name}: {'(fetched from the credentials source)' if fetched else '(not set)'}"
            )
            continue
        shown = mask_secret(value) if name in SECRET_NAMES else value
        lines.append(f"{name}: {safe_text(shown or '')}  [{settings.sources.get(name, '?')}]")
    if settings.credentials is not None:
        # Named, not fetched: `config show` contacts no metadata service or URI.
        where = settings.sources.get("credentials", "?")
        lines.append(
            f"credentials: {safe_text(settings.credentials.description)}, fetched when needed "
            f"and refreshed before they expire  [{where}]"
        )
    version = settings.signature_version
    why = "the region is known" if version == 4 else "no region: give --region for V4"
    lines.append(f"signature: V{version} ({why})")
    lines.append(f"read_only: {str(settings.read_only).lower()}")
    if settings.timeout is not None:
        lines.append(f"timeout: {settings.timeout:g}s")
    return lines
