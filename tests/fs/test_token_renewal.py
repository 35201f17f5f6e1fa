"""A token OSS refuses as expired while this machine still holds it valid (the two clocks
apart, a token revoked early): the gateway asks the refreshing source for fresh credentials
and sends the request once more, a body included; fixed credentials fail with the sentence.

Deterministic: the server's tokens keep time on one `ManualClock`, the client's source reads
another that the test never moves, so "expired there, valid here" is set up, not waited for.
"""

from __future__ import annotations

import io

import pytest

from ossbrowse import errors
from ossbrowse.config import ConnectionSettings
from ossbrowse.credentials.http_sources import CredentialsUri
from ossbrowse.credentials.select import make_source
from ossbrowse.emulator import EmulatorServer
from ossbrowse.emulator.sts import ManualClock
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.gateway.client import OssClient

LIFETIME = 3600


@pytest.fixture
def sts():
    with EmulatorServer() as server:
        server_clock = ManualClock()
        server.enable_sts(LIFETIME, clock=server_clock)
        server.create_bucket("renew")
        yield server, server_clock


def refreshing(server):
    """A bucket handle whose credentials come from the server's credentials URI, on a clock of
    the client's own that the test never moves; and that source."""
    source = make_source("credentials_uri", server.sts.uri, clock=ManualClock())
    client = OssClient(
        ConnectionSettings(endpoint=server.endpoint, region="cn-hangzhou", credentials=source)
    )
    return client.bucket("renew"), source


def test_an_expired_token_is_renewed_and_the_request_sent_once_more(sts):
    server, server_clock = sts
    bucket, source = refreshing(server)
    objects.put_object(bucket, "k", b"first")
    first = server.sts.issued[0].access_key_id

    server_clock.advance(LIFETIME)  # expired at the server; the client's clock has not moved
    assert objects.head(bucket, "k").size == 5
    assert server.sts.refused == {first: 1}
    assert source.fetches == 2 and len(server.sts.issued) == 2

    # A request with a body: the body is sent again from where it started.
    server_clock.advance(LIFETIME)
    objects.put_object(bucket, "k", io.BytesIO(b"second body"))
    assert objects.get_object(bucket, "k").read() == b"second body"
    assert source.fetches == 3 and sum(server.sts.refused.values()) == 2


def test_a_body_that_cannot_be_sent_again_is_not_retried(sts):
    server, server_clock = sts
    bucket, source = refreshing(server)
    objects.put_object(bucket, "k", b"x")
    server_clock.advance(LIFETIME)

    class Stream:  # read once, no way back (oss2 sends it chunked)
        def __init__(self) -> None:
            self.left = b"streamed"

        def read(self, size: int = -1) -> bytes:
            n = len(self.left) if size < 0 else size
            data, self.left = self.left[:n], self.left[n:]
            return data

    with pytest.raises(errors.TokenExpired):
        objects.put_object(bucket, "k", Stream())
    assert source.fetches == 1  # nothing renewed for a request that was not sent again


def test_fixed_credentials_are_not_renewed(sts):
    server, server_clock = sts
    creds = CredentialsUri(server.sts.uri)()
    client = OssClient(
        ConnectionSettings(
            endpoint=server.endpoint,
            access_key_id=creds.access_key_id,
            access_key_secret=creds.access_key_secret,
            sts_token=creds.security_token,
        )
    )
    server_clock.advance(LIFETIME)
    with pytest.raises(errors.TokenExpired) as caught:
        objects.head(client.bucket("renew"), "k")
    assert caught.value.status == 403 and caught.value.code == "InvalidAccessKeyId"
    assert str(caught.value).startswith("The STS security token has expired.")
