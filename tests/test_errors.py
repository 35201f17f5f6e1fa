"""Every failure a person can meet becomes an error saying what happened and what to do.

Each is provoked for real against the local server (or a real socket) through oss2.
AccessDenied comes from the server for anonymous requests to a private bucket; an expired STS
token from a server whose token has an expiry time in the past. Both spellings OSS has used
for an expired token are also checked from error bodies.
"""

from __future__ import annotations

import socket
import threading

import oss2
import pytest

from ossbrowse import errors
from ossbrowse.emulator import FaultRule
from ossbrowse.fs.gateway.failures import translate
from ossbrowse.fs.oss import OssClient, OssFileSystem
from ossbrowse.fs.retrying import REQUEST_RETRY

from .fs.conftest import settings_for


def fs_for(server, **overrides) -> OssFileSystem:
    return OssFileSystem(OssClient(settings_for(server, **overrides)))


@pytest.fixture
def oss_fs(oss_server) -> OssFileSystem:
    return fs_for(oss_server)


def no_secret_in(exc: BaseException, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in str(exc)


def test_wrong_access_key_id(oss_server, oss_bucket):
    fs = fs_for(oss_server, access_key_id="LTAIwrongwrongwrong0")
    with pytest.raises(errors.CredentialsError, match="InvalidAccessKeyId") as caught:
        fs.list_page(f"oss://{oss_bucket.bucket_name}/")
    assert "config show" in str(caught.value)


def test_wrong_secret(oss_server, oss_bucket):
    fs = fs_for(oss_server, access_key_secret="not-the-secret-at-all")
    with pytest.raises(errors.CredentialsError, match="SignatureDoesNotMatch") as caught:
        fs.list_page(f"oss://{oss_bucket.bucket_name}/")
    assert "secret is wrong" in str(caught.value)
    no_secret_in(caught.value, "not-the-secret-at-all", "ossbrowse-secret")


def test_wrong_secret_with_v4(oss_server, oss_bucket):
    fs = fs_for(oss_server, access_key_secret="not-the-secret-at-all", region="cn-hangzhou")
    with pytest.raises(errors.CredentialsError, match="SignatureDoesNotMatch"):
        fs.stat(f"oss://{oss_bucket.bucket_name}/k")


def test_missing_bucket(oss_fs, oss_server):
    with pytest.raises(errors.BucketNotFound) as caught:
        oss_fs.list_page("oss://no-such-bucket-404/")
    text = str(caught.value)
    assert "no-such-bucket-404" in text and oss_server.endpoint in text
    assert "Check the bucket name" in text and "region" in text


def test_missing_key(oss_fs, oss_bucket):
    with pytest.raises(errors.NoSuchKey, match=r"oss://.*/nope\.txt does not exist"):
        oss_fs.open_read(f"oss://{oss_bucket.bucket_name}/nope.txt")


def test_unresolvable_host():
    fs = OssFileSystem(
        OssClient(
            settings_for(type("S", (), {"endpoint": "http://no-such-host.invalid"})(), timeout=5)
        )
    )
    with pytest.raises(errors.HostNotFound, match="does not resolve") as caught:
        fs.list_page("oss://some-bucket/")
    assert "no-such-host.invalid" in str(caught.value)
    assert "DNS" in str(caught.value)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_endpoint():
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    fs = OssFileSystem(OssClient(settings_for(type("S", (), {"endpoint": endpoint})())))
    with pytest.raises(errors.Unreachable, match="connection refused") as caught:
        fs.list_page("oss://some-bucket/")
    assert "server is running" in str(caught.value)


@pytest.fixture
def silent_server():
    """Accepts connections and never answers: what an unreachable internal endpoint feels like."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_deadline_exceeded(silent_server):
    server = type("S", (), {"endpoint": silent_server})()
    fs = OssFileSystem(OssClient(settings_for(server, timeout=0.3)))
    with pytest.raises(errors.DeadlineExceeded, match="did not answer in time") as caught:
        fs.list_page("oss://some-bucket/")
    assert "internal endpoint" in str(caught.value)


def test_deadline_exceeded_from_server_latency(oss_server, oss_bucket, oss_faults):
    # A timeout is transient: a pane's listing asks again (REQUEST_RETRY's 3 attempts)
    # and says so only when every attempt timed out.
    attempts = REQUEST_RETRY.attempts
    oss_faults.add(f"list_objects_v2|list_objects:latency=1.0:count={attempts}")
    fs = fs_for(oss_server, timeout=0.3)
    with pytest.raises(errors.DeadlineExceeded):
        fs.list_page(f"oss://{oss_bucket.bucket_name}/")


def test_one_timeout_is_asked_again(oss_server, oss_bucket, oss_faults):
    oss_bucket.put_object("k", b"x")
    # The first listing is held (never answered in time, however loaded the machine); the
    # timeout leaves the second, normal one far more time than it needs on a loaded machine.
    oss_faults.add(FaultRule(("list_objects_v2", "list_objects"), count=1, hold=threading.Event()))
    fs = fs_for(oss_server, timeout=2.0)
    assert [e.name for e in fs.list_page(f"oss://{oss_bucket.bucket_name}/").entries] == ["k"]


def test_access_denied_names_the_action(oss_server, oss_bucket):
    oss_bucket.put_object("private.txt", b"x")
    anonymous = fs_for(oss_server, access_key_id=None, access_key_secret=None)
    with pytest.raises(errors.AccessDenied, match="oss:ListObjects") as caught:
        anonymous.list_page(f"oss://{oss_bucket.bucket_name}/")
    assert caught.value.action == "oss:ListObjects"
    with pytest.raises(errors.AccessDenied, match="oss:GetObject"):
        anonymous.open_read(f"oss://{oss_bucket.bucket_name}/private.txt")


def test_archived_object(oss_fs, oss_bucket):
    oss_bucket.put_object("cold", b"x", headers={"x-oss-storage-class": "ColdArchive"})
    with pytest.raises(errors.ArchivedObjectError, match="Restore it first"):
        oss_fs.open_read(f"oss://{oss_bucket.bucket_name}/cold")


def test_invalid_sts_token():
    from ossbrowse.emulator import EmulatorServer

    with EmulatorServer(sts_token="right-token") as srv:
        srv.create_bucket("sts-errors")
        fs = fs_for(srv, sts_token="wrong-token-value")
        with pytest.raises(errors.CredentialsError, match="token") as caught:
            fs.list_page("oss://sts-errors/")
        no_secret_in(caught.value, "wrong-token-value", "right-token")


def test_expired_sts_token_provoked_for_real():
    import time

    from ossbrowse.emulator import EmulatorServer

    with EmulatorServer(sts_token="old-token", sts_token_expires=time.time() - 1) as srv:
        fs = fs_for(srv, sts_token="old-token")
        with pytest.raises(errors.TokenExpired, match="token has expired") as caught:
            fs.list_page("oss://")
        no_secret_in(caught.value, "old-token", srv.access_key_secret)


def test_server_error_says_try_again(oss_server, oss_bucket, oss_faults):
    # 503 is transient: asked again until the attempts run out, then said.
    oss_faults.add(f"list_objects_v2|list_objects:status=503:count={REQUEST_RETRY.attempts}")
    with pytest.raises(errors.ServiceError, match="try again"):
        fs_for(oss_server).list_page(f"oss://{oss_bucket.bucket_name}/")


# --- mapping of real OSS error bodies the local server does not produce -------------------


class _Response:
    """Just enough of an HTTP response for oss2's own error parser."""

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.headers = {"x-oss-request-id": "5C3D9175B6FC201293AD4890"}
        self._body = body

    def read(self, _size: int = -1) -> bytes:
        return self._body


def _oss_error(status: int, code: str, message: str) -> Exception:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>{code}</Code>\n'
        f"  <Message>{message}</Message>\n  <RequestId>5C3D9175B6FC201293AD4890</RequestId>\n"
        "  <HostId>bucket.oss-cn-hangzhou.aliyuncs.com</HostId>\n</Error>"
    ).encode()
    return oss2.exceptions.make_exception(_Response(status, body))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("InvalidAccessKeyId", "The security token you provided has expired."),
        ("SecurityTokenExpired", "The security token you provided has expired."),
    ],
)
def test_expired_sts_token_says_so(code, message):
    error = translate(_oss_error(403, code, message), action="oss:ListObjects")
    assert isinstance(error, errors.TokenExpired)
    assert "token has expired" in str(error) and "fresh token" in str(error)


def test_access_denied_body_from_oss():
    exc = _oss_error(403, "AccessDenied", "You have no right to access this object.")
    assert isinstance(exc, oss2.exceptions.AccessDenied)
    error = translate(exc, action="oss:PutObject", bucket="b-1", key="k")
    assert isinstance(error, errors.AccessDenied)
    assert "oss:PutObject" in str(error) and "oss://b-1/k" in str(error)


def test_clock_skew_and_unknown_codes():
    skew = translate(
        _oss_error(403, "RequestTimeTooSkewed", "The difference ... is too large."),
        action="oss:GetObject",
    )
    assert "clock" in str(skew)
    odd = translate(
        _oss_error(400, "Weird\x1b[2J", "msg\x07"), action="oss:GetObject", bucket="abc"
    )
    assert isinstance(odd, errors.ServiceError)
    assert "\x1b" not in str(odd) and "\x07" not in str(odd)


def test_every_error_is_one_line_and_actionable():
    samples = [
        translate(_oss_error(404, "NoSuchBucket", "x"), action="a", bucket="abc"),
        translate(_oss_error(404, "NoSuchKey", "x"), action="a", bucket="abc", key="k"),
        translate(_oss_error(403, "InvalidObjectState", "x"), action="a", bucket="abc"),
        translate(_oss_error(403, "SignatureDoesNotMatch", "x"), action="a"),
        translate(_oss_error(500, "InternalError", "x"), action="a"),
    ]
    for error in samples:
        assert "\n" not in str(error)
        assert error.hint, error


def test_local_errors(tmp_path):
    assert isinstance(errors.from_os_error(FileNotFoundError(2, "x"), "/p"), errors.NoSuchKey)
    assert isinstance(errors.from_os_error(PermissionError(13, "x"), "/p"), errors.AccessDenied)
    eio = errors.from_os_error(OSError(5, "Input/output error"), "/mnt/oss/a")
    assert "archived" in str(eio)


def test_an_answer_cut_short_is_a_sentence_not_a_tuple():
    # Issue 11, case 4: the mover printed ("Connection broken: ConnectionResetError(104, ...)",
    # ConnectionResetError(104, ...)) for a reset while CopyObject's answer was read.
    import requests.exceptions as rex
    import urllib3.exceptions as u3

    reset = ConnectionResetError(104, "Connection reset by peer")
    cut = rex.ChunkedEncodingError(u3.ProtocolError(f"Connection broken: {reset!r}", reset))
    for exc in (cut, oss2.exceptions.RequestError(cut)):
        error = translate(exc, action="oss:CopyObject", bucket="b", key="k")
        text = str(error)
        assert isinstance(error, errors.Unreachable)
        assert text.startswith("The connection to the endpoint broke off while the answer to")
        assert "ConnectionResetError" not in text and "Connection broken" not in text
    error = translate(reset, action="oss:ListObjects")
    assert str(error).startswith("The connection to the endpoint was reset during oss:ListObjects")
