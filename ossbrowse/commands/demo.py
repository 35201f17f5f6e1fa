"""`ossbrowse demo`: the local OSS server with sample data, and how to reach it.

Until the UI takes this verb over, it serves the sample bucket and prints the commands that
browse it; the sample itself comes from `ossbrowse.emulator.sample`, which the UI reuses.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ossbrowse.commands.serve import add_server_arguments

    add_server_arguments(parser)
    parser.add_argument(
        "--small",
        action="store_true",
        help="skip the larger files (starts faster, uses less memory)",
    )


def run(args: argparse.Namespace) -> int:
    from ossbrowse.commands.serve import endpoint_line, make_server, serve_until_stopped
    from ossbrowse.emulator.sample import build_sample
    from ossbrowse.text import safe_text

    server = make_server(args)
    try:
        summary = build_sample(server, large=not args.small)
        print(endpoint_line(server), flush=True)
        print(
            f"Sample bucket {summary.bucket!r}: {summary.objects:,} objects, "
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
        print(f"  ({secret_note}.) Press Ctrl+C to stop.", flush=True)
        serve_until_stopped(server)
    finally:
        server.stop()
    return 0
