"""Run an http.server in a daemon thread and stop it cleanly: the local server and its STS
credentials URI start and stop the same way."""

from __future__ import annotations

import threading
from http.server import HTTPServer

# How often serve_forever looks for a shutdown request: stop() returns within about this long.
POLL_INTERVAL = 0.2


def serve_in_thread(httpd: HTTPServer, name: str) -> threading.Thread:
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": POLL_INTERVAL}, daemon=True,
        name=name,
    )  # fmt: skip
    thread.start()
    return thread


def stop_serving(httpd: HTTPServer | None, thread: threading.Thread | None) -> None:
    """Stop accepting, close the socket, and wait (briefly) for the serving thread."""
    if httpd is not None:
        httpd.shutdown()
        httpd.server_close()
    if thread is not None:
        thread.join(timeout=5)
