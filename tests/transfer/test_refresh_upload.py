"""A long upload outlives its STS token: the client fetches fresh credentials from a
credentials URI before each token expires, and the upload completes with its CRC checked.

Deterministic, not timed: the local server keeps its tokens' time on a `ManualClock` that moves
one second for every request signed with an issued key, and the client's credentials source
reads the same clock. The upload runs one part at a time, so each request is signed at clock
time t and checked by the server at t + 1; the client fetches a new token when a quarter of the
lifetime (LIFETIME / 4 = 10 requests) is left, so no request ever reaches the server with an
expired token, and the upload's N requests span N seconds: more than three lifetimes, on any
machine. (Parallel parts and one refresh at a time are tested with events in
tests/test_credentials.py.)

The object is OSSBROWSE_REFRESH_SIZE bytes (default 1 GiB; benchmarks/refresh.py runs 1 GiB and
reports the time).
"""

from __future__ import annotations

import os

import pytest

from ossbrowse import errors
from ossbrowse.config import ConnectionSettings
from ossbrowse.crc64 import crc64
from ossbrowse.credentials.http_sources import CredentialsUri
from ossbrowse.credentials.select import make_source
from ossbrowse.emulator import EmulatorServer
from ossbrowse.emulator.sts import ManualClock
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.oss import OssClient
from ossbrowse.fs.retrying import RetryPolicy
from ossbrowse.tasks import TaskState
from ossbrowse.transfer import TransferEngine

LIFETIME = 40  # seconds of the server's clock = requests
SIZE = int(os.environ.get("OSSBROWSE_REFRESH_SIZE", str(1 << 30)))
PART = max(SIZE // 128, 102_400)  # 128 parts (8 MiB for 1 GiB): about 130 requests


def write_pattern(path, size: int) -> int:
    """`size` bytes that differ in every MiB; returns their CRC-64."""
    block = bytes(range(256)) * 4096  # 1 MiB
    crc = 0
    with open(path, "wb") as out:
        for index in range(0, size, len(block)):
            piece = (index.to_bytes(8, "little") + block[8:])[: size - index]
            crc = crc64(piece, crc)
            out.write(piece)
    return crc


def sts_server(lifetime: int):
    server = EmulatorServer()
    server.start()
    clock = ManualClock()
    server.enable_sts(lifetime, clock=clock, advance_per_request=1)
    server.create_bucket("refresh")
    return server, clock


def engine_for(client, tmp_path, part_size=PART):
    return TransferEngine(
        client.bucket,
        threads=1,
        part_size=part_size,
        state_dir=tmp_path / "state",
        retry=RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05),
    )


@pytest.mark.slow
def test_upload_spanning_three_token_lifetimes_completes_with_its_crc(tmp_path):
    src = tmp_path / "big.bin"
    expected_crc = write_pattern(src, SIZE)
    server, clock = sts_server(LIFETIME)
    try:
        started = clock()
        settings = ConnectionSettings(
            endpoint=server.endpoint,
            region="cn-hangzhou",
            credentials=make_source("credentials_uri", server.sts.uri, clock=clock),
        )
        engine = engine_for(OssClient(settings), tmp_path)
        try:
            job = engine.submit(str(src), "oss://refresh/big.bin")
            assert job.wait(600), "the upload did not finish"  # a hang guard only
        finally:
            engine.shutdown(wait=True)
        assert job.state is TaskState.DONE, job.error

        obj = server.store.buckets["refresh"].objects["big.bin"]
        assert obj.size == SIZE
        own = OssClient(
            ConnectionSettings(
                endpoint=server.endpoint,
                access_key_id=server.access_key_id,
                access_key_secret=server.access_key_secret,
            )
        )
        assert objects.head(own.bucket("refresh"), "big.bin").crc64 == expected_crc

        sts = server.sts
        ended = clock()
        used = [t for t in sts.issued if sts.requests.get(t.access_key_id)]
        expired_during = [t for t in used if t.expires <= ended]
        assert ended - started >= 3 * LIFETIME
        assert len(expired_during) >= 3, (len(used), sts.requests)
        assert sts.refused == {}  # every token was replaced before the server refused it
        assert settings.credentials.fetches == len(sts.issued)
    finally:
        server.stop()


def test_expired_token_without_a_refreshing_source_is_the_clear_error(tmp_path):
    """Fixed keys with a token (as from OSS_SESSION_TOKEN) cannot be renewed: once the token
    expires, the upload fails with the expired-token message, as before."""
    src = tmp_path / "small.bin"
    write_pattern(src, 3 * 102_400)
    server, clock = sts_server(LIFETIME)
    try:
        creds = CredentialsUri(server.sts.uri)()
        settings = ConnectionSettings(
            endpoint=server.endpoint,
            region="cn-hangzhou",
            access_key_id=creds.access_key_id,
            access_key_secret=creds.access_key_secret,
            sts_token=creds.security_token,
        )
        client = OssClient(settings)
        clock.advance(LIFETIME)
        with pytest.raises(errors.TokenExpired) as info:
            objects.put_object(client.bucket("refresh"), "k", b"data")
        assert str(info.value).startswith("The STS security token has expired.")

        engine = engine_for(client, tmp_path, part_size=102_400)
        try:
            job = engine.submit(str(src), "oss://refresh/small.bin")
            assert job.wait(120)
        finally:
            engine.shutdown(wait=True)
        assert job.state is TaskState.FAILED
        assert "The STS security token has expired." in (job.error or "")
        assert "Traceback" not in (job.error or "")
    finally:
        server.stop()
