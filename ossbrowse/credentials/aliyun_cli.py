"""Alibaba Cloud CLI's profile file, `~/.aliyun/config.json` (what `aliyun configure` writes).

The file holds `profiles`, a list of objects each with a `name` and a `mode`; `current` names
the profile the CLI uses. ossbrowse reads the profile named by `ALIBABA_CLOUD_PROFILE`, else
`current`, else `default`, from `ALIBABA_CLOUD_CONFIG_FILE` when set. Modes read:

- `AK`: `access_key_id`, `access_key_secret`;
- `StsToken`: the same and `sts_token`;
- `EcsRamRole`: `ram_role_name`, fetched from the ECS metadata service and refreshed;
- `CredentialsURI`: `credentials_uri`, fetched and refreshed.

Other modes (RamRoleArn, OIDC, CloudSSO, External, ...) need a call to Alibaba Cloud's STS or
an outside program; they are reported as a warning and the profile is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ossbrowse.errors import ConfigError

SUPPORTED_MODES = ("AK", "StsToken", "EcsRamRole", "CredentialsURI")


@dataclass
class AliyunProfile:
    """What one CLI profile gives: fixed values, or a source to fetch from (`dynamic`)."""

    label: str  # "aliyun CLI profile NAME in PATH"
    values: dict[str, str] = field(default_factory=dict)  # access_key_id, ..., sts_token
    dynamic: tuple[str, str] | None = None  # ("ecs_ram_role", role) or ("credentials_uri", uri)
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
    return _profile(found, f"aliyun CLI profile {wanted} in {path}")


def _text(profile: Mapping[str, object], name: str) -> str:
    value = profile.get(name)
    return value.strip() if isinstance(value, str) else ""


def _profile(profile: Mapping[str, object], label: str) -> AliyunProfile:
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
    else:
        result.warning = (
            f"warning: the {label} uses mode {mode}, which ossbrowse does not read "
            f"(it reads {', '.join(SUPPORTED_MODES)}); that profile is skipped"
        )
    return result
