"""The credential chain: endpoint, region and keys from flags, environment and config files.

First match wins, value by value, in this order:

1. command-line flags (`--endpoint`, `--region`, `--access-key-id`, ...);
2. the environment (`OSS_*`, then `ALIBABA_CLOUD_*` as a Function Compute role gets them);
3. a profile in ossbrowse's own TOML file (`--profile`, else its `default_profile`);
4. ossutil's `~/.ossutilconfig`;
5. Alluxio's `alluxio-site.properties`, when pointed at it (`--alluxio-site`, a profile's
   `alluxio_site`, or `$ALLUXIO_HOME/conf/`);
6. the Alibaba Cloud CLI's `~/.aliyun/config.json`, read only when nothing above gave keys
   (see credentials/aliyun_cli.py for its modes).

Besides keys, a link may name a source of credentials that expire and are fetched again
(`ossbrowse.credentials`): `ALIBABA_CLOUD_CREDENTIALS_URI` and `ALIBABA_CLOUD_ECS_METADATA`
(an ECS RAM role) in the environment, right after the environment's keys; `credentials_uri` or
`ecs_ram_role` in a profile; an aliyun CLI profile in mode CredentialsURI, EcsRamRole,
RamRoleArn or ChainableRamRoleArn. The first link that gives a key or names a source decides:
a source found first becomes `ConnectionSettings.credentials`; keys found first are read value
by value as before.

`ConnectionSettings.sources` records where each value came from, so `ossbrowse config show`
can tell a person which file to fix. The STS token is taken only from a source that also gave
the AccessKey id or secret: a token belongs to its key pair, and a stale `OSS_SESSION_TOKEN`
must not ride along with a permanent key given on the command line.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ossbrowse.errors import ConfigError


def _tomllib() -> ModuleType:
    # Imported when a config file exists: `ossbrowse ls` start-up pays nothing otherwise.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


APP_NAME = "ossbrowse"
CONFIG_FILE_NAME = "config.toml"

# Value names in chain order of display.
VALUE_NAMES = ("endpoint", "region", "access_key_id", "access_key_secret", "sts_token")
SECRET_NAMES = frozenset({"access_key_id", "access_key_secret", "sts_token"})
_CREDENTIAL_NAMES = ("access_key_id", "access_key_secret")

# Environment variables per value, first wins. ALIBABA_CLOUD_* is what Function Compute gives
# a function for its role; OSS_* is what ossutil and the SDKs document.
ENV_VARS: dict[str, tuple[str, ...]] = {
    "endpoint": ("OSS_ENDPOINT",),
    "region": ("OSS_REGION",),
    "access_key_id": ("OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID"),
    "access_key_secret": ("OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    "sts_token": ("OSS_SESSION_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"),
}

# ossutil 1.x writes `[Credentials]` with camelCase keys; configparser lowercases them.
_OSSUTIL_KEYS = {
    "endpoint": "endpoint",
    "region": "region",
    "accesskeyid": "access_key_id",
    "accesskeysecret": "access_key_secret",
    "ststoken": "sts_token",
}
_ALLUXIO_KEYS = {
    "fs.oss.endpoint": "endpoint",
    "fs.oss.accessKeyId": "access_key_id",
    "fs.oss.accessKeySecret": "access_key_secret",
    "fs.oss.securityToken": "sts_token",
}

# oss-<region>[-internal].aliyuncs.com; accelerate endpoints name no region.
_REGION_FROM_HOST = re.compile(r"^oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$")
_NOT_REGIONS = frozenset({"accelerate", "accelerate-overseas"})


@dataclass
class ConnectionSettings:
    """Everything needed to reach OSS, and where each piece came from."""

    endpoint: str | None = None  # normalized: with scheme, no trailing slash
    region: str | None = None
    access_key_id: str | None = None
    access_key_secret: str | None = None
    sts_token: str | None = None
    read_only: bool = False
    profile: str | None = None
    timeout: float | None = None  # seconds per request; None: oss2's default (60)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # A refreshing source (ossbrowse.credentials.RefreshingCredentials) when the chain chose
    # one; then the three key fields stay None and `sources["credentials"]` says which link.
    credentials: Any = None

    def __repr__(self) -> str:
        # A stray repr in a log or a traceback must not carry a secret.
        shown = {n: mask_secret(getattr(self, n)) for n in SECRET_NAMES}
        return (
            f"ConnectionSettings(endpoint={self.endpoint!r}, region={self.region!r}, "
            f"access_key_id={shown['access_key_id']!r}, "
            f"access_key_secret={shown['access_key_secret']!r}, "
            f"sts_token={shown['sts_token']!r}, read_only={self.read_only!r}, "
            f"profile={self.profile!r})"
        )

    @property
    def has_credentials(self) -> bool:
        """Keys or a source of them: requests are signed, not anonymous."""
        return bool(self.access_key_id) or self.credentials is not None

    @property
    def signature_version(self) -> int:
        """4 where the region is known, 1 otherwise (V4 needs the region in its scope)."""
        return 4 if self.region else 1


@dataclass
class ConfigFile:
    """ossbrowse's own config file, parsed. `mounts` is kept for the mount layer."""

    path: Path
    default_profile: str | None = None
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    mounts: dict[str, Any] = field(default_factory=dict)
    exists: bool = False


def mask_secret(value: str | None) -> str | None:
    """`****abcd`: at most the last four characters; fully masked when short.

    The first characters are never shown: with the last four they would give away half of a
    16-character secret, and an id's `LTAI` prefix says nothing a person needs.
    """
    if value is None:
        return None
    if len(value) < 12:  # four of fewer than 12 characters would show too much
        return "****"
    return f"****{value[-4:]}"


def normalize_endpoint(endpoint: str) -> str:
    """`oss-cn-hangzhou.aliyuncs.com` -> `https://oss-cn-hangzhou.aliyuncs.com`.

    No scheme means https (OSS serves both; credentials should not cross the network in
    clear). oss2 itself would assume http, so the scheme is always made explicit here.
    """
    text = endpoint.strip()
    if not text:
        raise ConfigError("The endpoint is empty.", hint="Give e.g. oss-cn-hangzhou.aliyuncs.com.")
    if "://" not in text:
        text = "https://" + text
    scheme = text.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise ConfigError(
            f"The endpoint {endpoint!r} uses {scheme}://; OSS endpoints are http or https.",
            hint="Give e.g. oss-cn-hangzhou.aliyuncs.com or http://127.0.0.1:9000.",
        )
    return text.rstrip("/")


def endpoint_host(endpoint: str) -> str:
    rest = endpoint.split("://", 1)[-1]
    host = rest.split("/", 1)[0]
    if host.startswith("["):
        return host[1 : host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def region_from_endpoint(endpoint: str) -> str | None:
    """`cn-hangzhou` for `oss-cn-hangzhou[-internal].aliyuncs.com`; None when not derivable."""
    match = _REGION_FROM_HOST.match(endpoint_host(endpoint).lower())
    if not match or match.group(1) in _NOT_REGIONS:
        return None
    return match.group(1)


def is_ip_or_localhost(endpoint: str) -> bool:
    """Hosts that cannot carry a bucket as a subdomain: path-style addressing is needed."""
    import ipaddress

    host = endpoint_host(endpoint)
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """`$OSSBROWSE_CONFIG`, else `config.toml` under platformdirs' user config dir."""
    env = os.environ if env is None else env
    if env.get("OSSBROWSE_CONFIG"):
        return Path(env["OSSBROWSE_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE_NAME


def load_config_file(path: Path | None = None) -> ConfigFile:
    """Parse ossbrowse's TOML file; a missing file is an empty config, a broken one an error."""
    path = config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ConfigFile(path=path)
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the config file {path}: {exc.strerror}.", hint="Check its permissions."
        ) from None
    tomllib = _tomllib()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML ({exc}).",
            hint="Fix the line it names, or move the file away to start afresh.",
        ) from None
    profiles = data.get("profiles", {})
    mounts = data.get("mounts", {})
    default = data.get("default_profile")
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(
            f"In {path}, profiles must be tables like [profiles.NAME].",
            hint="See `ossbrowse config show --help` for an example.",
        )
    if default is not None and not isinstance(default, str):
        raise ConfigError(f"In {path}, default_profile must be a string (a profile's name).")
    return ConfigFile(
        path=path,
        default_profile=default,
        profiles=profiles,
        mounts=mounts if isinstance(mounts, dict) else {},
        exists=True,
    )


def read_ossutil_config(path: Path) -> dict[str, str]:
    """ossutil's INI file: the `[Credentials]` section (ossutil 1.x), else `[default]` (2.x)."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(
            f"Cannot read ossutil's config file {path} ({exc.strerror}).",
            hint="Check its permissions, or move it away.",
        ) from None
    import configparser  # only when the file exists

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with handle:
            parser.read_file(handle)
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        raise ConfigError(
            f"Cannot read ossutil's config file {path} ({type(exc).__name__}).",
            hint="Fix it with `ossutil config`, or move it away.",
        ) from None
    for section in ("Credentials", "default"):
        if parser.has_section(section):
            items = parser[section]
            return {
                ours: items[theirs].strip()
                for theirs, ours in _OSSUTIL_KEYS.items()
                if items.get(theirs, "").strip()
            }
    return {}


def parse_properties(text: str) -> dict[str, str]:
    """Java `.properties`: `key=value`, `key: value` or `key value`, `#`/`!` comments and
    backslash line continuations (what Alluxio's site file is)."""
    result: dict[str, str] = {}
    logical = ""
    for raw_line in text.splitlines():
        line = raw_line.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical += line[:-1]
            continue
        logical += line
        match = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", logical)
        if match:
            result[match.group(1)] = match.group(2).strip()
        elif logical.strip():
            result[logical.strip()] = ""
        logical = ""
    return result


def read_alluxio_site(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"The Alluxio site file {path} does not exist.",
            hint="Point --alluxio-site at alluxio-site.properties (usually in $ALLUXIO_HOME/conf).",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the Alluxio site file {path} ({exc}).") from None
    props = parse_properties(text)
    return {ours: props[theirs] for theirs, ours in _ALLUXIO_KEYS.items() if props.get(theirs)}


def permission_warning(path: Path) -> str | None:
    """A warning when `path` (which holds a secret) can be read by group or others."""
    if os.name != "posix":
        return None
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"warning: {path} holds a secret and other users can read it; run: chmod 600 {path}"
    return None


def _arg(args: Any, name: str) -> Any:
    return getattr(args, name, None) if args is not None else None


def _profile_values(profile: Mapping[str, Any]) -> dict[str, str]:
    values = {}
    for name in VALUE_NAMES:
        value = profile.get(name)
        if isinstance(value, str) and value:
            values[name] = value
    return values


# A link that names a source of credentials carries this key; its value is "kind value".
_DYNAMIC = "credentials_source"


def _dynamic_link(kind: str, value: str) -> dict[str, str]:
    return {_DYNAMIC: f"{kind} {value}"}


def _gives_credentials(values: Mapping[str, str]) -> bool:
    return any(values.get(n) for n in (*_CREDENTIAL_NAMES, _DYNAMIC))


def resolve_settings(
    args: Any = None,
    env: Mapping[str, str] | None = None,
    home: Path | str | None = None,
) -> ConnectionSettings:
    """Walk the credential chain. `args` is an argparse Namespace (or None); `env` defaults to
    os.environ, `home` to the user's home (where `.ossutilconfig` lives)."""
    env = os.environ if env is None else env
    home_dir = Path(home) if home is not None else Path(env.get("HOME") or Path.home())
    settings = ConnectionSettings()
    # (label, values) in chain order; later links are read only when they may matter.
    links: list[tuple[str, dict[str, str]]] = []

    flags = {name: _arg(args, name) for name in VALUE_NAMES if isinstance(_arg(args, name), str)}
    links.append(("flag", {k: v for k, v in flags.items() if v}))
    for name, variables in ENV_VARS.items():
        for variable in variables:
            if env.get(variable):
                links.append((f"env {variable}", {name: env[variable]}))
    if env.get("ALIBABA_CLOUD_CREDENTIALS_URI"):
        uri = env["ALIBABA_CLOUD_CREDENTIALS_URI"]
        links.append(("env ALIBABA_CLOUD_CREDENTIALS_URI", _dynamic_link("credentials_uri", uri)))
    if env.get("ALIBABA_CLOUD_ECS_METADATA") and (
        env.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "").lower() != "true"
    ):
        role = env["ALIBABA_CLOUD_ECS_METADATA"]
        links.append(("env ALIBABA_CLOUD_ECS_METADATA", _dynamic_link("ecs_ram_role", role)))

    # ossbrowse's own file.
    cfg = load_config_file(config_path(env))
    profile_name = _arg(args, "profile") or env.get("OSSBROWSE_PROFILE") or cfg.default_profile
    profile: dict[str, Any] = {}
    if profile_name:
        if profile_name not in cfg.profiles:
            known = ", ".join(sorted(cfg.profiles)) or "none"
            raise ConfigError(
                f"Profile {profile_name!r} is not in {cfg.path} (profiles there: {known}).",
                hint=f"Add a [profiles.{profile_name}] table to that file, or pick another.",
            )
        profile = cfg.profiles[profile_name]
        settings.profile = profile_name
        links.append((f"profile {profile_name} in {cfg.path}", _profile_values(profile)))
        for kind in ("credentials_uri", "ecs_ram_role"):
            named = profile.get(kind)
            if isinstance(named, str) and (named or kind == "ecs_ram_role"):
                label = f"profile {profile_name} in {cfg.path} ({kind})"
                links.append((label, _dynamic_link(kind, named)))
    if cfg.exists and any(
        isinstance(p.get(n), str) and p.get(n) for p in cfg.profiles.values() for n in SECRET_NAMES
    ):
        warning = permission_warning(cfg.path)
        if warning:
            settings.warnings.append(warning)

    ossutil_path = home_dir / ".ossutilconfig"
    ossutil = read_ossutil_config(ossutil_path)
    if ossutil:
        links.append((f"ossutil {ossutil_path}", ossutil))
        if any(n in ossutil for n in SECRET_NAMES):
            warning = permission_warning(ossutil_path)
            if warning:
                settings.warnings.append(warning)

    site = _arg(args, "alluxio_site") or profile.get("alluxio_site")
    if not site and env.get("ALLUXIO_HOME"):
        candidate = Path(env["ALLUXIO_HOME"]) / "conf" / "alluxio-site.properties"
        site = str(candidate) if candidate.is_file() else None
    if site:
        site_path = Path(site).expanduser()
        alluxio = read_alluxio_site(site_path)
        links.append((f"alluxio {site_path}", alluxio))
        if any(n in alluxio for n in SECRET_NAMES):
            warning = permission_warning(site_path)
            if warning:
                settings.warnings.append(warning)

    assume = None  # an aliyun CLI profile's role to assume, built only if chosen
    if not any(_gives_credentials(values) for _, values in links):
        # Last and read only when nothing else gave keys: a general-purpose file.
        from ossbrowse.credentials.aliyun_cli import read_aliyun_profile

        aliyun = read_aliyun_profile(env, home_dir)
        if aliyun is not None:
            if aliyun.warning:
                settings.warnings.append(aliyun.warning)
            if aliyun.assume is not None:
                links.append((aliyun.label, _dynamic_link("assume_role", "")))
                assume = aliyun.assume
            elif aliyun.dynamic is not None:
                links.append((aliyun.label, _dynamic_link(*aliyun.dynamic)))
            elif aliyun.values:
                links.append((aliyun.label, aliyun.values))

    deciding = next(((label, v) for label, v in links if _gives_credentials(v)), None)
    if deciding is not None and deciding[1].get(_DYNAMIC):
        from ossbrowse.credentials.select import make_source

        kind, _, value = deciding[1][_DYNAMIC].partition(" ")
        if kind == "assume_role" and assume is not None:
            settings.credentials = assume()
        else:
            settings.credentials = make_source(kind, value, env)
        settings.sources["credentials"] = deciding[0]
        # Keys and tokens further down belong to other sources; endpoints and regions stay.
        dropped = (*_CREDENTIAL_NAMES, "sts_token", _DYNAMIC)
        links = [(label, {k: x for k, x in v.items() if k not in dropped}) for label, v in links]

    credential_sources: set[str] = set()
    for name in ("endpoint", "region", *_CREDENTIAL_NAMES):
        for label, values in links:
            if values.get(name):
                setattr(settings, name, values[name])
                settings.sources[name] = label
                if name in _CREDENTIAL_NAMES:
                    credential_sources.add(_source_group(label))
                break
    for label, values in links:
        if values.get("sts_token") and _source_group(label) in credential_sources:
            settings.sts_token = values["sts_token"]
            settings.sources["sts_token"] = label
            break

    if settings.endpoint:
        settings.endpoint = normalize_endpoint(settings.endpoint)
    if not settings.region and settings.endpoint:
        derived = region_from_endpoint(settings.endpoint)
        if derived:
            settings.region = derived
            settings.sources["region"] = "derived from the endpoint"

    settings.read_only = bool(_arg(args, "read_only")) or bool(profile.get("read_only", False))
    if _arg(args, "read_only"):
        settings.sources["read_only"] = "flag"
    elif profile.get("read_only"):
        settings.sources["read_only"] = f"profile {profile_name}"
    timeout = _arg(args, "timeout") or profile.get("timeout")
    if timeout is not None:
        try:
            settings.timeout = float(timeout)
        except (TypeError, ValueError):
            raise ConfigError(f"The timeout {timeout!r} is not a number of seconds.") from None
    return settings


def _source_group(label: str) -> str:
    """Which source a label belongs to: the environment counts as one source."""
    if label.startswith("env "):
        variable = label[4:]
        return "env ALIBABA_CLOUD" if variable.startswith("ALIBABA_CLOUD_") else "env OSS"
    return label


def require_credentials(settings: ConnectionSettings) -> None:
    """Raise ConfigError unless an endpoint is set and the key pair is whole (or absent)."""
    if not settings.endpoint:
        raise ConfigError(
            "No OSS endpoint is set.",
            hint="Pass --endpoint, set OSS_ENDPOINT, or add endpoint to a profile in "
            f"{config_path()} (e.g. oss-cn-hangzhou.aliyuncs.com).",
        )
    if bool(settings.access_key_id) != bool(settings.access_key_secret):
        missing = "secret" if settings.access_key_id else "id"
        raise ConfigError(
            f"The AccessKey {missing} is missing (only half of the key pair was found).",
            hint="Set both OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or both in one profile; "
            "`ossbrowse config show` tells where each came from.",
        )


def credential_places(env: Mapping[str, str] | None = None) -> list[str]:
    """Where the credential chain looks for keys, in its order (README "Credentials")."""
    return [
        "the flags --access-key-id and --access-key-secret",
        "the environment variables OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET, or "
        "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        f"a profile in {config_path(env)}",
        "ossutil's ~/.ossutilconfig",
        "Alluxio's alluxio-site.properties (--alluxio-site FILE or $ALLUXIO_HOME/conf)",
        "a credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI, or credentials_uri in a profile)",
        "the ECS instance's role, from its metadata service (ALIBABA_CLOUD_ECS_METADATA=ROLE, "
        "or ecs_ram_role in a profile)",
        "the aliyun CLI's ~/.aliyun/config.json (ALIBABA_CLOUD_CONFIG_FILE, ALIBABA_CLOUD_PROFILE)",
    ]


def no_credentials_error(env: Mapping[str, str] | None = None) -> ConfigError:
    """OSS refused a request sent without keys because none were found anywhere in the chain.

    Said instead of "access denied ... RAM policy": with no keys, no policy is involved."""
    places = "; ".join(f"{n}) {p}" for n, p in enumerate(credential_places(env), start=1))
    return ConfigError(
        "No credentials were found, so the request was sent anonymously and OSS refused it. "
        f"ossbrowse looks for an AccessKey pair in: {places}.",
        hint="Set one of these; `ossbrowse config show` tells what was found where.",
    )
