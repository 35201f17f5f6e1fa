"""`ossbrowse demo`: the local OSS server with sample data, opened in the two-pane UI.

A temporary local folder of sample files on the left, the sample bucket on the right; both
go away on exit. `--no-ui` (or no terminal) serves the bucket and prints how to reach it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ossbrowse.emulator import EmulatorServer
    from ossbrowse.emulator.sample import SampleSummary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ossbrowse.commands.serve import add_server_arguments

    add_server_arguments(parser)
    parser.add_argument(
        "--small",
        action="store_true",
        help="skip the larger files (starts faster, uses less memory)",
    )
    parser.add_argument(
        "--no-ui",
        action="store_true",
        help="only serve the sample bucket and print how to reach it",
    )
    parser.add_argument("--ascii", action="store_true", help="draw with ASCII only")
    parser.add_argument("--no-mouse", action="store_true", help="do not capture the mouse")


def make_local_samples(folder: str) -> None:
    """A few local files to copy up: text, a nested folder, a small binary."""
    import os

    os.makedirs(os.path.join(folder, "photos", "2024"), exist_ok=True)
    with open(os.path.join(folder, "notes.txt"), "w", encoding="utf-8") as handle:
        handle.write("Press F5 (or c) to copy to the bucket on the right.\n")
    with open(os.path.join(folder, "report.csv"), "w", encoding="utf-8") as handle:
        handle.write("day,requests\n" + "".join(f"{d},{d * 37 % 1000}\n" for d in range(1, 31)))
    with open(os.path.join(folder, "photos", "2024", "pixel.bin"), "wb") as handle:
        handle.write(bytes(range(256)) * 64)


def run_ui(args: argparse.Namespace, server: EmulatorServer, bucket: str) -> int:
    """Open the UI on the running server; the temp folder is removed when the UI exits."""
    import shutil
    import tempfile

    from ossbrowse.commands.ui import build_app
    from ossbrowse.config import ConnectionSettings

    folder = tempfile.mkdtemp(prefix="ossbrowse-demo-")
    state = tempfile.mkdtemp(prefix="ossbrowse-demo-state-")
    try:
        make_local_samples(folder)
        settings = ConnectionSettings(
            endpoint=server.endpoint,
            region=server.region,
            access_key_id=server.access_key_id,
            access_key_secret=server.access_key_secret,
        )
        app = build_app(settings, folder, f"oss://{bucket}/", ascii_only=args.ascii,
                        state_dir=state)  # fmt: skip
        app.transfers_resumable = False  # the state folder is removed below
        app.run(mouse=not args.no_mouse)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(state, ignore_errors=True)
    return 0


def print_how_to_reach(server: EmulatorServer, summary: SampleSummary) -> None:
    """The endpoint line first (scripts wait for it), then what the sample holds."""
    from ossbrowse.commands.serve import endpoint_line
    from ossbrowse.text import plural, safe_text

    print(endpoint_line(server), flush=True)
    print(
        f"Sample bucket {summary.bucket!r}: {plural(summary.objects, 'object')}, "
        f"{summary.bytes / (1 << 20):.1f} MiB."
    )
    for line in summary.highlights:
        print(f"  {safe_text(line)}")
    env = (
        f"OSS_ACCESS_KEY_ID={server.access_key_id} OSS_ACCESS_KEY_SECRET=... "
        f"ossbrowse --endpoint {server.endpoint} --region {server.region}"
    )
    secret_note = (
        "the secret is the default 'ossbrowse-secret'"
        if server.access_key_secret == "ossbrowse-secret"
        else "the secret is the one you passed with --access-key-secret"
    )
    print("Browse it from another terminal, e.g.:")
    print(f"  {env} oss://{summary.bucket}/")
    print(f"  {env} ls oss://{summary.bucket}/")
    print(f"  ({secret_note}.) Press Ctrl+C to stop.", flush=True)


def run(args: argparse.Namespace) -> int:
    import sys

    from ossbrowse.commands.serve import make_server, serve_until_stopped, stop_requests
    from ossbrowse.emulator.sample import build_sample

    server = make_server(args)
    try:
        summary = build_sample(server, large=not args.small)
        if not args.no_ui and sys.stdin.isatty() and sys.stdout.isatty():
            return run_ui(args, server, summary.bucket)
        # Ctrl+C before the endpoint line interrupts (exit 130); from the line on, it stops
        # the server cleanly (exit 0), however far the printing below has got.
        with stop_requests() as stop:
            print_how_to_reach(server, summary)
            serve_until_stopped(server, stop)
    finally:
        server.stop()
    return 0
