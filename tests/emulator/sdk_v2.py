"""A client of the successor SDK (alibabacloud-oss-v2, V4 signatures) for the local server."""

from __future__ import annotations


def v2_client(server):
    import alibabacloud_oss_v2 as oss

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        server.access_key_id, server.access_key_secret
    )
    cfg.region = server.region
    cfg.endpoint = server.endpoint
    cfg.use_path_style = True
    cfg.disable_ssl = True
    return oss.Client(cfg)
