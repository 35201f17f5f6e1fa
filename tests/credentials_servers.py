"""Loopback HTTP servers that stand in for a credentials URI and the ECS metadata service.

Real servers on 127.0.0.1 (the client code under test makes real HTTP requests); each answers
from a table the test fills and records what it was asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN_PATH = "/latest/api/token"
ROLES_PATH = "/latest/meta-data/ram/security-credentials/"


def credentials_json(serial: int, expiration: str = "2099-01-01T00:00:00Z", **extra) -> dict:
    return {
        "Code": "Success",
        "AccessKeyId": f"STS.fake{serial:012d}",
        "AccessKeySecret": f"fake-secret-{serial:016d}",
        "SecurityToken": f"fake-token-{serial}",
        "Expiration": expiration,
        **extra,
    }


class FakeServer:
    """`routes[(method, path)] = (status, body)`; a dict body is sent as JSON.

    `asked` lists (method, path, headers) of every request, in order. `fallback(method, path)`
    answers what `routes` does not hold (a fake STS checks signatures there)."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], tuple[int, object]] = {}
        self.fallback: Callable[[str, str], tuple[int, object]] | None = None
        self.asked: list[tuple[str, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                with server._lock:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    server.asked.append((self.command, self.path, headers))
                    found = server.routes.get((self.command, self.path))
                if found is None and server.fallback is not None:
                    found = server.fallback(self.command, self.path)
                status, body = found or (404, "no")
                data = json.dumps(body).encode() if isinstance(body, dict) else str(body).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = _answer

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.asked]
