"""Fixtures for the fs tests: settings, client and file system pointed at the local server."""

from __future__ import annotations

import pytest

from ossbrowse.config import ConnectionSettings


def settings_for(server, **overrides) -> ConnectionSettings:
    """Settings that reach the test server (its defaults per docs/CONTRACTS.md)."""
    values = {
        "endpoint": server.endpoint,
        "access_key_id": getattr(server, "access_key_id", "ossbrowse"),
        "access_key_secret": getattr(server, "access_key_secret", "ossbrowse-secret"),
        "timeout": 10.0,
    }
    values.update(overrides)
    return ConnectionSettings(**values)


@pytest.fixture
def oss_settings(oss_server) -> ConnectionSettings:
    return settings_for(oss_server)


@pytest.fixture
def oss_client(oss_settings):
    from ossbrowse.fs.oss import OssClient

    return OssClient(oss_settings)


@pytest.fixture
def oss_fs(oss_client):
    from ossbrowse.fs.oss import OssFileSystem

    return OssFileSystem(oss_client)
