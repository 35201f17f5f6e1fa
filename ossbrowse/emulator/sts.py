"""Short-lived STS credentials for testing refresh: a credentials URI on loopback, and their
expiry at the server.

`StsIssuer` answers `GET <uri>` as Alibaba Cloud's credentials URIs do (JSON with AccessKeyId,
AccessKeySecret, SecurityToken, Expiration) with a new temporary key pair each time; the OSS
server accepts each pair until its expiry and then refuses it as OSS does (403
InvalidAccessKeyId, EC 0002-00000007).

Time is the issuer's `clock`: the wall clock for `ossbrowse serve --sts-lifetime`, or a
`ManualClock` a test owns. `advance_per_request` moves a ManualClock on by that many seconds
for each request signed with an issued key, so "this upload outlived three tokens" is a count
of requests, the same on any machine.
"""

from __future__ import annotations

import hmac
import itertools
import json
import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ossbrowse.emulator.auth import Credentials, SignedRequest
from ossbrowse.emulator.errors import OssError
from ossbrowse.emulator.serving import serve_in_thread, stop_serving

CREDENTIALS_PATH = "/sts/credentials"


class ManualClock:
    """Seconds since the epoch that move only when told to (thread-safe)."""

    def __init__(self, start: float | None = None) -> None:
        self._now = float(int(time.time() if start is None else start))
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass(frozen=True)
class IssuedToken:
    access_key_id: str
    access_key_secret: str
    security_token: str
    expires: float  # whole seconds since the epoch, as the Expiration text says
    issued_at: float


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def request_key_id(headers: Mapping[str, str] | Message, params: Mapping[str, str]) -> str | None:
    """The AccessKey id a request is signed with (V1/V4, header or presigned URL)."""
    authorization = headers.get("Authorization") or ""
    if authorization.startswith("OSS "):
        return authorization[4:].rsplit(":", 1)[0].strip()
    if authorization.startswith("OSS4-HMAC-SHA256"):
        for part in authorization[len("OSS4-HMAC-SHA256") :].split(","):
            name, _, value = part.strip().partition("=")
            if name == "Credential":
                return value.split("/", 1)[0]
        return None
    if params.get("OSSAccessKeyId"):
        return params["OSSAccessKeyId"]
    if params.get("x-oss-credential"):
        return params["x-oss-credential"].split("/", 1)[0]
    return None


def _request_token(headers: Mapping[str, str] | Message, params: Mapping[str, str]) -> str:
    return (
        headers.get("x-oss-security-token")
        or params.get("security-token")
        or params.get("x-oss-security-token")
        or ""
    )


class StsIssuer:
    """Issues temporary key pairs of `lifetime` seconds; serves them on a loopback URI."""

    def __init__(
        self,
        lifetime: float,
        *,
        region: str = "cn-hangzhou",
        clock: Callable[[], float] = time.time,
        advance_per_request: float = 0.0,
        host: str = "127.0.0.1",
    ) -> None:
        if lifetime <= 0:
            raise ValueError("an STS token's lifetime must be more than zero seconds")
        if advance_per_request and not isinstance(clock, ManualClock):
            raise ValueError("advance_per_request needs a ManualClock")
        self.lifetime = lifetime
        self.region = region
        self.clock = clock
        self.advance_per_request = advance_per_request
        self._host = host
        self._lock = threading.Lock()
        self._serial = itertools.count(1)
        self.issued: list[IssuedToken] = []
        self._by_key: dict[str, IssuedToken] = {}
        self.requests: dict[str, int] = {}  # requests seen per issued key id
        self.refused: dict[str, int] = {}  # requests refused as expired, per key id
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- issuing and checking ----------------------------------------------------------------

    def issue(self) -> IssuedToken:
        with self._lock:
            serial = next(self._serial)
            now = self.clock()
            token = IssuedToken(
                access_key_id=f"STS.emulator{serial:06d}",
                access_key_secret=secrets.token_urlsafe(24),
                security_token=f"emulator-sts-{serial}-{secrets.token_urlsafe(32)}",
                expires=float(math.floor(now + self.lifetime)),
                issued_at=now,
            )
            self.issued.append(token)
            self._by_key[token.access_key_id] = token
            return token

    def credentials_for(self, req: SignedRequest) -> Credentials | None:
        """The credentials to check `req` against when it uses an issued key; None otherwise.

        Raises OSS's expired-token error when the token is its key's and has expired."""
        key_id = request_key_id(req.headers, req.params)
        issued = self._by_key.get(key_id or "")
        if issued is None:
            return None
        with self._lock:
            self.requests[issued.access_key_id] = self.requests.get(issued.access_key_id, 0) + 1
            if self.advance_per_request:
                self.clock.advance(self.advance_per_request)  # type: ignore[attr-defined]
            now = self.clock()
            sent = _request_token(req.headers, req.params)
            if hmac.compare_digest(sent, issued.security_token) and now >= issued.expires:
                self.refused[issued.access_key_id] = self.refused.get(issued.access_key_id, 0) + 1
                raise OssError(
                    403,
                    "InvalidAccessKeyId",
                    "The security token you provided has expired.",
                    EC="0002-00000007",
                )
        # The signature and token are checked as for any key; expiry was checked above.
        return Credentials(
            issued.access_key_id, issued.access_key_secret, issued.security_token, self.region
        )

    def answer(self) -> dict[str, str]:
        """One credentials URI answer (a fresh key pair)."""
        token = self.issue()
        return {
            "Code": "Success",
            "AccessKeyId": token.access_key_id,
            "AccessKeySecret": token.access_key_secret,
            "SecurityToken": token.security_token,
            "Expiration": _utc(token.expires),
            "LastUpdated": _utc(token.issued_at),
        }

    # -- the credentials URI -----------------------------------------------------------------

    def start(self) -> StsIssuer:
        httpd = ThreadingHTTPServer((self._host, 0), _UriHandler)
        httpd.daemon_threads = True
        httpd.issuer = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = serve_in_thread(httpd, "oss-emulator-sts")
        return self

    def stop(self) -> None:
        stop_serving(self._httpd, self._thread)
        self._httpd = self._thread = None

    @property
    def uri(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the STS issuer is not serving; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{CREDENTIALS_PATH}"


class _UriHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != CREDENTIALS_PATH:
            self._send(404, {"Code": "NotFound", "Message": f"Ask {CREDENTIALS_PATH}."})
            return
        self._send(200, self.server.issuer.answer())  # type: ignore[attr-defined]

    def _send(self, status: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_lifetime(text: str) -> float:
    """`90`, `90s`, `15m`, `1h` as seconds; ValueError with a sentence otherwise."""
    raw = text.strip().lower()
    unit = _UNITS.get(raw[-1:])
    number = raw[:-1] if unit is not None else raw
    try:
        seconds = float(number) * (unit or 1.0)
    except ValueError:
        seconds = -1.0
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{text!r} is not a lifetime; give e.g. 90s, 15m or 1h")
    return seconds
