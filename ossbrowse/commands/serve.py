"""`ossbrowse serve`: run the local OSS-compatible server until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ossbrowse.emulator import EmulatorServer

DEFAULT_KEY_ID = "ossbrowse"
DEFAULT_SECRET = "ossbrowse-secret"


def add_server_arguments(parser: argparse.ArgumentParser, *, port_default: int = 0) -> None:
    """Flags `serve` and `demo` share."""
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="keep objects on disk here (survives restarts); default: in memory",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; non-loopback needs --allow-remote)",
    )
    parser.add_argument("--port", type=int, default=port_default, help="port (default: a free one)")
    parser.add_argument(
        "--access-key-id",
        default=DEFAULT_KEY_ID,
        metavar="ID",
        help=f"AccessKey id clients must sign with (default {DEFAULT_KEY_ID})",
    )
    parser.add_argument(
        "--access-key-secret",
        default=DEFAULT_SECRET,
        metavar="SECRET",
        help=f"AccessKey secret (default {DEFAULT_SECRET}; never printed): - reads it from "
        "stdin, @FILE from a file; an inline value is hidden from the process list",
    )
    parser.add_argument(
        "--sts-token", metavar="TOKEN", help="require this STS security token on every request"
    )
    parser.add_argument(
        "--region",
        default="cn-hangzhou",
        help="region for V4 signatures and bucket locations (default cn-hangzhou)",
    )
    parser.add_argument(
        "--domain",
        default="localhost",
        help="virtual-host domain: "
        "BUCKET.DOMAIN in the Host header names a bucket (default localhost)",
    )
    parser.add_argument(
        "--restore-delay",
        type=float,
        default=3.0,
        metavar="SECONDS",
        help="how long a RestoreObject takes (default 3)",
    )
    parser.add_argument(
        "--faults",
        metavar="SPEC",
        help="inject faults, e.g. "
        "'seed=7,put_object:reset_after=65536:p=0.3,get_object:status=503:count=2,"
        "*:latency=0.05'",
    )
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow listening on a non-loopback address"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_server_arguments(parser)
    parser.add_argument(
        "--create-bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="create this bucket at start if missing (repeatable)",
    )
    parser.add_argument(
        "--sts-lifetime",
        metavar="DURATION",
        help="also serve a credentials URI on loopback that hands out STS key pairs expiring "
        "after DURATION (e.g. 5s, 15m); the server refuses each once it has expired",
    )


def make_server(args: argparse.Namespace) -> EmulatorServer:
    """An EmulatorServer from the flags, or an OssBrowseError a person can act on."""
    from ossbrowse.emulator import EmulatorServer, FaultPlan
    from ossbrowse.emulator.server import is_loopback
    from ossbrowse.errors import OssBrowseError, UsageError

    check_remote(args, is_loopback(args.host))
    faults = None
    if args.faults:
        try:
            faults = FaultPlan.from_spec(args.faults)
        except ValueError as exc:
            raise UsageError(f"Bad --faults spec: {exc}.") from None
    if args.restore_delay < 0:
        raise UsageError("--restore-delay must be zero or more seconds.")
    server = EmulatorServer(
        root=args.root,
        host=args.host,
        port=args.port,
        access_key_id=args.access_key_id,
        access_key_secret=args.access_key_secret,
        sts_token=args.sts_token,
        region=args.region,
        restore_delay=args.restore_delay,
        faults=faults,
        allow_remote=args.allow_remote,
        domain=args.domain,
    )
    try:
        server.start()
    except OSError as exc:
        import errno

        if exc.errno == errno.EADDRINUSE:
            hint = "Pick another --port, or 0 for a free one."
        else:
            hint = "Check --host: it must be an address of this machine (127.0.0.1 or ::1)."
        raise OssBrowseError(
            f"Could not listen on {args.host} port {args.port}: {exc.strerror or exc}.", hint=hint
        ) from None
    return server


def check_remote(args: argparse.Namespace, loopback: bool) -> None:
    """Other machines may reach the server only when asked for, and never with the published
    default secret: that would give anyone on the network full read and write."""
    from ossbrowse.errors import UsageError

    if loopback:
        return
    if not args.allow_remote:
        raise UsageError(
            f"Refusing to listen on {args.host}: it is not a loopback address, and this server "
            "is for local development.",
            hint="Add --allow-remote if you really want other machines to reach it.",
        )
    if args.access_key_secret == DEFAULT_SECRET:
        raise UsageError(
            f"Refusing to listen on {args.host} with the default secret {DEFAULT_SECRET!r}: it "
            "is published, so anyone on the network could read and write every bucket.",
            hint="Give your own with --access-key-secret @FILE (or - to read it from stdin).",
        )


@contextlib.contextmanager
def stop_requests() -> Iterator[threading.Event]:
    """From here on, Ctrl+C and SIGTERM ask the server to stop cleanly (exit 0) instead of
    interrupting the program (exit 130). Entered before the endpoint line is printed: a script
    that stops the server as soon as it has read that line gets a clean stop however far the
    server has got, even on a loaded machine. The old handlers come back on leaving."""
    import signal

    stop = threading.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in signals}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve_until_stopped(server: EmulatorServer, stop: threading.Event | None = None) -> None:
    """Block until Ctrl+C or SIGTERM (or until `stop`, from `stop_requests`, is set), then
    stop the server cleanly."""
    if stop is None:
        with stop_requests() as stop:
            serve_until_stopped(server, stop)
        return
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()


def endpoint_line(server: EmulatorServer) -> str:
    return f"OSS endpoint: {server.endpoint}  key: {server.access_key_id}"


def run(args: argparse.Namespace) -> int:
    from ossbrowse.emulator.errors import OssError
    from ossbrowse.errors import UsageError

    lifetime = None
    if getattr(args, "sts_lifetime", None):
        from ossbrowse.emulator.sts import parse_lifetime

        try:
            lifetime = parse_lifetime(args.sts_lifetime)
        except ValueError as exc:
            raise UsageError(f"Bad --sts-lifetime: {exc}.") from None
    server = make_server(args)
    try:
        if lifetime is not None:
            server.enable_sts(lifetime)
        for name in args.create_bucket:
            try:
                server.create_bucket(name)
            except OssError as exc:
                raise UsageError(f"Cannot create bucket {name!r}: {exc.message}") from None
        with stop_requests() as stop:
            print(endpoint_line(server), flush=True)
            if server.sts is not None:
                print(f"credentials URI: {server.sts.uri}", flush=True)
            serve_until_stopped(server, stop)
    finally:
        server.stop()
    return 0
