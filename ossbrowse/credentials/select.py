"""From a chain link that names a source ("ecs_ram_role", "credentials_uri") to that source.

Building a source contacts nothing: the first request signed fetches the credentials, so
`ossbrowse config show` and a run that never reaches OSS never touch the metadata service.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

from ossbrowse.credentials import Clock, RefreshingCredentials
from ossbrowse.credentials.http_sources import ECS_METADATA, CredentialsUri, EcsRamRole

# Kinds of link in the credential chain that name a source instead of holding keys.
KINDS = ("credentials_uri", "ecs_ram_role")
# Where the ECS metadata service is; overridable so tests can serve one on loopback.
METADATA_ENV = "OSSBROWSE_ECS_METADATA_URL"


def make_source(
    kind: str, value: str, env: Mapping[str, str] | None = None, *, clock: Clock = time.time
) -> RefreshingCredentials:
    env = os.environ if env is None else env
    fetch: CredentialsUri | EcsRamRole
    if kind == "credentials_uri":
        fetch = CredentialsUri(value)
    elif kind == "ecs_ram_role":
        fetch = EcsRamRole(
            value or None,
            env.get(METADATA_ENV) or ECS_METADATA,
            v1_allowed=env.get("ALIBABA_CLOUD_IMDSV1_DISABLED", "").lower() != "true",
        )
    else:  # pragma: no cover - the chain only builds the kinds above
        raise ValueError(kind)
    return RefreshingCredentials(fetch, fetch.description, clock=clock)
