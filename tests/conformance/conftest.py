"""Fixtures for driving the local server through SDKs this project did not write."""

from __future__ import annotations

import pytest


def v2_client(server, version: str = "v4", key_id: str | None = None, secret: str | None = None):
    """An alibabacloud-oss-v2 client on the local server: path style, http, its own signer."""
    import alibabacloud_oss_v2 as oss

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        key_id or server.access_key_id, secret or server.access_key_secret
    )
    cfg.region = server.region
    cfg.endpoint = server.endpoint
    cfg.use_path_style = True
    cfg.signature_version = version
    return oss.Client(cfg)


@pytest.fixture(params=["v4", "v1"])
def v2(request, oss_server):
    """An alibabacloud-oss-v2 client, once with its default V4 signatures and once with V1."""
    return v2_client(oss_server, request.param)


def service_error(excinfo):
    """The ServiceError inside an alibabacloud-oss-v2 OperationError."""
    return excinfo.value.unwrap()
