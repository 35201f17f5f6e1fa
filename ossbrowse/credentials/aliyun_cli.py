"""Alibaba Cloud CLI's profile file, `~/.aliyun/config.json` (what `aliyun configure` writes).

The file holds `profiles`, a list of objects each with a `name` and a `mode`; `current` names
the profile the CLI uses. ossbrowse reads the profile named by `ALIBABA_CLOUD_PROFILE`, else
`current`, else `default`, from `ALIBABA_CLOUD_CONFIG_FILE` when set. Modes read:

- `AK`: `access_key_id`, `access_key_secret`;
- `StsToken`: the same and `sts_token`;
- `EcsRamRole`: `ram_role_name`, fetched from the ECS metadata service and refreshed;
- `CredentialsURI`: `credentials_uri`, fetched and refreshed;
- `RamRoleArn`: the profile's AccessKey pair assumes `ram_role_arn` through STS
  (`ram_session_name`, `expired_seconds`, `policy`, `external_id`, `sts_region`, `enable_vpc`);
- `ChainableRamRoleArn`: the same, with the credentials of `source_profile`.

Other modes (OIDC, CloudSSO, OAuth, External, ...) need a sign-in flow or an outside program;
they are reported as a warning and the profile is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ossbrowse.credentials import (
    Credentials,
    CredentialsSource,
    RefreshingCredentials,
    StaticCredentials,
)
from ossbrowse.errors import ConfigError

SUPPORTED_MODES = (
    "AK", "StsToken", "EcsRamRole", "CredentialsURI", "RamRoleArn", "ChainableRamRoleArn"
)  # fmt: skip
_MAX_CHAIN = 5  # source_profile links followed at most (a loop is an error, not a hang)


@dataclass
class AliyunProfile:
    """What one CLI profile gives: fixed values, or a source to fetch from (`dynamic`)."""

    label: str  # "aliyun CLI profile NAME in PATH"
    values: dict[str, str] = field(default_factory=dict)  # access_key_id, ..., sts_token
    dynamic: tuple[str, str] | None = None  # ("ecs_ram_role", role) or ("credentials_uri", uri)
    # A role to assume: builds the refreshing source (contacts nothing until asked).
    assume: Callable[[], RefreshingCredentials] | None = None
    warning: str | None = None


def aliyun_config_path(env: Mapping[str, str], home: Path) -> Path:
    if env.get("ALIBABA_CLOUD_CONFIG_FILE"):
        return Path(env["ALIBABA_CLOUD_CONFIG_FILE"]).expanduser()
    return home / ".aliyun" / "config.json"


def read_aliyun_profile(env: Mapping[str, str], home: Path) -> AliyunProfile | None:
    """The selected CLI profile, or None when there is no file or no such profile to use."""
    if env.get("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "").lower() == "true":
        return None
    path = aliyun_config_path(env, home)
    explicit_file = bool(env.get("ALIBABA_CLOUD_CONFIG_FILE"))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit_file:
            raise ConfigError(
                f"ALIBABA_CLOUD_CONFIG_FILE names {path}, which does not exist.",
                hint="Point it at the aliyun CLI's config.json, or unset it.",
            ) from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Cannot read the aliyun CLI's config file {path} ({exc}).",
            hint="Check its permissions, or set ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true.",
        ) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConfigError(
            f"The aliyun CLI's config file {path} is not valid JSON ({exc}).",
            hint="Fix it with `aliyun configure`, or set ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true.",
        ) from None
    profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(profiles, list):
        return None
    wanted = env.get("ALIBABA_CLOUD_PROFILE") or data.get("current") or "default"
    found = next((p for p in profiles if isinstance(p, dict) and p.get("name") == wanted), None)
    if found is None:
        if env.get("ALIBABA_CLOUD_PROFILE"):
            names = ", ".join(str(p.get("name")) for p in profiles if isinstance(p, dict))
            raise ConfigError(
                f"ALIBABA_CLOUD_PROFILE names {wanted!r}, which is not in {path} "
                f"(profiles there: {names or 'none'}).",
                hint="Pick one of those, or unset ALIBABA_CLOUD_PROFILE.",
            )
        return None
    by_name = {p.get("name"): p for p in profiles if isinstance(p, dict)}
    return _profile(found, f"aliyun CLI profile {wanted} in {path}", by_name, env)


def _text(profile: Mapping[str, object], name: str) -> str:
    value = profile.get(name)
    return value.strip() if isinstance(value, str) else ""


def _profile(
    profile: Mapping[str, object],
    label: str,
    by_name: Mapping[object, Mapping[str, object]],
    env: Mapping[str, str],
    depth: int = 0,
) -> AliyunProfile:
    mode = _text(profile, "mode") or "AK"
    result = AliyunProfile(label)
    if mode in ("AK", "StsToken"):
        result.values = {
            ours: _text(profile, theirs)
            for ours, theirs in (
                ("access_key_id", "access_key_id"),
                ("access_key_secret", "access_key_secret"),
                ("sts_token", "sts_token"),
            )
            if _text(profile, theirs) and (theirs != "sts_token" or mode == "StsToken")
        }
    elif mode == "EcsRamRole":
        result.dynamic = ("ecs_ram_role", _text(profile, "ram_role_name"))
    elif mode == "CredentialsURI" and _text(profile, "credentials_uri"):
        result.dynamic = ("credentials_uri", _text(profile, "credentials_uri"))
    elif mode in ("RamRoleArn", "ChainableRamRoleArn"):
        base = _base_source(profile, mode, label, by_name, env, depth)
        result.assume = lambda: _assume(profile, base(), env)
    else:
        result.warning = (
            f"warning: the {label} uses mode {mode}, which ossbrowse does not read "
            f"(it reads {', '.join(SUPPORTED_MODES)}); that profile is skipped"
        )
    return result


def _base_source(
    profile: Mapping[str, object],
    mode: str,
    label: str,
    by_name: Mapping[object, Mapping[str, object]],
    env: Mapping[str, str],
    depth: int,
) -> Callable[[], CredentialsSource]:
    """The credentials that assume the role: the profile's own AccessKey pair (RamRoleArn) or
    what `source_profile` gives (ChainableRamRoleArn)."""
    if mode == "RamRoleArn":
        key_id, secret = _text(profile, "access_key_id"), _text(profile, "access_key_secret")
        if not key_id or not secret:
            raise ConfigError(
                f"The {label} (mode RamRoleArn) has no access_key_id and access_key_secret.",
                hint="Set them with `aliyun configure --mode RamRoleArn`.",
            )
        pair = Credentials(key_id, secret, _text(profile, "sts_token") or None)
        return lambda: StaticCredentials(pair, f"the key pair of the {label}")
    name = _text(profile, "source_profile")
    source = by_name.get(name)
    if source is None or depth >= _MAX_CHAIN:
        why = "names no profile in the file" if source is None else "goes round in a loop"
        raise ConfigError(
            f"The {label} (mode ChainableRamRoleArn): its source_profile {name!r} {why}.",
            hint="Point source_profile at a profile with keys (AK, StsToken, EcsRamRole, ...).",
        )
    inner_label = label.replace(f"profile {profile.get('name')} ", f"profile {name} ", 1)
    inner = _profile(source, inner_label, by_name, env, depth + 1)
    if inner.warning:
        raise ConfigError(inner.warning.removeprefix("warning: ").capitalize() + ".")
    if inner.assume is not None:
        return inner.assume
    if inner.dynamic is not None:
        from ossbrowse.credentials.select import make_source

        kind, value = inner.dynamic
        return lambda: make_source(kind, value, env)
    if not inner.values.get("access_key_id") or not inner.values.get("access_key_secret"):
        raise ConfigError(
            f"The {inner_label}, source_profile of the {label}, has no AccessKey pair.",
            hint="Set access_key_id and access_key_secret in it.",
        )
    pair = Credentials(
        inner.values["access_key_id"],
        inner.values["access_key_secret"],
        inner.values.get("sts_token"),
    )
    return lambda: StaticCredentials(pair, f"the key pair of the {inner_label}")


def _assume(
    profile: Mapping[str, object], base: CredentialsSource, env: Mapping[str, str]
) -> RefreshingCredentials:
    from ossbrowse.credentials.assume_role import DEFAULT_DURATION, AssumeRole, sts_endpoint

    duration = profile.get("expired_seconds")
    vpc = profile.get("enable_vpc")
    fetch = AssumeRole(
        base.get,
        _text(profile, "ram_role_arn"),
        sts_endpoint(
            _text(profile, "sts_region") or env.get("ALIBABA_CLOUD_STS_REGION") or None,
            vpc is True or str(vpc).lower() == "true",
            env,
        ),
        session_name=_text(profile, "ram_session_name"),
        duration=duration if isinstance(duration, int) and duration > 0 else DEFAULT_DURATION,
        policy=_text(profile, "policy"),
        external_id=_text(profile, "external_id"),
    )
    return RefreshingCredentials(fetch, fetch.description)
