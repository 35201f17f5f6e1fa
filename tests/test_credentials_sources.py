"""Credentials over HTTP: a credentials URI and the ECS metadata service, each a real loopback
server run by the test (tests never contact anything but loopback)."""

from __future__ import annotations

import pytest

from ossbrowse.credentials.http_sources import CredentialsUri, EcsRamRole, parse_expiration
from ossbrowse.credentials.select import make_source
from ossbrowse.errors import CredentialsError
from tests.credentials_servers import ROLES_PATH, TOKEN_PATH, FakeServer, credentials_json


@pytest.fixture
def fake():
    with FakeServer() as server:
        yield server


@pytest.fixture(autouse=True)
def no_proxy_use(monkeypatch):
    # A proxy from the environment must not be used for these addresses.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)


def test_credentials_uri(fake):
    fake.routes[("GET", "/creds?role=x")] = (200, credentials_json(1, "2030-05-01T10:00:00Z"))
    creds = CredentialsUri(fake.url + "/creds?role=x")()
    assert creds.access_key_id == "STS.fake000000000001"
    assert creds.access_key_secret == "fake-secret-0000000000000001"
    assert creds.security_token == "fake-token-1"
    assert creds.expiration == parse_expiration("2030-05-01T10:00:00Z", "x") == 1903860000.0


def test_credentials_uri_without_code_or_token():
    body = credentials_json(2)
    del body["Code"], body["SecurityToken"], body["Expiration"]
    with FakeServer() as fake:
        fake.routes[("GET", "/c")] = (200, body)
        creds = CredentialsUri(fake.url + "/c")()
    assert creds.security_token is None and creds.expiration is None


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, "boom", r"The credentials URI http://127\.0\.0\.1:\d+/c answered HTTP 500"),
        (200, "not json", r"did not answer with a JSON object\."),
        (200, {"Code": "Forbidden", "Message": "no role"}, r"refused to give credentials "
         r"\(Code Forbidden: no role\)\."),
        (200, {"AccessKeyId": "a"}, r"answered without AccessKeySecret\."),
        (200, {**credentials_json(3), "Expiration": "tomorrow"}, r"Expiration that is not a UTC"),
    ],
)  # fmt: skip
def test_credentials_uri_failures_are_sentences(fake, status, body, message):
    fake.routes[("GET", "/c")] = (status, body)
    with pytest.raises(CredentialsError, match=message) as info:
        CredentialsUri(fake.url + "/c")()
    assert "Traceback" not in str(info.value) and info.value.hint


def test_unreachable_credentials_uri(fake):
    url = fake.url
    fake.__exit__()
    with pytest.raises(CredentialsError) as info:
        CredentialsUri(url + "/c")()
    assert str(info.value).startswith(
        f"Could not reach the credentials URI {url}/c: connection refused. Check that it runs"
    )


def test_credentials_uri_must_be_http():
    with pytest.raises(CredentialsError, match="not an http:// or https:// address"):
        CredentialsUri("file:///etc/passwd")


def test_ecs_ram_role_with_session_token(fake):
    fake.routes[("PUT", TOKEN_PATH)] = (200, "imds-token-1")
    fake.routes[("GET", ROLES_PATH + "my-role")] = (200, credentials_json(4))
    creds = EcsRamRole("my-role", fake.url)()
    assert creds.access_key_id == "STS.fake000000000004"
    put, get = fake.asked
    assert put[0] == "PUT" and put[2]["x-aliyun-ecs-metadata-token-ttl-seconds"] == "21600"
    assert get[2]["x-aliyun-ecs-metadata-token"] == "imds-token-1"


def test_ecs_ram_role_found_by_listing_and_v1_fallback(fake):
    # An older metadata service: no session tokens (404), the role listed at the folder.
    fake.routes[("GET", ROLES_PATH)] = (200, "attached-role\n")
    fake.routes[("GET", ROLES_PATH + "attached-role")] = (200, credentials_json(5))
    creds = EcsRamRole(None, fake.url)()
    assert creds.access_key_id == "STS.fake000000000005"
    assert fake.paths() == [TOKEN_PATH, ROLES_PATH, ROLES_PATH + "attached-role"]
    assert "x-aliyun-ecs-metadata-token" not in fake.asked[-1][2]


def test_ecs_v1_fallback_can_be_refused(fake):
    fake.routes[("GET", ROLES_PATH + "r")] = (200, credentials_json(6))
    source = make_source(
        "ecs_ram_role",
        "r",
        {"OSSBROWSE_ECS_METADATA_URL": fake.url, "ALIBABA_CLOUD_IMDSV1_DISABLED": "true"},
    )
    with pytest.raises(CredentialsError, match="The ECS metadata service answered HTTP 404"):
        source.get()


def test_ecs_metadata_code_not_success(fake):
    fake.routes[("PUT", TOKEN_PATH)] = (200, "t")
    fake.routes[("GET", ROLES_PATH + "r")] = (200, {"Code": "Failed"})
    pattern = (
        r"The ECS RAM role r \(metadata service http://127\.0\.0\.1:\d+\) refused to give "
        r"credentials \(Code Failed\)\."
    )
    with pytest.raises(CredentialsError, match=pattern):
        EcsRamRole("r", fake.url)()


def test_instance_without_a_role(fake):
    fake.routes[("GET", ROLES_PATH)] = (200, "")
    with pytest.raises(CredentialsError, match="no RAM role attached"):
        EcsRamRole("", fake.url)()


def test_make_source_contacts_nothing_until_asked(fake):
    fake.routes[("GET", ROLES_PATH + "r")] = (200, credentials_json(7))
    source = make_source("ecs_ram_role", "r", {"OSSBROWSE_ECS_METADATA_URL": fake.url})
    assert fake.asked == []
    assert source.get().access_key_id == "STS.fake000000000007"
    assert source.get().access_key_id == "STS.fake000000000007"  # held (expires in 2099)
    assert fake.paths() == [TOKEN_PATH, ROLES_PATH + "r"]
    assert "metadata service " + fake.url in source.description


def test_a_silent_credentials_uri_times_out_with_a_sentence(monkeypatch):
    import socket

    from ossbrowse.credentials import http_sources

    monkeypatch.setattr(http_sources, "TIMEOUT", 0.2)
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/c"
        with pytest.raises(CredentialsError) as info:
            CredentialsUri(url)()
    assert str(info.value).startswith(
        f"Could not reach the credentials URI {url}: no answer within 0.2 seconds."
    )
