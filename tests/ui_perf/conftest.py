"""Fixtures for the UI speed work: the UI fixtures (app on the local server, waiting helpers)
and a bucket filled straight through the server's store (thousands of keys in milliseconds)."""

from __future__ import annotations

import time

import pytest

from tests.ui.conftest import _no_user_config, local_dir, make_app, oss_settings  # noqa: F401


@pytest.fixture
def bulk_bucket(oss_server, oss_bucket):
    """`bulk_bucket(keys) -> name`: the test's bucket holding `keys` (empty objects)."""
    from ossbrowse.emulator.model import ObjectMeta

    def fill(keys) -> str:
        now = time.time()
        metas = [
            ObjectMeta(key=k, size=7, etag="0" * 32, crc64=0, mtime=now, blob=b"") for k in keys
        ]
        oss_server.store.bulk_load(oss_bucket.bucket_name, metas)
        return oss_bucket.bucket_name

    return fill
