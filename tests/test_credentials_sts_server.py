"""The local server's short-lived STS key pairs: served on a loopback credentials URI,
accepted until they expire, then refused as OSS refuses them."""

from __future__ import annotations

import subprocess
import sys

import oss2
import pytest

from ossbrowse import errors
from ossbrowse.credentials.http_sources import CredentialsUri
from ossbrowse.emulator import EmulatorServer
from ossbrowse.emulator.sts import ManualClock, parse_lifetime
from ossbrowse.fs.gateway.failures import translate


@pytest.fixture
def sts_server():
    with EmulatorServer() as server:
        clock = ManualClock()
        server.enable_sts(60, clock=clock)
        server.create_bucket("sts-bucket")
        yield server, clock


def bucket_with(server, creds):
    auth = oss2.StsAuth(creds.access_key_id, creds.access_key_secret, creds.security_token)
    return oss2.Bucket(auth, server.endpoint, "sts-bucket")


def test_a_token_is_accepted_until_it_expires_then_refused_as_oss_does(sts_server):
    server, clock = sts_server
    creds = CredentialsUri(server.sts.uri)()
    assert creds.access_key_id.startswith("STS.") and creds.security_token
    assert creds.expiration == clock() + 60
    bucket = bucket_with(server, creds)
    bucket.put_object("a", b"while valid")
    clock.advance(59)
    assert bucket.get_object("a").read() == b"while valid"
    clock.advance(1)
    with pytest.raises(oss2.exceptions.ServerError) as info:
        bucket.get_object("a")
    assert (info.value.status, info.value.code) == (403, "InvalidAccessKeyId")
    assert info.value.ec == "0002-00000007"
    shown = translate(info.value, action="GetObject", bucket="sts-bucket", key="a")
    assert isinstance(shown, errors.TokenExpired)
    assert str(shown).startswith("The STS security token has expired.")
    assert server.sts.refused == {creds.access_key_id: 1}


def test_each_answer_is_a_new_pair_and_the_server_key_still_works(sts_server):
    server, _ = sts_server
    first, second = CredentialsUri(server.sts.uri)(), CredentialsUri(server.sts.uri)()
    assert first.access_key_id != second.access_key_id
    bucket_with(server, first).put_object("one", b"1")
    bucket_with(server, second).put_object("two", b"2")
    own = oss2.Bucket(oss2.Auth("ossbrowse", "ossbrowse-secret"), server.endpoint, "sts-bucket")
    assert own.get_object("one").read() == b"1"


def test_an_issued_key_with_another_token_is_refused(sts_server):
    server, _ = sts_server
    first, second = CredentialsUri(server.sts.uri)(), CredentialsUri(server.sts.uri)()
    auth = oss2.StsAuth(first.access_key_id, first.access_key_secret, second.security_token)
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss2.Bucket(auth, server.endpoint, "sts-bucket").put_object("x", b"")
    assert info.value.code == "InvalidSecurityToken"


def test_presigned_urls_carry_the_issued_key(sts_server):
    server, clock = sts_server
    creds = CredentialsUri(server.sts.uri)()
    bucket = bucket_with(server, creds)
    bucket.put_object("p", b"presigned")
    url = bucket.sign_url("GET", "p", 3600)
    import requests

    assert requests.get(url, timeout=30).content == b"presigned"
    clock.advance(60)
    assert requests.get(url, timeout=30).status_code == 403


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("90s", 90), ("15m", 900), ("1h", 3600), ("0.5s", 0.5)]
)
def test_parse_lifetime(text, seconds):
    assert parse_lifetime(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5s", "soon", "5d", "nan"])
def test_parse_lifetime_refuses(text):
    with pytest.raises(ValueError, match=r"is not a lifetime; give e\.g\. 90s, 15m or 1h"):
        parse_lifetime(text)


def test_serve_with_sts_lifetime_prints_the_credentials_uri():
    proc = subprocess.Popen(
        [sys.executable, "-m", "ossbrowse", "serve", "--sts-lifetime", "1h",
         "--create-bucket", "sts-cli"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        endpoint = proc.stdout.readline().removeprefix("OSS endpoint: ").split("  key: ")[0]
        uri_line = proc.stdout.readline()
        assert uri_line.startswith("credentials URI: http://127.0.0.1:"), proc.stderr.read()
        creds = CredentialsUri(uri_line.removeprefix("credentials URI: ").strip())()
        auth = oss2.StsAuth(creds.access_key_id, creds.access_key_secret, creds.security_token)
        oss2.Bucket(auth, endpoint, "sts-cli").put_object("k", b"v")
    finally:
        proc.terminate()
        proc.wait(timeout=60)  # a hang guard only
    assert proc.returncode == 0


def test_serve_refuses_a_bad_sts_lifetime():
    done = subprocess.run(
        [sys.executable, "-m", "ossbrowse", "serve", "--sts-lifetime", "soon"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "Bad --sts-lifetime: 'soon' is not a lifetime; give e.g. 90s, 15m or 1h." in done.stderr


def test_ls_signs_with_keys_from_the_credentials_uri(tmp_path):
    """The product's whole path: the environment names the URI, the verb signs with what it
    hands out."""
    import os

    with EmulatorServer() as server:
        sts = server.enable_sts(3600)
        server.create_bucket("via-uri")
        own = oss2.Bucket(oss2.Auth("ossbrowse", "ossbrowse-secret"), server.endpoint, "via-uri")
        own.put_object("listed.txt", b"x")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_"))}  # fmt: skip
        env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "xdg"),
                   OSS_ENDPOINT=server.endpoint, OSS_REGION="cn-hangzhou",
                   ALIBABA_CLOUD_CREDENTIALS_URI=sts.uri)  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "ossbrowse", "ls", "oss://via-uri/"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "listed.txt" in done.stdout
        assert [t.access_key_id for t in sts.issued] == list(sts.requests)


def test_the_credentials_modules_do_not_import_oss2():
    code = (
        "import sys, ossbrowse.credentials.select, ossbrowse.credentials.aliyun_cli; "
        "sys.exit('oss2' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_v1_signing_with_a_refreshing_source(sts_server):
    """No region: V1 signatures (oss2.ProviderAuth) carry the fetched key and token too."""
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.credentials.select import make_source
    from ossbrowse.fs.oss import OssClient

    server, clock = sts_server
    source = make_source("credentials_uri", server.sts.uri, clock=clock)
    client = OssClient(ConnectionSettings(endpoint=server.endpoint, credentials=source))
    assert client.signature_version == 1
    from ossbrowse.fs.gateway.handle import sdk_bucket

    bucket = sdk_bucket(client.bucket("sts-bucket"))
    bucket.put_object("v1", b"one")
    clock.advance(50)  # into the last quarter of the 60 s lifetime: the next request refreshes
    assert bucket.get_object("v1").read() == b"one"
    assert len(server.sts.issued) == 2 and source.fetches == 2
    assert server.sts.refused == {}
