"""The credential chain with sources that refresh: where each sits, the aliyun CLI's
config.json and its modes, and what `ossbrowse config show` says."""

from __future__ import annotations

import argparse
import json
import os

import pytest

from ossbrowse.cli import add_connection_arguments
from ossbrowse.config import config_path, credential_places, resolve_settings
from ossbrowse.credentials import RefreshingCredentials
from ossbrowse.errors import ConfigError
from tests.credentials_servers import ROLES_PATH, FakeServer, credentials_json

ID_ENV, SECRET_ENV = "LTAIenvenvenvenv0002", "env-secret-00000000000000002"


@pytest.fixture(autouse=True)
def clean_home(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_", "ALLUXIO_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    # Were the metadata service ever contacted by mistake, it would be this closed port.
    monkeypatch.setenv("OSSBROWSE_ECS_METADATA_URL", "http://127.0.0.1:9")
    return home


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    parser.add_argument("--read-only", action="store_true")
    return parser.parse_args(list(argv))


def write_aliyun(home, profiles, current="default", path=None):
    path = path or home / ".aliyun" / "config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"current": current, "profiles": profiles}))
    return path


def write_profiles(text: str):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    return path


AK = {"name": "default", "mode": "AK", "access_key_id": "LTAIaliyunaliyun0007",
      "access_key_secret": "aliyun-secret-0000000000007", "region_id": "cn-beijing"}  # fmt: skip


def test_credentials_uri_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds")
    settings = resolve_settings(parse())
    assert isinstance(settings.credentials, RefreshingCredentials)
    assert settings.credentials.description == "the credentials URI http://127.0.0.1:9/creds"
    assert settings.sources["credentials"] == "env ALIBABA_CLOUD_CREDENTIALS_URI"
    assert settings.access_key_id is None and settings.has_credentials


def test_environment_keys_win_over_a_credentials_uri(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds")
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    settings = resolve_settings(parse())
    assert settings.credentials is None and settings.access_key_id == ID_ENV


def test_flags_win_over_every_source(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "role")
    settings = resolve_settings(parse("--access-key-id", "LTAIflagflagflag0001",
                                      "--access-key-secret", "flag-secret"))  # fmt: skip
    assert settings.credentials is None and settings.sources["access_key_id"] == "flag"


def test_credentials_uri_wins_over_files_and_keeps_their_endpoint(monkeypatch, clean_home):
    write_profiles(
        'default_profile = "work"\n[profiles.work]\nendpoint = "oss-cn-shenzhen.aliyuncs.com"\n'
        'access_key_id = "LTAIprofileprofile04"\naccess_key_secret = "profile-secret-04"\n'
        'sts_token = "profile-token"\n'
    )
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds")
    settings = resolve_settings(parse())
    assert settings.credentials is not None
    assert settings.endpoint == "https://oss-cn-shenzhen.aliyuncs.com"
    assert settings.access_key_id is settings.access_key_secret is settings.sts_token is None
    assert "access_key_id" not in settings.sources and "sts_token" not in settings.sources


def test_ecs_role_from_the_environment_is_named_not_contacted(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "my-role")
    settings = resolve_settings(parse())
    assert settings.credentials.description == (
        "the ECS RAM role my-role (metadata service http://127.0.0.1:9)"
    )
    assert settings.sources["credentials"] == "env ALIBABA_CLOUD_ECS_METADATA"
    assert settings.credentials.fetches == 0


def test_ecs_role_can_be_disabled(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "my-role")
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    assert resolve_settings(parse()).credentials is None


def test_uri_before_ecs_role_in_the_environment(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "my-role")
    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds")
    assert resolve_settings(parse()).sources["credentials"] == "env ALIBABA_CLOUD_CREDENTIALS_URI"


def test_profile_names_a_source():
    path = write_profiles(
        '[profiles.ecs]\necs_ram_role = "worker"\n'
        'endpoint = "oss-cn-hangzhou-internal.aliyuncs.com"\n'
        '[profiles.uri]\ncredentials_uri = "http://127.0.0.1:9/c"\n'
        '[profiles.both]\naccess_key_id = "LTAIprofileprofile04"\naccess_key_secret = "s"\n'
        'credentials_uri = "http://127.0.0.1:9/c"\n'
    )
    ecs = resolve_settings(parse("--profile", "ecs"))
    assert ecs.credentials.description.startswith("the ECS RAM role worker")
    assert ecs.sources["credentials"] == f"profile ecs in {path} (ecs_ram_role)"
    uri = resolve_settings(parse("--profile", "uri"))
    assert uri.sources["credentials"] == f"profile uri in {path} (credentials_uri)"
    both = resolve_settings(parse("--profile", "both"))  # keys written out come first
    assert both.credentials is None and both.access_key_id == "LTAIprofileprofile04"


def test_aliyun_profile_ak_mode(clean_home):
    path = write_aliyun(clean_home, [AK])
    settings = resolve_settings(parse())
    assert settings.access_key_id == "LTAIaliyunaliyun0007"
    assert settings.access_key_secret == "aliyun-secret-0000000000007"
    assert settings.sources["access_key_id"] == f"aliyun CLI profile default in {path}"
    assert settings.sts_token is None and settings.credentials is None


def test_aliyun_profile_sts_mode_and_profile_selection(clean_home, monkeypatch):
    sts = {"name": "temp", "mode": "StsToken", "access_key_id": "STS.aliyunaliyun0008",
           "access_key_secret": "aliyun-secret-8", "sts_token": "aliyun-token-8"}  # fmt: skip
    write_aliyun(clean_home, [AK, sts], current="temp")
    settings = resolve_settings(parse())  # `current` picks it
    assert settings.access_key_id == "STS.aliyunaliyun0008"
    assert settings.sts_token == "aliyun-token-8"
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "default")  # the variable wins over current
    assert resolve_settings(parse()).access_key_id == "LTAIaliyunaliyun0007"


def test_aliyun_profile_ak_mode_ignores_a_stray_token(clean_home):
    write_aliyun(clean_home, [{**AK, "sts_token": "left-over"}])
    assert resolve_settings(parse()).sts_token is None


def test_aliyun_config_file_variable(tmp_path, monkeypatch):
    path = write_aliyun(None, [AK], path=tmp_path / "elsewhere.json")
    monkeypatch.setenv("ALIBABA_CLOUD_CONFIG_FILE", str(path))
    assert resolve_settings(parse()).sources["access_key_id"].endswith(str(path))
    monkeypatch.setenv("ALIBABA_CLOUD_CONFIG_FILE", str(tmp_path / "missing.json"))
    with pytest.raises(ConfigError, match=r"ALIBABA_CLOUD_CONFIG_FILE names .*missing\.json"):
        resolve_settings(parse())


def test_aliyun_unknown_profile_named_by_the_variable(clean_home, monkeypatch):
    write_aliyun(clean_home, [AK])
    monkeypatch.setenv("ALIBABA_CLOUD_PROFILE", "nope")
    with pytest.raises(
        ConfigError, match=r"'nope', which is not in .* \(profiles there: default\)"
    ):
        resolve_settings(parse())


def test_aliyun_ecs_and_uri_modes(clean_home):
    write_aliyun(clean_home, [{"name": "default", "mode": "EcsRamRole", "ram_role_name": "r"},
                              {"name": "u", "mode": "CredentialsURI",
                               "credentials_uri": "http://127.0.0.1:9/u"}])  # fmt: skip
    settings = resolve_settings(parse())
    assert settings.credentials.description.startswith("the ECS RAM role r")
    assert settings.sources["credentials"].startswith("aliyun CLI profile default in ")
    profiles = json.loads((clean_home / ".aliyun/config.json").read_text())["profiles"]
    write_aliyun(clean_home, profiles, current="u")
    assert resolve_settings(parse()).credentials.description == (
        "the credentials URI http://127.0.0.1:9/u"
    )


def test_aliyun_unsupported_mode_is_a_warning(clean_home):
    write_aliyun(clean_home, [{"name": "default", "mode": "OIDC", "oidc_token_file": "/t"}])
    settings = resolve_settings(parse())
    assert not settings.has_credentials
    assert settings.warnings == [
        f"warning: the aliyun CLI profile default in {clean_home}/.aliyun/config.json uses mode "
        "OIDC, which ossbrowse does not read (it reads AK, StsToken, EcsRamRole, "
        "CredentialsURI, RamRoleArn, ChainableRamRoleArn); that profile is skipped"
    ]


def test_aliyun_is_last_and_read_only_when_needed(clean_home, monkeypatch):
    (clean_home / ".aliyun").mkdir()
    (clean_home / ".aliyun" / "config.json").write_text("{broken")
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    assert resolve_settings(parse()).access_key_id == ID_ENV  # the broken file is not read
    monkeypatch.delenv("OSS_ACCESS_KEY_ID")
    monkeypatch.delenv("OSS_ACCESS_KEY_SECRET")
    with pytest.raises(ConfigError, match=r"config\.json is not valid JSON"):
        resolve_settings(parse())
    monkeypatch.setenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
    assert not resolve_settings(parse()).has_credentials


def test_ossutil_wins_over_aliyun(clean_home):
    write_aliyun(clean_home, [AK])
    (clean_home / ".ossutilconfig").write_text(
        "[Credentials]\naccessKeyID=LTAIossutilossutil03\naccessKeySecret=ossutil-secret-3\n"
    )
    (clean_home / ".ossutilconfig").chmod(0o600)
    assert resolve_settings(parse()).access_key_id == "LTAIossutilossutil03"


def test_places_listed_for_no_credentials():
    places = credential_places()
    assert places[5].startswith("a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI")
    assert "ECS" in places[6] and "~/.aliyun/config.json" in places[7]


def test_config_show_names_the_source_without_contacting_it(monkeypatch, capsys):
    from ossbrowse.cli import main

    with FakeServer() as metadata:
        metadata.routes[("GET", ROLES_PATH + "worker")] = (200, credentials_json(9))
        monkeypatch.setenv("OSSBROWSE_ECS_METADATA_URL", metadata.url)
        monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA", "worker")
        monkeypatch.setenv("OSS_ENDPOINT", "oss-cn-hangzhou-internal.aliyuncs.com")
        assert main(["config", "show"]) == 0
        assert metadata.asked == []
    out = capsys.readouterr().out
    assert (
        f"credentials: the ECS RAM role worker (metadata service {metadata.url}), fetched when "
        "needed and refreshed before they expire  [env ALIBABA_CLOUD_ECS_METADATA]"
    ) in out.splitlines()
    assert "access_key_id: (fetched from the credentials source)" in out
    assert "endpoint: https://oss-cn-hangzhou-internal.aliyuncs.com  [env OSS_ENDPOINT]" in out


def test_a_source_means_requests_are_signed_not_anonymous(monkeypatch):
    # cli explains an access denied to an anonymous request as "no credentials were found";
    # with a source the request was signed, so a refusal is about permissions.
    from ossbrowse.commands._shared import settings_from_args

    monkeypatch.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds")
    args = parse()
    settings_from_args(args)
    assert args.anonymous is False
    monkeypatch.delenv("ALIBABA_CLOUD_CREDENTIALS_URI")
    settings_from_args(args)
    assert args.anonymous is True
