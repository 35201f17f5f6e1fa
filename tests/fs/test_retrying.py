"""The one notion of transient and the one retry rule (`ossbrowse.fs.retrying`).

The failures that matter are provoked for real: the local server cuts the answer of CopyObject,
a listing page, a delete batch and CompleteMultipartUpload after a few bytes (`times=N` fault
rules fire on the first N attempts of each request, so nothing here depends on chance), and
the exception oss2 raises is what is classified and retried. The table of exception types
below is pure logic.
"""

from __future__ import annotations

import errno
import http.client
import socket

import oss2
import oss2.exceptions as oe
import pytest
import requests.exceptions as rex
import urllib3.exceptions as u3

from ossbrowse import errors
from ossbrowse.fs import listing_xml
from ossbrowse.fs.delete_batch import delete_keys
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.gateway.failures import translate
from ossbrowse.fs.gateway.multipart import complete_multipart_upload
from ossbrowse.fs.retrying import PartChecksumMismatch, RetryPolicy, is_transient
from ossbrowse.tasks import Control

FAST = RetryPolicy(attempts=6, base_delay=0.001, max_delay=0.01)


def _reset() -> ConnectionResetError:
    return ConnectionResetError(104, "Connection reset by peer")


def _broken_chunk() -> rex.ChunkedEncodingError:
    # What requests raises when the answer's body breaks off (the case that escaped).
    inner = u3.ProtocolError(f"Connection broken: {_reset()!r}", _reset())
    return rex.ChunkedEncodingError(inner)


TRANSIENT = [
    _reset(),
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError("timed out"),
    BrokenPipeError(32, "Broken pipe"),
    http.client.IncompleteRead(b"<Copy", 40),
    http.client.RemoteDisconnected("Remote end closed connection without response"),
    u3.ProtocolError("Connection broken: IncompleteRead(5 bytes read, 40 more expected)"),
    u3.IncompleteRead(5, 40),
    u3.ReadTimeoutError(None, "/", "Read timed out."),
    _broken_chunk(),
    rex.ConnectionError(_reset()),
    rex.ReadTimeout("read timeout"),
    oe.RequestError(_broken_chunk()),
    oe.RequestError(_reset()),
    oe.ServerError(500, {}, b"", {}),
    oe.ServerError(502, {}, b"", {}),
    oe.ServerError(503, {}, b"", {}),
    oe.ServerError(504, {}, b"", {}),
    oe.InconsistentError("crc mismatch"),
    PartChecksumMismatch("part 3"),
]
PERMANENT = [
    oe.ServerError(400, {}, b"", {}),
    oe.ServerError(403, {}, b"", {}),
    oe.ServerError(404, {}, b"", {}),
    oe.ServerError(409, {}, b"", {}),
    oe.ServerError(412, {}, b"", {}),
    oe.ClientError("key_list should not be empty"),
    oe.RequestError(rex.InvalidURL("bad url")),
    oe.RequestError(socket.gaierror(socket.EAI_NONAME, "Name or service not known")),
    OSError(errno.ENOSPC, "No space left on device"),
    PermissionError(errno.EACCES, "Permission denied"),
    ValueError("not a network failure"),
    errors.UsageError("bad flag"),
]


def _judged(exc: BaseException) -> bool:
    """The rule's verdict on `exc` as it leaves the gateway (translated into the product's
    errors there); the product's own errors and a part's CRC mismatch are judged as they are."""
    if not isinstance(exc, errors.OssBrowseError | PartChecksumMismatch):
        exc = translate(exc, action="oss:GetObject", bucket="b", key="k")
        assert isinstance(exc, errors.OssBrowseError)
    return is_transient(exc)


@pytest.mark.parametrize("exc", TRANSIENT, ids=lambda e: type(e).__name__)
def test_transient(exc):
    assert _judged(exc)


@pytest.mark.parametrize("exc", PERMANENT, ids=lambda e: type(e).__name__)
def test_not_transient(exc):
    assert not _judged(exc)


def test_a_connection_broken_in_the_callers_own_reading_is_transient():
    # A transfer that finds a body shorter than promised raises a ConnectionError itself.
    assert is_transient(_reset()) and is_transient(http.client.IncompleteRead(b"", 3))
    assert not is_transient(ValueError("x")) and not is_transient(OSError(errno.ENOSPC, "x"))


def _server_error(status: int, code: str) -> oe.OssError:
    class Answer:
        def __init__(self) -> None:
            self.status = status
            self.headers = {"x-oss-request-id": "1"}

        def read(self, _n: int = -1) -> bytes:
            return f"<Error><Code>{code}</Code><Message>m</Message></Error>".encode()

    return oe.make_exception(Answer())


def test_codes_that_say_send_it_again():
    assert _judged(_server_error(400, "InvalidDigest"))  # damaged on the way
    assert _judged(_server_error(400, "RequestTimeout"))  # body too slow
    assert not _judged(_server_error(400, "MalformedXML"))
    assert not _judged(_server_error(404, "NoSuchUpload"))


def test_the_gateways_errors_carry_what_the_rule_reads():
    cut = translate(_broken_chunk(), action="oss:CopyObject")
    assert isinstance(cut, errors.NetworkError) and not cut.permanent
    nxdomain = oe.RequestError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    gone = translate(nxdomain, action="oss:CopyObject")
    assert isinstance(gone, errors.HostNotFound) and gone.permanent
    busy = translate(_server_error(503, "ServiceUnavailable"), action="oss:GetObject")
    assert (busy.status, busy.code, busy.request_id) == (503, "ServiceUnavailable", "1")


def test_an_error_raised_about_another_is_judged_by_it():
    try:
        try:
            raise translate(_broken_chunk(), action="oss:CopyObject")
        except errors.OssBrowseError as exc:
            raise errors.OssBrowseError("The copy did not finish.") from exc
    except errors.OssBrowseError as wrapped:
        assert is_transient(wrapped)
    try:
        try:
            raise translate(oe.ServerError(403, {}, b"", {}), action="oss:CopyObject")
        except errors.OssBrowseError as exc:
            raise errors.OssBrowseError("The copy did not finish.") from exc
    except errors.OssBrowseError as wrapped:
        assert not is_transient(wrapped)


# --- the rule -----------------------------------------------------------------------------


def test_bounded_attempts_and_permanent_failures_at_once():
    calls = []

    def always_reset():
        calls.append(1)
        raise _broken_chunk()

    with pytest.raises(rex.ChunkedEncodingError):
        FAST.call(always_reset)
    assert len(calls) == FAST.attempts
    calls.clear()

    def denied():
        calls.append(1)
        raise oe.ServerError(403, {}, b"", {})

    with pytest.raises(oe.ServerError):
        FAST.call(denied)
    assert len(calls) == 1


def test_on_retry_hears_each_failure_and_the_answer_comes_back():
    seen = []
    outcomes = iter([_reset(), _broken_chunk(), "ok"])

    def flaky():
        item = next(outcomes)
        if isinstance(item, BaseException):
            raise item
        return item

    assert FAST.call(flaky, on_retry=lambda exc, n: seen.append((type(exc).__name__, n))) == "ok"
    assert seen == [("ConnectionResetError", 1), ("ChunkedEncodingError", 2)]


def test_a_cancel_during_the_backoff_ends_with_the_failure_that_caused_it():
    token = Control()
    calls = []

    def reset_then_cancel():
        calls.append(1)
        token.cancel()  # the backoff that follows is cut short at once
        raise _reset()

    with pytest.raises(ConnectionResetError):
        RetryPolicy(attempts=6, base_delay=60).call(reset_then_cancel, cancel=token)
    assert len(calls) == 1


def test_a_control_is_checked_before_every_attempt_and_sleeps_the_backoff():
    class Stop(Exception):
        pass

    class Control:
        def __init__(self) -> None:
            self.checks = 0
            self.slept: list[float] = []

        def check(self) -> None:
            self.checks += 1
            if self.checks == 3:
                raise Stop

        def sleep(self, seconds: float) -> None:
            self.slept.append(seconds)

    control = Control()

    def reset():
        raise _reset()

    with pytest.raises(Stop):
        RetryPolicy(attempts=6, base_delay=0.5, max_delay=1.0).call(reset, control)
    assert control.checks == 3 and len(control.slept) == 2
    assert all(0 <= s <= 1.0 for s in control.slept)


# --- answers cut short, for real ------------------------------------------------------------


ONCE = RetryPolicy(attempts=1)  # an attempt that is not sent again


def test_copy_answer_cut_short_is_retried_by_the_gateway(oss_bucket, oss_faults):
    oss_bucket.put_object("src", b"payload")
    rule = oss_faults.add("copy_object:reset_after=5:times=2")
    source = (oss_bucket.bucket_name, "src")
    # A lone request: the gateway sends it again (REQUEST_RETRY's three attempts); the first
    # try's copy was made, the second is cut again, the third answers whole.
    objects.copy_object(oss_bucket, source, "dst")
    assert rule.fired == 2
    assert oss_bucket.get_object("dst").read() == b"payload"


def test_a_request_inside_a_callers_attempt_is_sent_once_per_attempt(oss_bucket, oss_faults):
    oss_bucket.put_object("src", b"payload")
    rule = oss_faults.add("copy_object:reset_after=5:times=2")
    source = (oss_bucket.bucket_name, "src")
    with pytest.raises(errors.NetworkError) as caught:
        ONCE.call(lambda: objects.copy_object(oss_bucket, source, "dst"))
    assert is_transient(caught.value), repr(caught.value)
    assert rule.fired == 1  # not retried by a second loop inside the attempt
    FAST.call(lambda: objects.copy_object(oss_bucket, source, "dst"))
    assert rule.fired == 2 and oss_bucket.get_object("dst").read() == b"payload"


def test_copy_answer_cut_short_reads_as_a_sentence(oss_bucket, oss_faults):
    oss_bucket.put_object("src", b"payload")
    oss_faults.add("copy_object:reset_after=5:times=1")
    with pytest.raises(errors.OssBrowseError) as caught:
        ONCE.call(lambda: objects.copy_object(oss_bucket, (oss_bucket.bucket_name, "src"), "dst"))
    error = caught.value
    text = str(error)
    assert isinstance(error, errors.Unreachable)
    assert "broke off" in text and "oss:CopyObject" in text
    assert not text.startswith(("(", "'", '"')) and "ConnectionResetError" not in text


def test_listing_page_cut_short_is_asked_again(oss_bucket, oss_faults):
    for i in range(3):
        oss_bucket.put_object(f"p/{i}", b"x")
    oss_faults.add("list_objects_v2:reset_after=20:times=2")
    pages = list(listing_xml.iter_pages(oss_bucket, prefix="p/", retry=FAST))
    assert [o.key for page in pages for o in page.object_list] == ["p/0", "p/1", "p/2"]


def test_delete_batch_answer_cut_short_is_sent_again(oss_bucket, oss_faults):
    keys = [f"d/{i}" for i in range(5)]
    for key in keys:
        oss_bucket.put_object(key, b"x")
    oss_faults.add("delete_multiple_objects:reset_after=10:times=2")
    outcome = delete_keys(oss_bucket, keys, policy=FAST)
    assert sorted(outcome.deleted) == keys and outcome.failed == []
    assert list(oss2.ObjectIteratorV2(oss_bucket, prefix="d/")) == []


def _start_upload(bucket, key: str, data: bytes):
    from ossbrowse.crc64 import Crc64

    upload_id = bucket.init_multipart_upload(key).upload_id
    etag = bucket.upload_part(key, upload_id, 1, data).etag
    crc = Crc64()
    crc.update(data)
    return upload_id, [(1, etag)], crc.value


class LosesFirstAnswer:
    """A bucket whose first CompleteMultipartUpload reaches the server and is done there, but
    whose answer is lost (the connection resets before the status line: what oss2 sees when
    the network drops the answer). The server's side is real; only the loss is staged, since
    oss2 never reads Complete's body and a fault plan cuts bodies, not status lines."""

    _refreshing = None  # what the gateway reads of a bucket handle

    def __init__(self, bucket) -> None:
        self._bucket = bucket
        self.completes = 0

    @property
    def _sdk(self):
        return self

    def __getattr__(self, name):
        return getattr(self._bucket, name)

    def complete_multipart_upload(self, *args, **kwargs):
        self.completes += 1
        result = self._bucket.complete_multipart_upload(*args, **kwargs)
        if self.completes == 1:
            raise oe.RequestError(rex.ConnectionError(_reset()))
        return result


def test_complete_whose_answer_was_lost_is_not_done_twice(oss_bucket):
    data = b"abc" * 1000
    upload_id, parts, crc = _start_upload(oss_bucket, "big", data)
    bucket = LosesFirstAnswer(oss_bucket)
    # The second attempt answers NoSuchUpload: the object with the expected CRC64 stands in
    # for the lost answer.
    result = complete_multipart_upload(bucket, "big", upload_id, parts, expect_crc=crc, policy=FAST)
    assert bucket.completes == 2 and result.crc == crc
    assert oss_bucket.get_object("big").read() == data


def test_complete_of_an_upload_aborted_by_someone_else_is_not_taken_for_success(
    oss_bucket, oss_faults
):
    upload_id, parts, crc = _start_upload(oss_bucket, "gone", b"new bytes")
    oss_bucket.put_object("gone", b"an older object under the same name")
    oss_bucket.abort_multipart_upload("gone", upload_id)
    oss_faults.add("complete_multipart_upload:status=503:times=1")
    with pytest.raises(errors.NoSuchUpload):
        complete_multipart_upload(oss_bucket, "gone", upload_id, parts, expect_crc=crc, policy=FAST)


def test_one_definition_for_the_whole_client():
    import importlib.util

    from ossbrowse.fs import listing_xml, retrying
    from ossbrowse.ops import copying
    from ossbrowse.transfer import context

    # One rule, imported from where it lives: no second name for it anywhere.
    assert importlib.util.find_spec("ossbrowse.transfer.retry") is None
    assert not hasattr(copying, "is_transient")
    assert context.RetryPolicy is retrying.RetryPolicy
    assert isinstance(retrying.REQUEST_RETRY, retrying.RetryPolicy)
    assert not hasattr(listing_xml, "_retryable")  # its own loop without backoff is gone
