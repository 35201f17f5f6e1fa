"""Raw HTTP requests to the emulator, signed with V1 from oss2's own signer."""

from __future__ import annotations

import http.client
from urllib.parse import quote


def signed_request(server, method: str, bucket: str, key: str, body: bytes = b"",
                   headers: dict | None = None, params: dict | None = None,
                   host: str | None = None, path: str | None = None):  # fmt: skip
    """(status, body) of one request signed by oss2.Auth, sent with http.client."""
    import oss2
    from oss2 import http as oss_http

    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    url = f"{server.endpoint}/{bucket}/{quote(key, safe='')}"
    req = oss_http.Request(method, url, data=body, params=params or {}, headers=headers or {})
    auth._sign_request(req, bucket, key)
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" if v else k
                     for k, v in (params or {}).items())  # fmt: skip
    target = path or f"/{bucket}/{quote(key, safe='')}"
    if query:
        target += "?" + query
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        send_headers = {k: v for k, v in req.headers.items() if v is not None}
        if host:
            send_headers["Host"] = host
        conn.request(method, target, body=body, headers=send_headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()
