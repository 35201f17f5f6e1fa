"""Credentials fetched over HTTP: a credentials URI, and an ECS instance's RAM role.

Both answer JSON as Alibaba Cloud's tools expect it: `AccessKeyId`, `AccessKeySecret`,
`SecurityToken`, `Expiration` (`2024-01-01T00:00:00Z`) and, from the metadata service,
`Code: "Success"`. Requests go straight to the address, never through a proxy from the
environment: the metadata address and a local credentials URI are reachable only directly,
and a proxy must not see the keys.
"""

from __future__ import annotations

import calendar
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from datetime import datetime

from ossbrowse.credentials import Credentials
from ossbrowse.errors import CredentialsError

ECS_METADATA = "http://100.100.100.200"  # Alibaba Cloud's instance metadata service
ECS_CREDENTIALS_PATH = "/latest/meta-data/ram/security-credentials/"
ECS_TOKEN_PATH = "/latest/api/token"  # IMDSv2: a session token first, then the request
ECS_TOKEN_TTL = "21600"
TIMEOUT = 5.0  # seconds; both services answer locally or not at all

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _cap(text: str) -> str:
    """`the credentials URI ...` at the start of a sentence."""
    return text[:1].upper() + text[1:]


def _request(
    url: str, what: str, *, method: str = "GET", headers: dict[str, str] | None = None
) -> bytes:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=TIMEOUT) as answer:
            body: bytes = answer.read()
            return body
    except urllib.error.HTTPError as exc:
        detail = _error_detail(exc) or str(exc.reason)
        message = f"{_cap(what)} answered HTTP {exc.code} ({detail})."
        raise _HttpStatus(exc.code, message) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise CredentialsError(
            f"Could not reach {what}: {_reason(exc)}.",
            hint="Check that it runs and that this machine may reach it.",
        ) from None


def _reason(exc: BaseException) -> str:
    """`connection refused`, not `[Errno 111] Connection refused` or a repr."""
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError):
        return f"no answer within {TIMEOUT:g} seconds"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason).rstrip(".") or type(reason).__name__


def _error_detail(exc: urllib.error.HTTPError) -> str | None:
    """`Code: Message` from an Alibaba Cloud JSON error body (STS answers so), if there is one."""
    try:
        data = json.loads(exc.read(4096).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("Code"), str):
        return None
    message = data.get("Message")
    return f"{data['Code']}: {message}" if isinstance(message, str) and message else data["Code"]


class _HttpStatus(CredentialsError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, hint="Check the address and the role or URI it names.")
        self.status = status


def parse_expiration(text: object, what: str) -> float:
    """`2024-01-01T00:00:00Z` (what Alibaba Cloud writes) or another ISO 8601 time, as epoch."""
    if isinstance(text, str):
        try:
            return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
        except ValueError:
            pass
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.timestamp()
    raise CredentialsError(
        f"{_cap(what)} gave an Expiration that is not a UTC time ({text!r}).",
        hint="It should look like 2024-01-01T00:00:00Z.",
    )


def _json_object(body: bytes, what: str) -> dict[str, object]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise CredentialsError(
            f"{_cap(what)} did not answer with a JSON object.",
            hint="It should give AccessKeyId, AccessKeySecret, SecurityToken and Expiration.",
        )
    return data


def fetch_json(url: str, what: str) -> dict[str, object]:
    """GET `url`; its JSON object answer."""
    return _json_object(_request(url, what), what)


def parse_credentials(body: bytes, what: str) -> Credentials:
    """The JSON answer of a credentials URI or the metadata service, checked."""
    return parse_credentials_object(_json_object(body, what), what)


def parse_credentials_object(data: Mapping[str, object], what: str) -> Credentials:
    """AccessKeyId, AccessKeySecret, SecurityToken, Expiration (and Code), checked."""
    code = data.get("Code")
    if code is not None and code != "Success":
        message = data.get("Message")
        detail = f"Code {code}"
        if isinstance(message, str) and message:
            detail += f": {message}"
        raise CredentialsError(
            f"{_cap(what)} refused to give credentials ({detail}).",
            hint="Check the role or URI it names, and the permissions behind it.",
        )
    missing = [n for n in ("AccessKeyId", "AccessKeySecret") if not isinstance(data.get(n), str)]
    if missing:
        raise CredentialsError(
            f"{_cap(what)} answered without {' and '.join(missing)}.",
            hint="It should give AccessKeyId, AccessKeySecret, SecurityToken and Expiration.",
        )
    token = data.get("SecurityToken")
    expiration = data.get("Expiration")
    return Credentials(
        str(data["AccessKeyId"]),
        str(data["AccessKeySecret"]),
        token if isinstance(token, str) and token else None,
        parse_expiration(expiration, what) if expiration else None,
    )


class CredentialsUri:
    """GET `uri` for credentials (`ALIBABA_CLOUD_CREDENTIALS_URI`, a profile's credentials_uri)."""

    def __init__(self, uri: str) -> None:
        if not uri.lower().startswith(("http://", "https://")):
            raise CredentialsError(
                f"The credentials URI {uri!r} is not an http:// or https:// address.",
                hint="Set ALIBABA_CLOUD_CREDENTIALS_URI to the URL that hands out credentials.",
            )
        self.uri = uri
        self.description = f"the credentials URI {uri}"

    def __call__(self) -> Credentials:
        return parse_credentials(_request(self.uri, self.description), self.description)


class EcsRamRole:
    """The RAM role of this ECS instance, from its metadata service (IMDSv2, else v1).

    `role` None or empty: the role attached to the instance, as the service lists it.
    `metadata` is the service's address (tests point it at a loopback server).
    """

    def __init__(self, role: str | None, metadata: str = ECS_METADATA, *, v1_allowed: bool = True):
        self.role = role or None
        self.metadata = metadata.rstrip("/")
        self.v1_allowed = v1_allowed
        named = f"the ECS RAM role {role}" if role else "the ECS instance's RAM role"
        self.description = f"{named} (metadata service {self.metadata})"

    def _token(self) -> str | None:
        try:
            raw = _request(
                self.metadata + ECS_TOKEN_PATH,
                "The ECS metadata service",
                method="PUT",
                headers={"X-aliyun-ecs-metadata-token-ttl-seconds": ECS_TOKEN_TTL},
            )
        except CredentialsError:
            if self.v1_allowed:
                return None  # an older service without session tokens: ask without one
            raise
        return raw.decode("utf-8", "replace").strip()

    def __call__(self) -> Credentials:
        token = self._token()
        headers = {"X-aliyun-ecs-metadata-token": token} if token else {}
        role = self.role
        if role is None:
            listed = _request(
                self.metadata + ECS_CREDENTIALS_PATH, self.description, headers=headers
            )
            names = listed.decode("utf-8", "replace").split()
            if not names:
                raise CredentialsError(
                    "This ECS instance has no RAM role attached.",
                    hint="Attach a RAM role to the instance, or name one with "
                    "ALIBABA_CLOUD_ECS_METADATA.",
                )
            role = names[0]  # an instance has at most one role
        url = self.metadata + ECS_CREDENTIALS_PATH + urllib.parse.quote(role, safe="")
        return parse_credentials(_request(url, self.description, headers=headers), self.description)
