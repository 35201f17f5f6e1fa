"""The default verb: `ossbrowse [LEFT] [RIGHT]` opens the two-pane UI (Textual loaded in run)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ossbrowse.fs.gateway.handle import BucketHandle
    from ossbrowse.fs.oss import OssFileSystem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The top-level parser already defines LEFT, RIGHT and the UI flags (cli._top_parser)."""


def read_keymap(path: str | None = None) -> tuple[dict[str, str], list[str]]:
    """`[keys]` of config.toml (`action_id = "key"`), checked against the known ids.

    `ossbrowse.config` parses profiles and mounts but keeps no `[keys]`, so the table is read
    here from the same file (`$OSSBROWSE_CONFIG` or platformdirs' config dir).
    """
    import sys

    from ossbrowse.config import config_path
    from ossbrowse.ui.keys import validate_keymap

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    file = config_path() if path is None else path
    try:
        with open(file, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}, []
    except (OSError, tomllib.TOMLDecodeError) as exc:
        return {}, [f"Key bindings not read from {file}: {exc}"]
    table = data.get("keys", {})
    if not isinstance(table, dict):
        return {}, [f'In {file}, [keys] must be a table of binding id = "keys".']
    return validate_keymap(_flatten_ids(table))


def _flatten_ids(table: dict, prefix: str = "") -> dict:
    """`pane.copy = "f2"` unquoted is a nested table in TOML; both spellings name one id."""
    flat: dict = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten_ids(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def build_app(
    settings: Any,
    left: str,
    right: str,
    *,
    ascii_only: bool = False,
    on_exit: Callable[[], None] | None = None,
    state_dir: str | None = None,
    startup_notes: list[str] | None = None,
    restore_poll: float = 10.0,
):
    """The app wired to both sides, the transfer engine, signing and the operations layer.

    `settings` is a `ConnectionSettings`; when it has no endpoint the OSS side is missing and
    the UI says how to configure it the first time the user goes there.
    """
    from ossbrowse.errors import OssBrowseError
    from ossbrowse.fs.local import LocalFileSystem

    # Textual repaints on a grid of 1/FPS seconds: a key handled just after a background
    # repaint (a listing page, transfer progress) waits for the next slot, up to 17 ms at
    # its default 60. Background repaints are throttled to ~10 a second, so 120 costs little
    # and halves that wait. Read when Textual is first imported, i.e. just below.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from ossbrowse.ui.app import OssBrowseApp
    from ossbrowse.ui.sides import Sides

    read_only = bool(getattr(settings, "read_only", False))
    notes = list(startup_notes or [])

    def make_oss_side():
        # Called on first use, usually by the first OSS listing's worker thread: oss2 is
        # imported there, not before the first frame.
        from ossbrowse.fs.oss import OssClient, OssFileSystem

        return OssFileSystem(OssClient(settings), read_only=read_only)

    sides = Sides(local=LocalFileSystem(read_only=read_only), oss_factory=make_oss_side)
    try:
        from ossbrowse.config import require_credentials

        require_credentials(settings)  # cheap: the same check OssClient makes, said up front
    except OssBrowseError as exc:
        sides.oss_problem = str(exc)

    def oss_side() -> OssFileSystem:
        """The OSS side (made by make_oss_side above)."""
        from ossbrowse.fs.oss import OssFileSystem

        side = sides.for_path("oss://")
        if not isinstance(side, OssFileSystem):  # pragma: no cover - make_oss_side made it
            raise AssertionError("the OSS side is not an OssFileSystem")
        return side

    def bucket_for(name: str) -> BucketHandle:
        """The bucket handle for the operations layer and the engine (the client's cache)."""
        return oss_side().bucket(name)

    def presigner(url: str, seconds: int) -> str:
        from ossbrowse.ops.presign import check_presign

        check_presign(url, seconds)
        return oss_side().presign_get(url, seconds)

    def engine_factory(on_event):
        from ossbrowse.transfer import TransferEngine

        kwargs: dict[str, Any] = {"on_event": on_event}
        if state_dir is not None:
            kwargs["state_dir"] = state_dir
        return TransferEngine(bucket_for, **kwargs)

    keymap, problems = read_keymap()
    notes.extend(problems)
    return OssBrowseApp(
        sides,
        left,
        right,
        ascii_only=ascii_only,
        engine_factory=engine_factory,
        presigner=presigner,
        bucket_for=bucket_for,
        read_only=read_only,
        restore_poll=restore_poll,
        keymap=keymap,
        startup_notes=notes,
        on_exit=on_exit,
    )


def initial_locations(args: argparse.Namespace) -> tuple[str, str]:
    """LEFT defaults to the current folder, RIGHT to the bucket list; both normalized."""
    from ossbrowse.ui.main_screen import normalize_location

    left = normalize_location(args.left) if args.left else os.getcwd()
    right = normalize_location(args.right) if args.right else "oss://"
    if not args.right and not left.startswith("oss://"):
        # `ossbrowse /mnt/oss`: a folder on an OSS mount opens its bucket side beside it.
        from ossbrowse.mount.locate import prefix_url_for

        right = prefix_url_for(left, getattr(args, "mount", None) or ()) or right
    return left, right


def require_terminal(what: str = "The two-pane UI") -> None:
    """Refuse to start the UI without a terminal on stdin and stdout (it would never exit)."""
    import sys

    from ossbrowse.errors import UsageError

    if not (sys.stdin and sys.stdin.isatty() and sys.stdout and sys.stdout.isatty()):
        raise UsageError(
            f"{what} needs a terminal, and stdin or stdout is not one.",
            hint="Run it in a terminal, or use a verb (ossbrowse ls oss://BUCKET/, "
            "ossbrowse --help lists them).",
        )


def run(args: argparse.Namespace) -> int:
    from ossbrowse.config import resolve_settings

    require_terminal()
    settings = resolve_settings(args)
    if getattr(args, "read_only", False):
        settings.read_only = True
    left, right = initial_locations(args)
    app = build_app(settings, left, right, ascii_only=bool(getattr(args, "ascii", False)))
    from ossbrowse.ui.image_view import prepare_before_start

    prepare_before_start(bool(getattr(args, "ascii", False)))  # before Textual owns the tty
    app.run(mouse=not getattr(args, "no_mouse", False))
    return 0
