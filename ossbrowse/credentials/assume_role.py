"""A RAM role assumed through Alibaba Cloud STS (`AssumeRole`), for the aliyun CLI's
RamRoleArn and ChainableRamRoleArn profiles.

An RPC-style request signed with HMAC-SHA1 ("Signature version 1.0" of Alibaba Cloud's
RPC APIs): the query parameters sorted, percent-encoded as RFC 3986, joined, and signed with
the base key's secret plus `&`. The answer's `Credentials` object carries the temporary key
pair, its token and `Expiration`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ossbrowse.credentials import Credentials
from ossbrowse.credentials.http_sources import fetch_json, parse_credentials_object
from ossbrowse.errors import CredentialsError

DEFAULT_DURATION = 3600  # seconds; STS accepts 900 up to the role's maximum
STS_ENDPOINT_ENV = "OSSBROWSE_STS_ENDPOINT_URL"  # tests point it at a loopback server


def percent_encode(text: str) -> str:
    """RFC 3986: everything but letters, digits and `-_.~` as %XX of the UTF-8 bytes."""
    return urllib.parse.quote(text, safe="~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(method: str, params: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def sts_endpoint(region: str | None, vpc: bool, env: Mapping[str, str]) -> str:
    if env.get(STS_ENDPOINT_ENV):
        return env[STS_ENDPOINT_ENV].rstrip("/")
    prefix = "sts-vpc" if vpc else "sts"
    return f"https://{prefix}.{region}.aliyuncs.com" if region else "https://sts.aliyuncs.com"


@dataclass
class AssumeRole:
    """Fetch a role's credentials with the key pair `base()` gives."""

    base: Callable[[], Credentials]
    role_arn: str
    endpoint: str
    session_name: str = ""
    duration: int = DEFAULT_DURATION
    policy: str = ""
    external_id: str = ""

    @property
    def description(self) -> str:
        return f"the RAM role {self.role_arn} (STS {self.endpoint})"

    def request_params(self, base: Credentials, now: float, nonce: str) -> dict[str, str]:
        params = {
            "Action": "AssumeRole",
            "Format": "JSON",
            "Version": "2015-04-01",
            "AccessKeyId": base.access_key_id,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
            "SignatureNonce": nonce,
            "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
            "RoleArn": self.role_arn,
            "RoleSessionName": self.session_name or f"ossbrowse-{int(now)}",
            "DurationSeconds": str(self.duration),
        }
        if self.policy:
            params["Policy"] = self.policy
        if self.external_id:
            params["ExternalId"] = self.external_id
        if base.security_token:
            params["SecurityToken"] = base.security_token
        params["Signature"] = rpc_signature("GET", params, base.access_key_secret)
        return params

    def __call__(self) -> Credentials:
        params = self.request_params(self.base(), time.time(), str(uuid.uuid4()))
        url = f"{self.endpoint}/?{urllib.parse.urlencode(params, quote_via=urllib.parse.quote)}"
        data = fetch_json(url, self.description)
        inner = data.get("Credentials")
        if not isinstance(inner, dict):
            raise CredentialsError(
                f"{self.description[0].upper()}{self.description[1:]} answered without "
                "Credentials.",
                hint="Check the role's ARN and that the key may assume it (sts:AssumeRole).",
            )
        return parse_credentials_object(inner, self.description)
