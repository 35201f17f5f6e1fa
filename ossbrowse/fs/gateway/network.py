"""What the HTTP stack under oss2 raised: requests, urllib3, http.client and socket failures.

The gateway's translation (`failures`) and the retry rule (`fs.retrying`) ask here whether a
failure broke the connection or the answer on the way (worth sending again) or can never
succeed from this machine (bad URL, certificate, a host name that does not exist).
"""

from __future__ import annotations

import errno
import http.client
import socket
import ssl

# Host names that do not exist stay that way; a resolver that is briefly down (EAI_AGAIN) not.
_PERMANENT_GAI = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
)


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception it wraps (oss2 -> requests -> urllib3 -> socket), no loops."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__, getattr(item, "reason", None)])
        todo.extend(getattr(item, "args", ()))
        todo.append(getattr(item, "exception", None))  # oss2.RequestError keeps it here
    return seen


def is_permanent_network(exc: BaseException) -> bool:
    """A failure to reach the server that no retry mends: bad URL, certificate, no such host."""
    for item in exception_chain(exc):
        name = type(item).__name__
        if name in ("InvalidURL", "MissingSchema", "InvalidSchema", "InvalidHeader",
                    "LocationParseError", "URLSchemeUnknown"):  # fmt: skip
            return True
        if isinstance(item, ssl.SSLCertVerificationError) or name == "CertificateError":
            return True
        if isinstance(item, socket.gaierror) and item.errno in _PERMANENT_GAI:
            return True
    return False


def is_broken_transport(exc: BaseException) -> bool:
    """The connection failed or the answer broke off: requests, urllib3, http.client, socket."""
    if isinstance(exc, ConnectionError | TimeoutError):  # reset, refused, aborted, broken pipe
        return True
    if isinstance(exc, http.client.IncompleteRead | http.client.BadStatusLine):
        return True  # RemoteDisconnected is a BadStatusLine and a ConnectionResetError
    module = type(exc).__module__.split(".")[0]
    if module == "requests":
        from requests import exceptions as rex

        return isinstance(
            exc, rex.ChunkedEncodingError | rex.ConnectionError | rex.Timeout
        ) and not isinstance(exc, rex.SSLError | rex.InvalidURL)
    if module == "urllib3":
        from urllib3 import exceptions as u3

        if isinstance(exc, u3.MaxRetryError):
            return exc.reason is not None and is_broken_transport(exc.reason)
        return isinstance(
            exc, u3.ProtocolError | u3.TimeoutError | u3.NewConnectionError | u3.IncompleteRead
        )
    return isinstance(exc, OSError) and exc.errno in (errno.ECONNRESET, errno.ETIMEDOUT)
