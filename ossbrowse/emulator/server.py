"""The HTTP server: EmulatorServer (context manager, free port, thread) and the request
handler that parses addressing, authenticates, applies faults and dispatches to handlers.

http.server's ThreadingHTTPServer with HTTP/1.1 keep-alive: one thread per connection, which
is what oss2's connection pool expects; bodies stream through `bodies.BodyReader` and
`os.sendfile` (disk store).
"""

from __future__ import annotations

import base64
import ipaddress
import logging
import os
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote_to_bytes

from ossbrowse.emulator import routing
from ossbrowse.emulator.auth import Credentials, SignedRequest, authenticate
from ossbrowse.emulator.bodies import BadRequestBody, BodyReader, ConnectionReset, hard_close
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, access_denied
from ossbrowse.emulator.faults import FaultPlan
from ossbrowse.emulator.handlers import HANDLERS
from ossbrowse.emulator.serving import POLL_INTERVAL, serve_in_thread, stop_serving
from ossbrowse.emulator.store import Store

if TYPE_CHECKING:
    from ossbrowse.emulator.sts import StsIssuer

log = logging.getLogger("ossbrowse.emulator")

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_OSS_PUBLIC_HOST = re.compile(r"([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.oss-[a-z0-9-]+\.aliyuncs\.com")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


class EmulatorServer:
    """A local OSS-compatible server. `with EmulatorServer() as srv:` serves on a free port."""

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        access_key_id: str = "ossbrowse",
        access_key_secret: str = "ossbrowse-secret",
        sts_token: str | None = None,
        region: str = "cn-hangzhou",
        restore_delay: float = 3.0,
        sts_token_expires: float | None = None,
        faults: FaultPlan | None = None,
        allow_remote: bool = False,
        domain: str = "localhost",
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"refusing to serve on {host}: not a loopback address (use allow_remote=True)"
            )
        if root is not None:
            from ossbrowse.emulator.backend_disk import DiskBackend

            backend: DiskBackend | MemoryBackend = DiskBackend(root)
        else:
            from ossbrowse.emulator.backend_memory import MemoryBackend

            backend = MemoryBackend()
        self.root = root
        self.store = Store(backend)
        self.credentials = Credentials(
            access_key_id, access_key_secret, sts_token, region, sts_token_expires
        )
        self.region = region
        self.restore_delay = restore_delay
        self.faults = faults if faults is not None else FaultPlan()
        self.idle_timeout = 60.0  # seconds a connection may sit idle mid-request; settable
        self.domain = domain.lower()
        self._host = host
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.sts: StsIssuer | None = None  # set once enable_sts() is called

    def enable_sts(self, lifetime: float, **options):
        """Hand out `lifetime`-second STS key pairs on a loopback credentials URI (`.sts.uri`)
        and accept each until it expires; `options` go to `emulator.sts.StsIssuer`."""
        from ossbrowse.emulator.sts import StsIssuer

        if self.sts is None:
            self.sts = StsIssuer(lifetime, region=self.region, **options).start()
        return self.sts

    def credentials_for(self, signed: SignedRequest) -> Credentials:
        """The key a request must be signed with: an issued STS pair, else the server's."""
        issued = self.sts.credentials_for(signed) if self.sts is not None else None
        return issued if issued is not None else self.credentials

    # -- life cycle ----------------------------------------------------------------------------

    def start(self) -> EmulatorServer:
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.emulator = self
        self._httpd = httpd
        self._thread = serve_in_thread(httpd, "oss-emulator")
        return self

    def stop(self) -> None:
        if self.sts is not None:
            self.sts.stop()
        stop_serving(self._httpd, self._thread)
        self._httpd = self._thread = None

    def serve_forever(self) -> None:
        """Serve in the calling thread (the CLI), until `stop()` from another thread."""
        if self._httpd is None:
            self._httpd = _HTTPServer((self._host, self._port), _Handler)
            self._httpd.emulator = self
        self._httpd.serve_forever(poll_interval=POLL_INTERVAL)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        return self._httpd.server_address[1]

    @property
    def endpoint(self) -> str:
        host = self._host if ":" not in self._host else f"[{self._host}]"
        return f"http://{host}:{self.port}"

    @property
    def access_key_id(self) -> str:
        return self.credentials.access_key_id

    @property
    def access_key_secret(self) -> str:
        return self.credentials.access_key_secret

    def create_bucket(self, name: str, storage_class: str = "Standard") -> None:
        """Create a bucket directly (CLI `--create-bucket`, sample data); no-op if it exists."""
        from ossbrowse.emulator.names import check_bucket_name

        check_bucket_name(name)
        self.store.create_bucket(name, self.region, storage_class, "private")

    # -- addressing ----------------------------------------------------------------------------

    def bucket_from_host(self, host: str) -> str | None:
        """The bucket named by a virtual-host `Host` header, or None for path style."""
        name = host.lower()
        if name.startswith("["):
            return None
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
        if _is_ip(name) or name in (self.domain, "localhost"):
            return None
        for domain in {self.domain, "localhost"}:
            if name.endswith("." + domain):
                return name[: -len(domain) - 1]
        # ali-oss given an IP endpoint connects to it but sends `Host: <bucket>.oss-<region>
        # .aliyuncs.com` (no port) and the key alone as the path: that names a bucket too.
        found = _OSS_PUBLIC_HOST.fullmatch(name)
        return found.group(1) if found else None


def _bucket_first(emulator: EmulatorServer, call: Call, refused: OssError) -> OssError:
    """OSS looks the bucket up before it checks who is asking: a request to a bucket that does
    not exist answers 404 NoSuchBucket whatever its key or signature (SDK helpers such as
    alibabacloud-oss-v2's `is_bucket_exist` rely on it). Creating a bucket is the exception."""
    from ossbrowse.emulator.errors import no_such_bucket

    if call.bucket and call.operation != "put_bucket" and call.bucket not in emulator.store.buckets:
        return no_such_bucket(call.bucket)
    return refused


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    emulator: EmulatorServer

    def __init__(self, address, handler) -> None:
        if ":" in address[0]:  # an IPv6 address (`serve --host ::1`) needs an IPv6 socket
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        log.debug("connection error from %s", client_address, exc_info=True)


def _new_request_id() -> str:
    return os.urandom(12).hex().upper()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AliyunOSS"
    sys_version = ""
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # A client that stops sending mid-request (or never sends one) must not hold a
        # thread forever: reads and writes idle for this long close the connection.
        self.connection.settimeout(self.server.emulator.idle_timeout)

    def version_string(self) -> str:
        return self.server_version

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":
            # http.server answers HTTP/0.9 without a status line or headers; OSS speaks 1.x.
            self.send_error(400, "HTTP/0.9 requests are not supported.")
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Requests http.server refuses before our handlers run (bad request line, huge
        headers, a bad Content-Length) get an OSS XML error, not http.server's HTML page."""
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # so that a status line and headers are sent
        text = "".join(c if c.isprintable() else "?" for c in (message or "Bad request."))
        if code >= 500:  # e.g. 505 for `HTTP/9.9`: the request is at fault, not the server
            code = 400
        body = OssError(code, "InvalidRequest", text).to_xml(_new_request_id(), "localhost")
        self.close_connection = True
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            pass  # the client went away: nothing to tell it

    def log_message(self, format: str, *args) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        self._handle()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET

    # -- one request ---------------------------------------------------------------------------

    def _handle(self) -> None:
        emulator = self.server.emulator
        request_id = _new_request_id()
        host = self.headers.get("Host", "")
        body = self._body_reader()
        if body is None:
            return
        call = None
        fault = None
        try:
            call = self._make_call(emulator, body, request_id, host)
            fault = emulator.faults.pick_for(call)
            if fault is not None:
                if fault.latency:
                    time.sleep(fault.latency)
                if fault.status:
                    raise OssError(
                        fault.status,
                        "InternalError" if fault.status == 500 else "ServiceUnavailable",
                        "Injected fault: the server is not answering this request now.",
                    )
                if fault.reset_after is not None and call.operation in routing.UPLOADS:
                    body.reset_after = fault.reset_after
                if fault.corrupt and call.operation in routing.UPLOADS:
                    call.corrupt_request = True
            self._authorize(emulator, call)
            handler = HANDLERS.get(call.operation)
            if handler is None:
                raise OssError(
                    501,
                    "NotImplemented",
                    "A header or parameter you provided implies functionality that is not "
                    "implemented.",
                )
            response = handler(call)
        except ConnectionReset:
            self.close_connection = True
            hard_close(self.connection)
            return
        except BadRequestBody as exc:
            self.close_connection = True
            response = self._error_response(
                OssError(400, "InvalidRequest", f"Bad request body: {exc}"), request_id, call
            )
        except OssError as exc:
            response = self._error_response(exc, request_id, call)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        except Exception:
            log.exception("internal error")
            response = self._error_response(
                OssError(500, "InternalError", "We encountered an internal error."),
                request_id,
                call,
            )
        if not body.done and not body.drain():
            self.close_connection = True
        try:
            self._send(response, request_id, fault, call)
        except ConnectionReset:
            self.close_connection = True
            hard_close(self.connection)
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _body_reader(self) -> BodyReader | None:
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        length = self.headers.get("Content-Length")
        try:
            content_length = int(length) if length is not None else None
            if content_length is not None and content_length < 0:
                raise ValueError
        except ValueError:
            self.send_error(400, "Bad Content-Length")
            return None
        return BodyReader(self.rfile, content_length, chunked)

    def _make_call(self, emulator: EmulatorServer, body, request_id: str, host: str) -> Call:
        raw_path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        try:
            path = unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            raise OssError(
                400, "InvalidObjectName", "The object name is not valid UTF-8."
            ) from None
        if path.startswith("http://") or path.startswith("https://"):
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        bucket = emulator.bucket_from_host(host)
        virtual_host = bucket is not None
        if bucket is None:
            bucket, _, key = path[1:].partition("/")
        else:
            key = path[1:]
        bucket = bucket or None
        op = routing.operation(self.command, bucket, key, params, self.headers)
        call = Call(
            emulator,
            method=self.command,
            bucket=bucket,
            key=key,
            params=params,
            headers=self.headers,
            body=body,
            request_id=request_id,
            host=host,
            operation=op,
        )
        call.virtual_host = virtual_host
        return call

    def _authorize(self, emulator: EmulatorServer, call: Call) -> None:
        signed = SignedRequest(
            method=call.method,
            bucket=call.bucket,
            key=call.key,
            params=call.params,
            headers=self.headers,
            header_items=list(self.headers.items()),
        )
        try:
            if authenticate(signed, emulator.credentials_for(signed)) is not None:
                return
        except OssError as exc:
            raise _bucket_first(emulator, call, exc) from None
        # Anonymous: only what a public ACL allows.
        from ossbrowse.emulator.handlers_acl import anonymous_allowed

        if not anonymous_allowed(call):
            denied = access_denied("You have no right to access this object because of bucket acl.")
            raise _bucket_first(emulator, call, denied)

    # -- answers -------------------------------------------------------------------------------

    def _error_response(self, exc: OssError, request_id: str, call: Call | None) -> Response:
        host_id = self.headers.get("Host", "") or "localhost"
        body = exc.to_xml(request_id, host_id)
        headers = {"Content-Type": "application/xml", **exc.headers}
        if self.command == "HEAD":
            # OSS puts a HEAD error's XML, base64-encoded, in x-oss-err (oss2 reads it there).
            headers["x-oss-err"] = base64.b64encode(body).decode()
        return Response(status=exc.status, headers=headers, body=body)

    def _send(self, response: Response, request_id: str, fault, call: Call | None) -> None:
        self.send_response(response.status)
        headers = response.headers
        headers.setdefault("x-oss-request-id", request_id)
        length = response.blob_length if response.blob is not None else len(response.body)
        if "Content-Length" not in headers:
            headers["Content-Length"] = str(length)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD" or not length:
            return
        reset_after = corrupt = None
        if fault is not None and call is not None and call.operation not in routing.UPLOADS:
            reset_after = fault.reset_after
            corrupt = fault.corrupt
        if reset_after is None and not corrupt:
            if response.blob is not None:
                backend = self.server.emulator.store.backend
                backend.send_range(self.connection, response.blob, response.blob_start, length)
            else:
                self.wfile.write(response.body)
            return
        self._send_with_fault(response, length, reset_after, corrupt)

    def _send_with_fault(self, response: Response, length: int, reset_after, corrupt) -> None:
        if response.blob is not None:
            backend = self.server.emulator.store.backend
            chunks = backend.iter_range(response.blob, response.blob_start, length)
        else:
            chunks = iter([memoryview(response.body)])
        sent = 0
        for chunk in chunks:
            if corrupt and sent == 0 and len(chunk):
                chunk = bytes([chunk[0] ^ 0xFF]) + bytes(chunk[1:])
            if reset_after is not None and sent + len(chunk) >= reset_after:
                self.connection.sendall(chunk[: reset_after - sent])
                raise ConnectionReset
            self.connection.sendall(chunk)
            sent += len(chunk)
