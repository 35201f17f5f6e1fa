"""The credential chain: every source, its order, masking, and the permission warning."""

from __future__ import annotations

import argparse
import os

import pytest

from ossbrowse.cli import add_connection_arguments, main
from ossbrowse.config import (
    config_path,
    load_config_file,
    mask_secret,
    normalize_endpoint,
    parse_properties,
    region_from_endpoint,
    resolve_settings,
)
from ossbrowse.errors import ConfigError

ID_FLAG, SECRET_FLAG = "LTAIflagflagflag0001", "flag-secret-0000000000000001"
ID_ENV, SECRET_ENV = "LTAIenvenvenvenv0002", "env-secret-00000000000000002"


@pytest.fixture(autouse=True)
def clean_home(tmp_path, monkeypatch):
    """A temporary HOME and XDG_CONFIG_HOME, and none of the user's OSS variables."""
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_", "ALLUXIO_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return home


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    parser.add_argument("--read-only", action="store_true")
    return parser.parse_args(list(argv))


def write_profile_file(text: str, mode: int = 0o600):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)
    return path


def write_ossutil(home, text: str, mode: int = 0o600):
    path = home / ".ossutilconfig"
    path.write_text(text)
    path.chmod(mode)
    return path


OSSUTIL = """[Credentials]
language=EN
endpoint=oss-cn-beijing.aliyuncs.com
accessKeyID=LTAIossutilossutil03
accessKeySecret=ossutil-secret-000000000003
stsToken=ossutil-token-3
"""

PROFILES = """default_profile = "work"

[profiles.work]
endpoint = "oss-cn-shenzhen.aliyuncs.com"
access_key_id = "LTAIprofileprofile04"
access_key_secret = "profile-secret-0000000000004"

[profiles.other]
endpoint = "http://127.0.0.1:9"
region = "cn-hangzhou"
read_only = true
timeout = 2.5

[mounts]
"/mnt/oss" = "oss://bucket/prefix/"
"""


def test_config_file_lives_under_xdg_config_home(tmp_path):
    assert config_path() == tmp_path / "xdg" / "ossbrowse" / "config.toml"


def test_nothing_configured_gives_empty_settings():
    settings = resolve_settings(parse())
    assert settings.endpoint is None and settings.access_key_id is None
    assert settings.sources == {} and settings.warnings == []


def test_flags_win_over_everything(clean_home, monkeypatch):
    write_profile_file(PROFILES)
    write_ossutil(clean_home, OSSUTIL)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    monkeypatch.setenv("OSS_ENDPOINT", "oss-cn-qingdao.aliyuncs.com")
    args = parse(
        "--endpoint", "oss-cn-hongkong.aliyuncs.com",
        "--access-key-id", ID_FLAG, "--access-key-secret", SECRET_FLAG,
    )  # fmt: skip
    settings = resolve_settings(args)
    assert settings.endpoint == "https://oss-cn-hongkong.aliyuncs.com"
    assert settings.access_key_id == ID_FLAG and settings.access_key_secret == SECRET_FLAG
    assert settings.sources["endpoint"] == "flag"
    assert settings.sources["access_key_id"] == "flag"
    # ossutil's token belongs to ossutil's key pair, not to the one on the command line.
    assert settings.sts_token is None
    assert settings.region == "cn-hongkong"
    assert settings.sources["region"] == "derived from the endpoint"


def test_environment_wins_over_files_value_by_value(clean_home, monkeypatch):
    write_profile_file(PROFILES)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    monkeypatch.setenv("OSS_SESSION_TOKEN", "env-token")
    monkeypatch.setenv("OSS_REGION", "ap-southeast-1")
    settings = resolve_settings(parse())
    assert settings.access_key_id == ID_ENV
    assert settings.sources["access_key_id"] == "env OSS_ACCESS_KEY_ID"
    assert settings.sts_token == "env-token"
    assert settings.sources["sts_token"] == "env OSS_SESSION_TOKEN"
    assert settings.region == "ap-southeast-1"
    assert settings.sources["region"] == "env OSS_REGION"
    # The endpoint is not in the environment: the default profile gives it.
    assert settings.endpoint == "https://oss-cn-shenzhen.aliyuncs.com"
    assert settings.sources["endpoint"].startswith("profile work in ")


def test_function_compute_role_variables(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.fcroleid0000000005")
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "fc-secret-000000000000005")
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "fc-token-5")
    monkeypatch.setenv("OSS_ENDPOINT", "oss-cn-hangzhou-internal.aliyuncs.com")
    settings = resolve_settings(parse())
    assert settings.access_key_id == "STS.fcroleid0000000005"
    assert settings.sts_token == "fc-token-5"
    assert settings.sources["sts_token"] == "env ALIBABA_CLOUD_SECURITY_TOKEN"
    assert settings.region == "cn-hangzhou"  # from the -internal endpoint
    assert settings.signature_version == 4


def test_oss_variables_win_over_alibaba_cloud_ones(monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIalibabaalibaba06")
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    monkeypatch.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "not-for-this-key")
    settings = resolve_settings(parse())
    assert settings.access_key_id == ID_ENV
    assert settings.sts_token is None


def test_profile_by_flag_and_by_default(clean_home):
    write_profile_file(PROFILES)
    default = resolve_settings(parse())
    assert default.profile == "work"
    assert default.access_key_id == "LTAIprofileprofile04"
    other = resolve_settings(parse("--profile", "other"))
    assert other.profile == "other"
    assert other.endpoint == "http://127.0.0.1:9"
    assert other.region == "cn-hangzhou" and other.sources["region"].startswith("profile other")
    assert other.read_only is True and other.timeout == 2.5
    assert other.access_key_id is None  # that profile has no keys, and nothing else does


def test_missing_profile_is_a_clear_error():
    write_profile_file(PROFILES)
    with pytest.raises(ConfigError, match=r"Profile 'nope' is not in .*other, work"):
        resolve_settings(parse("--profile", "nope"))


def test_mounts_table_is_kept_for_the_mount_layer():
    write_profile_file(PROFILES)
    assert load_config_file().mounts == {"/mnt/oss": "oss://bucket/prefix/"}


def test_broken_toml_names_the_file():
    path = write_profile_file("default_profile = \n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        resolve_settings(parse())
    assert str(path) in str(caught.value)


def test_ossutil_config(clean_home):
    write_ossutil(clean_home, OSSUTIL)
    settings = resolve_settings(parse())
    assert settings.endpoint == "https://oss-cn-beijing.aliyuncs.com"
    assert settings.access_key_id == "LTAIossutilossutil03"
    assert settings.access_key_secret == "ossutil-secret-000000000003"
    assert settings.sts_token == "ossutil-token-3"
    assert settings.sources["access_key_id"] == f"ossutil {clean_home / '.ossutilconfig'}"


def test_ossutil_2_default_section(clean_home):
    write_ossutil(
        clean_home,
        "[default]\naccessKeyId = LTAIossutil2ossutil7\naccessKeySecret = s2-secret-0000007\n"
        "region = cn-shanghai\n",
    )
    settings = resolve_settings(parse())
    assert settings.access_key_id == "LTAIossutil2ossutil7"
    assert settings.region == "cn-shanghai"


def test_profile_wins_over_ossutil(clean_home):
    write_profile_file(PROFILES)
    write_ossutil(clean_home, OSSUTIL)
    settings = resolve_settings(parse())
    assert settings.access_key_id == "LTAIprofileprofile04"
    assert settings.sts_token is None  # ossutil's token is not for the profile's key


ALLUXIO = """# Alluxio site properties
alluxio.master.hostname=localhost
fs.oss.accessKeyId=LTAIalluxioalluxio08
fs.oss.accessKeySecret: alluxio-secret-\\
    000000000008
fs.oss.endpoint oss-us-west-1.aliyuncs.com
"""


def test_alluxio_site_when_pointed_at(tmp_path):
    site = tmp_path / "alluxio-site.properties"
    site.write_text(ALLUXIO)
    site.chmod(0o600)
    assert resolve_settings(parse()).access_key_id is None  # not read unless pointed at
    settings = resolve_settings(parse("--alluxio-site", str(site)))
    assert settings.access_key_id == "LTAIalluxioalluxio08"
    assert settings.access_key_secret == "alluxio-secret-000000000008"
    assert settings.endpoint == "https://oss-us-west-1.aliyuncs.com"
    assert settings.region == "us-west-1"
    assert settings.sources["access_key_id"] == f"alluxio {site}"


def test_alluxio_home(tmp_path, monkeypatch):
    conf = tmp_path / "alluxio" / "conf"
    conf.mkdir(parents=True)
    (conf / "alluxio-site.properties").write_text(ALLUXIO)
    monkeypatch.setenv("ALLUXIO_HOME", str(tmp_path / "alluxio"))
    assert resolve_settings(parse()).access_key_id == "LTAIalluxioalluxio08"


def test_alluxio_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_settings(parse("--alluxio-site", str(tmp_path / "nope.properties")))


def test_ossutil_wins_over_alluxio(clean_home, tmp_path):
    write_ossutil(clean_home, OSSUTIL)
    site = tmp_path / "alluxio-site.properties"
    site.write_text(ALLUXIO)
    settings = resolve_settings(parse("--alluxio-site", str(site)))
    assert settings.access_key_id == "LTAIossutilossutil03"


def test_properties_syntax():
    props = parse_properties("a=1\n! comment\n  b : two words \nc 3\nd=x\\\n  y\ne\n")
    assert props == {"a": "1", "b": "two words", "c": "3", "d": "xy", "e": ""}


@pytest.mark.parametrize(
    ("endpoint", "region"),
    [
        ("oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou"),
        ("https://oss-cn-hangzhou-internal.aliyuncs.com", "cn-hangzhou"),
        ("http://oss-ap-southeast-1.aliyuncs.com:80", "ap-southeast-1"),
        ("oss-accelerate.aliyuncs.com", None),
        ("http://127.0.0.1:9000", None),
        ("my-cname.example.com", None),
    ],
)
def test_region_from_endpoint(endpoint, region):
    assert region_from_endpoint(normalize_endpoint(endpoint)) == region


def test_endpoint_without_scheme_means_https():
    assert normalize_endpoint("oss-cn-hangzhou.aliyuncs.com/") == (
        "https://oss-cn-hangzhou.aliyuncs.com"
    )
    assert normalize_endpoint("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
    with pytest.raises(ConfigError, match="ftp://"):
        normalize_endpoint("ftp://x")


def test_v1_without_region_v4_with():
    assert resolve_settings(parse("--endpoint", "http://127.0.0.1:1")).signature_version == 1
    with_region = resolve_settings(parse("--endpoint", "http://127.0.0.1:1", "--region", "x-y"))
    assert with_region.signature_version == 4


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("LTAI5tAbCdEfGhIjabcd", "****abcd"),
        ("short-secret", "****cret"),
        ("sixteen-chars-ok", "****s-ok"),
        ("tiny", "****"),
        ("elevenchars", "****"),
        ("", "****"),
        (None, None),
    ],
)
def test_mask_secret(value, masked):
    assert mask_secret(value) == masked


def test_repr_carries_no_secret(monkeypatch):
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", ID_ENV)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", SECRET_ENV)
    monkeypatch.setenv("OSS_SESSION_TOKEN", "a-session-token-value")
    text = repr(resolve_settings(parse()))
    for secret in (ID_ENV, SECRET_ENV, "a-session-token-value"):
        assert secret not in text


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_readable_config_holding_a_secret_warns_with_chmod(mode):
    path = write_profile_file(PROFILES, mode)
    settings = resolve_settings(parse())
    assert settings.warnings == [
        f"warning: {path} holds a secret and other users can read it; run: chmod 600 {path}"
    ]


def test_private_config_and_secretless_files_do_not_warn(clean_home):
    write_profile_file(PROFILES, 0o600)
    write_ossutil(clean_home, "[Credentials]\nendpoint=oss-cn-beijing.aliyuncs.com\n", 0o644)
    assert resolve_settings(parse()).warnings == []


def test_readable_ossutil_config_warns(clean_home):
    path = write_ossutil(clean_home, OSSUTIL, 0o644)
    (warning,) = resolve_settings(parse()).warnings
    assert warning.endswith(f"chmod 600 {path}")


def test_config_show_masks_and_names_sources(clean_home, monkeypatch, capsys):
    write_ossutil(clean_home, OSSUTIL, 0o644)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", "LTAI5tAbCdEfGhIjabcd")
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", "env-secret-that-must-not-show")
    assert main(["config", "show", "--region", "cn-beijing"]) == 0
    out, err = capsys.readouterr()
    assert "access_key_id: ****abcd  [env OSS_ACCESS_KEY_ID]" in out
    # At most the last four characters of a secret, never its first ones.
    assert "access_key_secret: ****show  [env OSS_ACCESS_KEY_SECRET]" in out
    assert "env-" not in out
    assert "endpoint: https://oss-cn-beijing.aliyuncs.com  [ossutil " in out
    assert "region: cn-beijing  [flag]" in out
    assert "sts_token: (not set)" in out
    assert "signature: V4" in out
    assert "env-secret-that-must-not-show" not in out + err
    assert "ossutil-secret-000000000003" not in out + err
    assert f"chmod 600 {clean_home / '.ossutilconfig'}" in err


def test_config_path_action(capsys):
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(config_path())
