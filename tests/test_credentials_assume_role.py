"""Assuming a RAM role through STS (aliyun CLI modes RamRoleArn and ChainableRamRoleArn): the
RPC signature, and the whole path against a fake STS on loopback that checks it."""

from __future__ import annotations

import json
import os
from urllib.parse import parse_qsl, urlsplit

import pytest

from ossbrowse.config import resolve_settings
from ossbrowse.credentials import Credentials
from ossbrowse.credentials.assume_role import (
    AssumeRole,
    percent_encode,
    rpc_signature,
    string_to_sign,
)
from ossbrowse.errors import ConfigError, CredentialsError
from tests.credentials_servers import ROLES_PATH, FakeServer, credentials_json

ROLE = "acs:ram::1234567890123456:role/oss-reader"
BASE_ID, BASE_SECRET = "LTAIassumeassume0001", "assume-secret-0001"


def test_signature_of_the_documented_example():
    # The example in Alibaba Cloud's "RPC signature" reference (DescribeRegions).
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
              "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
              "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z",
              "Version": "2014-05-26"}  # fmt: skip
    assert string_to_sign("GET", params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26"
        "SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26"
        "SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert rpc_signature("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_assume_role_request_signs_as_alibabas_own_package_does():
    # The value alibabacloud-credentials 1.0.12 computes for these parameters.
    fetch = AssumeRole(lambda: None, ROLE, "https://sts.aliyuncs.com",  # type: ignore[arg-type]
                       session_name="ossbrowse-test")  # fmt: skip
    params = fetch.request_params(
        Credentials(BASE_ID, BASE_SECRET), 1_700_000_000, "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
    )
    assert params["Timestamp"] == "2023-11-14T22:13:20Z"
    assert params["DurationSeconds"] == "3600" and params["RoleArn"] == ROLE
    assert params["Signature"] == "4rMIzYeZJWUAvgR7A8G72Pve8wc="


def test_percent_encoding_is_rfc_3986():
    assert percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"


class FakeSts:
    """Answers AssumeRole when the signature checks out with the secret of the key it names."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.calls: list[dict[str, str]] = []
        self.serial = 0

    def __call__(self, method: str, path: str) -> tuple[int, object]:
        parts = urlsplit(path)
        if parts.path != "/":
            return 404, "no"
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.calls.append(params)
        signature = params.pop("Signature", "")
        secret = self.secrets.get(params.get("AccessKeyId", ""))
        if secret is None or rpc_signature(method, params, secret) != signature:
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is "
                         "not matched with our calculation."}  # fmt: skip
        self.serial += 1
        inner = credentials_json(100 + self.serial)
        del inner["Code"]
        return 200, {"RequestId": "r", "Credentials": inner, "AssumedRoleUser": {}}


@pytest.fixture(autouse=True)
def clean_env(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_", "ALLUXIO_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path


@pytest.fixture
def sts(monkeypatch):
    with FakeServer() as server:
        fake = FakeSts({BASE_ID: BASE_SECRET})
        server.fallback = fake
        monkeypatch.setenv("OSSBROWSE_STS_ENDPOINT_URL", server.url)
        monkeypatch.setenv("OSSBROWSE_ECS_METADATA_URL", server.url)
        yield server, fake


def write_aliyun(home, profiles, current):
    path = home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"current": current, "profiles": profiles}))
    return path


ARN_PROFILE = {"name": "role", "mode": "RamRoleArn", "access_key_id": BASE_ID,
               "access_key_secret": BASE_SECRET, "ram_role_arn": ROLE,
               "ram_session_name": "me", "expired_seconds": 900}  # fmt: skip


def test_ram_role_arn_profile(clean_env, sts):
    server, fake = sts
    path = write_aliyun(clean_env, [ARN_PROFILE], "role")
    settings = resolve_settings(None)
    assert settings.sources["credentials"] == f"aliyun CLI profile role in {path}"
    assert settings.credentials.description == f"the RAM role {ROLE} (STS {server.url})"
    assert fake.calls == []  # nothing asked before a request is signed
    creds = settings.credentials.get()
    assert creds.access_key_id == "STS.fake000000000101" and creds.security_token
    (call,) = fake.calls
    assert call["Action"] == "AssumeRole" and call["RoleArn"] == ROLE
    assert call["RoleSessionName"] == "me" and call["DurationSeconds"] == "900"


def test_chainable_role_from_an_ecs_role(clean_env, sts):
    server, fake = sts
    server.routes[("GET", ROLES_PATH + "node")] = (200, credentials_json(7))
    fake.secrets["STS.fake000000000007"] = "fake-secret-0000000000000007"
    write_aliyun(clean_env, [
        {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "node"},
        {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "ecs",
         "ram_role_arn": ROLE},
    ], "chain")  # fmt: skip
    creds = resolve_settings(None).credentials.get()
    assert creds.access_key_id == "STS.fake000000000101"
    (call,) = fake.calls
    assert call["AccessKeyId"] == "STS.fake000000000007"
    assert call["SecurityToken"] == "fake-token-7"  # the ECS role's token goes along


def test_chainable_role_from_an_ak_profile(clean_env, sts):
    write_aliyun(clean_env, [
        {"name": "base", "mode": "AK", "access_key_id": BASE_ID, "access_key_secret": BASE_SECRET},
        {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "base",
         "ram_role_arn": ROLE},
    ], "chain")  # fmt: skip
    assert resolve_settings(None).credentials.get().access_key_id == "STS.fake000000000101"


def test_sts_refusal_is_a_sentence_with_its_code(clean_env, sts):
    write_aliyun(clean_env, [{**ARN_PROFILE, "access_key_secret": "wrong"}], "role")
    with pytest.raises(CredentialsError) as info:
        resolve_settings(None).credentials.get()
    assert str(info.value).startswith(
        f"The RAM role {ROLE} (STS http://127.0.0.1:"
    ) and "answered HTTP 400 (SignatureDoesNotMatch: Specified signature is not matched" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("profiles", "message"),
    [
        ([{"name": "c", "mode": "ChainableRamRoleArn", "source_profile": "c",
           "ram_role_arn": ROLE}], "source_profile 'c' goes round in a loop"),
        ([{"name": "c", "mode": "ChainableRamRoleArn", "source_profile": "gone",
           "ram_role_arn": ROLE}], "source_profile 'gone' names no profile in the file"),
        ([{"name": "c", "mode": "RamRoleArn", "ram_role_arn": ROLE}],
         "has no access_key_id and access_key_secret"),
    ],
)  # fmt: skip
def test_misconfigured_role_profiles_are_config_errors(clean_env, profiles, message):
    write_aliyun(clean_env, profiles, "c")
    with pytest.raises(ConfigError, match=message):
        resolve_settings(None)


def test_sts_endpoint_from_region_and_vpc(clean_env, monkeypatch):
    write_aliyun(clean_env, [{**ARN_PROFILE, "sts_region": "cn-shanghai", "enable_vpc": True}],
                 "role")  # fmt: skip
    assert resolve_settings(None).credentials.description.endswith(
        "(STS https://sts-vpc.cn-shanghai.aliyuncs.com)"
    )
    write_aliyun(clean_env, [ARN_PROFILE], "role")
    assert resolve_settings(None).credentials.description.endswith("(STS https://sts.aliyuncs.com)")
