"""Request authentication as OSS checks it: signature V1 and V4, headers and presigned URLs.

Follows the OSS reference ("Include signatures in the Authorization header", "Signature
version 4") and oss2/auth.py, which is what the client computes: `ProviderAuth` (V1) and
`ProviderAuthV4`. Returns None for anonymous requests; raises OssError when a signature is
present and wrong.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email.message import Message
from email.utils import parsedate_to_datetime

from ossbrowse.emulator.errors import OssError, access_denied
from ossbrowse.emulator.subresources import SIGNED

# Query parameters V1 signs: every sub-resource OSS signs (see subresources.py).
V1_SUBRESOURCES = SIGNED
V4_ALGORITHM = "OSS4-HMAC-SHA256"
V4_DEFAULT_SIGNED = ("content-type", "content-md5")
MAX_SKEW = 15 * 60  # OSS refuses a request whose date is more than 15 minutes off


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    access_key_secret: str
    sts_token: str | None = None
    region: str = "cn-hangzhou"
    sts_expires: float | None = None  # seconds since the epoch; None: the token never expires


@dataclass
class SignedRequest:
    """What the signature covers, as the server received it."""

    method: str
    bucket: str | None
    key: str  # decoded object key ('' for bucket and service requests)
    params: Mapping[str, str]  # decoded query parameters
    headers: Mapping[str, str] | Message  # case-insensitive: http.server gives a Message
    header_items: list[tuple[str, str]]  # every header, in order


def authenticate(req: SignedRequest, creds: Credentials, now: float | None = None) -> str | None:
    """The access key id that signed `req`, or None when it is anonymous."""
    try:
        return _authenticate(req, creds, now)
    except OssError as exc:
        as_sent = _utf8_headers(req) if exc.code == "SignatureDoesNotMatch" else None
        if as_sent is None:
            raise
        return _authenticate(as_sent, creds, now)


class _Headers(dict):
    """Header values by lower-case name (what the checks below ask of `req.headers`)."""

    def get(self, name, default=None):  # type: ignore[override]
        return super().get(name.lower(), default)


def _utf8_headers(req: SignedRequest) -> SignedRequest | None:
    """`req` with non-ASCII header values read as the UTF-8 bytes the client sent.

    http.server decodes header bytes as Latin-1. A client that sends a non-ASCII user
    metadata value as raw UTF-8 bytes (oss2 with a bytes value, ali-oss) signs those bytes;
    one that sends a Latin-1 text (oss2 and alibabacloud-oss-v2 with `café`) signs its UTF-8
    form. Both are the same header bytes on the wire, so either reading is accepted.
    None when no value changes.
    """
    items, changed = [], False
    for name, value in req.header_items:
        if not value.isascii():
            try:
                value = value.encode("latin-1").decode("utf-8")
                changed = True
            except UnicodeError:
                pass
        items.append((name, value))
    if not changed:
        return None
    headers = _Headers((name.lower(), value) for name, value in items)
    return replace(req, headers=headers, header_items=items)


def _authenticate(req: SignedRequest, creds: Credentials, now: float | None) -> str | None:
    now = time.time() if now is None else now
    authorization = req.headers.get("Authorization") or ""
    params = req.params
    if authorization.startswith("OSS "):
        return _check_v1_header(req, creds, authorization, now)
    if authorization.startswith(V4_ALGORITHM):
        return _check_v4_header(req, creds, authorization, now)
    if _is_s3(authorization, params):
        raise s3_not_spoken()
    if authorization:
        raise OssError(400, "InvalidArgument", "Authorization header is invalid.")
    if "OSSAccessKeyId" in params and "Signature" in params:
        return _check_v1_presigned(req, creds, now)
    if params.get("x-oss-signature-version") == V4_ALGORITHM:
        return _check_v4_presigned(req, creds, now)
    return None


def _is_s3(authorization: str, params: Mapping[str, str]) -> bool:
    return (
        authorization.startswith(("AWS ", "AWS4-HMAC-SHA256"))
        or "X-Amz-Signature" in params
        or ("AWSAccessKeyId" in params and "Signature" in params)
    )


def s3_not_spoken() -> OssError:
    # OSS itself accepts much of the S3 API; this server speaks the OSS dialect only, and says
    # so rather than calling an S3 signature "invalid".
    return OssError(
        501,
        "NotImplemented",
        "This server speaks the OSS API only: requests signed for Amazon S3 (AWS signature "
        "V2 or V4) are not supported. Use an OSS SDK (oss2, alibabacloud-oss-v2, ali-oss) or "
        "OSS signatures.",
    )


def _check_key(access_key_id: str, creds: Credentials) -> None:
    if not hmac.compare_digest(access_key_id, creds.access_key_id):
        raise OssError(
            403,
            "InvalidAccessKeyId",
            "The OSS Access Key Id you provided does not exist in our records.",
            OSSAccessKeyId=access_key_id,
        )


def _check_token(token: str | None, creds: Credentials) -> None:
    # A configured STS token must come with every request; a token sent to a server without
    # STS is refused too, as OSS refuses a token that does not belong to the key.
    if creds.sts_token is None and not token:
        return
    if creds.sts_token is not None and not token:
        raise OssError(403, "InvalidAccessKeyId", "The security token is missing for this key.")
    if creds.sts_token is None or not hmac.compare_digest(token or "", creds.sts_token):
        raise OssError(403, "InvalidSecurityToken", "The security token you provided is invalid.")
    if creds.sts_expires is not None and time.time() >= creds.sts_expires:
        # OSS's answer for expired STS credentials (error EC 0002-00000007).
        raise OssError(
            403,
            "InvalidAccessKeyId",
            "The security token you provided has expired.",
            EC="0002-00000007",
        )


def _mismatch(string_to_sign: str, provided: str, access_key_id: str) -> OssError:
    # Real OSS echoes the string it signed so a client can compare: the secret is not in it.
    return OssError(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your key and signing method.",
        StringToSign=string_to_sign,
        SignatureProvided=provided,
        OSSAccessKeyId=access_key_id,
    )


# -- V1 ----------------------------------------------------------------------------------------


def v1_string_to_sign(req: SignedRequest, date: str) -> str:
    oss_headers = sorted(
        (name.lower(), value)
        for name, value in req.header_items
        if name.lower().startswith("x-oss-")
    )
    canonical_headers = "".join(f"{name}:{value}\n" for name, value in oss_headers)
    resource = f"/{req.bucket}/{req.key}" if req.bucket else "/"
    subresources = sorted((k, v) for k, v in req.params.items() if k in V1_SUBRESOURCES)
    if subresources:
        resource += "?" + "&".join(f"{k}={v}" if v else k for k, v in subresources)
    return "\n".join(
        [
            req.method,
            req.headers.get("Content-MD5") or "",
            req.headers.get("Content-Type") or "",
            date,
            canonical_headers + resource,
        ]
    )


def _v1_signature(secret: str, string_to_sign: str) -> str:
    digest = hmac.new(secret.encode(), string_to_sign.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _check_v1_header(req: SignedRequest, creds: Credentials, authorization: str, now: float):
    access_key_id, _, provided = authorization[4:].strip().rpartition(":")
    _check_key(access_key_id, creds)
    _check_token(req.headers.get("x-oss-security-token"), creds)
    date = req.headers.get("x-oss-date") or req.headers.get("Date") or ""
    _check_http_date(date, now)
    string_to_sign = v1_string_to_sign(req, date)
    expected = _v1_signature(creds.access_key_secret, string_to_sign)
    if not hmac.compare_digest(expected, provided):
        raise _mismatch(string_to_sign, provided, access_key_id)
    return access_key_id


def _check_v1_presigned(req: SignedRequest, creds: Credentials, now: float):
    params = req.params
    access_key_id = params["OSSAccessKeyId"]
    _check_key(access_key_id, creds)
    _check_token(params.get("security-token"), creds)
    expires = params.get("Expires", "")
    if not expires.isdigit():
        raise access_denied("Invalid argument: Expires.")
    if int(expires) < now:
        raise access_denied("Request has expired.")
    string_to_sign = v1_string_to_sign(req, expires)
    expected = _v1_signature(creds.access_key_secret, string_to_sign)
    if not hmac.compare_digest(expected, params["Signature"]):
        raise _mismatch(string_to_sign, params["Signature"], access_key_id)
    return access_key_id


def _check_http_date(date: str, now: float) -> None:
    try:
        when = parsedate_to_datetime(date).timestamp()
    except (TypeError, ValueError, IndexError):
        raise access_denied("Invalid date format or missing Date header.") from None
    if abs(when - now) > MAX_SKEW:
        raise OssError(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )


# -- V4 ----------------------------------------------------------------------------------------


def v4_uri_encode(text: str, keep_slash: bool) -> str:
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if (char.isascii() and (char.isalnum() or char in "_-~.")) or (keep_slash and char == "/"):
            out.append(char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def v4_canonical_request(req: SignedRequest, additional: list[str], params: Mapping) -> str:
    uri = f"/{req.bucket}/{req.key}" if req.bucket else "/"
    encoded = sorted((v4_uri_encode(k, False), v4_uri_encode(v, False)) for k, v in params.items())
    query = "&".join(f"{k}={v}" if v else k for k, v in encoded)
    signed = set(additional)
    headers = sorted(
        (name.lower(), value)
        for name, value in req.header_items
        if name.lower().startswith("x-oss-")
        or name.lower() in V4_DEFAULT_SIGNED
        or name.lower() in signed
    )
    payload = req.headers.get("x-oss-content-sha256") or "UNSIGNED-PAYLOAD"
    return "\n".join(
        [
            req.method,
            v4_uri_encode(uri, True),
            query,
            "".join(f"{name}:{value}\n" for name, value in headers),
            ";".join(sorted(additional)),
            payload,
        ]
    )


def _v4_signature(secret: str, date_time: str, scope: str, canonical: str, region: str) -> str:
    string_to_sign = "\n".join(
        [V4_ALGORITHM, date_time, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()]
    )
    key = ("aliyun_v4" + secret).encode()
    for part in (date_time[:8], region, "oss", "aliyun_v4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _parse_credential(credential: str, creds: Credentials) -> tuple[str, str, str]:
    """Split `id/date/region/oss/aliyun_v4_request`; check the key id and the scope."""
    pieces = credential.split("/")
    if len(pieces) != 5 or pieces[3] != "oss" or pieces[4] != "aliyun_v4_request":
        raise OssError(400, "InvalidArgument", "Invalid credential in Authorization header.")
    access_key_id, date, region = pieces[0], pieces[1], pieces[2]
    _check_key(access_key_id, creds)
    if region != creds.region:
        raise OssError(
            403,
            "SignatureDoesNotMatch",
            f"Invalid signing region in Authorization header: expected {creds.region}.",
        )
    return access_key_id, date, region


def _iso_to_epoch(text: str) -> float:
    try:
        return calendar.timegm(time.strptime(text, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise access_denied("Invalid x-oss-date.") from None


def _check_v4_header(req: SignedRequest, creds: Credentials, authorization: str, now: float):
    fields: dict[str, str] = {}
    for item in authorization[len(V4_ALGORITHM) :].split(","):
        name, _, value = item.strip().partition("=")
        fields[name] = value
    if "Credential" not in fields or "Signature" not in fields:
        raise OssError(400, "InvalidArgument", "Authorization header is invalid.")
    access_key_id, date, region = _parse_credential(fields["Credential"], creds)
    _check_token(req.headers.get("x-oss-security-token"), creds)
    date_time = req.headers.get("x-oss-date") or ""
    when = _iso_to_epoch(date_time)
    if date_time[:8] != date:
        raise access_denied("The date in the credential scope does not match x-oss-date.")
    if abs(when - now) > MAX_SKEW:
        raise OssError(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        )
    additional = [h for h in fields.get("AdditionalHeaders", "").lower().split(";") if h]
    canonical = v4_canonical_request(req, additional, req.params)
    scope = f"{date}/{region}/oss/aliyun_v4_request"
    expected = _v4_signature(creds.access_key_secret, date_time, scope, canonical, region)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise _mismatch(canonical, fields["Signature"], access_key_id)
    return access_key_id


def _check_v4_presigned(req: SignedRequest, creds: Credentials, now: float):
    params = dict(req.params)
    provided = params.pop("x-oss-signature", "")
    access_key_id, date, region = _parse_credential(params.get("x-oss-credential", ""), creds)
    _check_token(params.get("x-oss-security-token"), creds)
    date_time = params.get("x-oss-date", "")
    expires = params.get("x-oss-expires", "")
    if date_time[:8] != date or not expires.isdigit():
        raise access_denied("Invalid x-oss-date or x-oss-expires.")
    if _iso_to_epoch(date_time) + int(expires) < now:
        raise access_denied("Request has expired.")
    additional = [h for h in params.get("x-oss-additional-headers", "").lower().split(";") if h]
    canonical = v4_canonical_request(req, additional, params)
    scope = f"{date}/{region}/oss/aliyun_v4_request"
    expected = _v4_signature(creds.access_key_secret, date_time, scope, canonical, region)
    if not hmac.compare_digest(expected, provided):
        raise _mismatch(canonical, provided, access_key_id)
    return access_key_id
