"""Virtual-host addressing (`Host: bucket.domain`), as both SDKs use it against OSS: a made-up
domain is sent to the loopback server by the transport, as a hosts-file entry would."""

from __future__ import annotations

from urllib.parse import urlsplit

import alibabacloud_oss_v2 as oss
import oss2
import pytest
import requests

from ossbrowse.emulator import EmulatorServer
from tests.conformance.conftest import v2_client

DOMAIN = "oss-test.example"


def _loopback_adapter(port: int) -> requests.adapters.HTTPAdapter:
    class LoopbackAdapter(requests.adapters.HTTPAdapter):
        def send(self, request, **kw):
            parts = urlsplit(request.url)
            request.headers["Host"] = parts.netloc
            request.url = request.url.replace(parts.netloc, f"127.0.0.1:{port}", 1)
            return super().send(request, **kw)

    return LoopbackAdapter()


@pytest.fixture
def vhost_server():
    with EmulatorServer(domain=DOMAIN) as server:
        server.create_bucket("vhost-bucket")
        yield server


def _v2_virtual_host(server) -> oss.Client:
    import alibabacloud_oss_v2.transport as transport

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(
        server.access_key_id, server.access_key_secret
    )
    cfg.region, cfg.endpoint = server.region, f"http://{DOMAIN}:{server.port}"
    cfg.http_client = transport.RequestsHttpClient(adapter=_loopback_adapter(server.port))
    return oss.Client(cfg)


def _multipart(client: oss.Client, bucket: str, key: str) -> str:
    init = client.initiate_multipart_upload(
        oss.InitiateMultipartUploadRequest(bucket=bucket, key=key)
    )
    part = client.upload_part(
        oss.UploadPartRequest(
            bucket=bucket, key=key, upload_id=init.upload_id, part_number=1, body=b"m" * 10
        )
    )
    done = client.complete_multipart_upload(
        oss.CompleteMultipartUploadRequest(
            bucket=bucket,
            key=key,
            upload_id=init.upload_id,
            complete_multipart_upload=oss.CompleteMultipartUpload(
                parts=[oss.UploadPart(part_number=1, etag=part.etag)]
            ),
        )
    )
    return done.location


def test_complete_multipart_location_virtual_host(vhost_server):
    """OSS answers `http://bucket.domain/dir/name`: no bucket in the path, `/` kept."""
    client = _v2_virtual_host(vhost_server)
    location = _multipart(client, "vhost-bucket", "mp/manual")
    assert location == f"http://vhost-bucket.{DOMAIN}:{vhost_server.port}/mp/manual"
    assert _multipart(client, "vhost-bucket", "a b/中") == (
        f"http://vhost-bucket.{DOMAIN}:{vhost_server.port}/a%20b/%E4%B8%AD"
    )


def test_complete_multipart_location_path_style(oss_server, oss_bucket):
    client = v2_client(oss_server)
    location = _multipart(client, oss_bucket.bucket_name, "mp/manual")
    assert location == f"{oss_server.endpoint}/{oss_bucket.bucket_name}/mp/manual"


def test_virtual_host_everyday_calls_through_both_sdks(vhost_server):
    client = _v2_virtual_host(vhost_server)
    client.put_object(oss.PutObjectRequest(bucket="vhost-bucket", key="a/b", body=b"vh"))
    page = client.list_objects_v2(oss.ListObjectsV2Request(bucket="vhost-bucket"))
    assert [o.key for o in page.contents] == ["a/b"]
    info = client.get_bucket_info(oss.GetBucketInfoRequest(bucket="vhost-bucket")).bucket_info
    assert info.extranet_endpoint == f"http://{DOMAIN}:{vhost_server.port}"  # no bucket
    session = oss2.Session(adapter=_loopback_adapter(vhost_server.port))
    auth = oss2.AuthV4(vhost_server.access_key_id, vhost_server.access_key_secret)
    bucket = oss2.Bucket(auth, f"http://{DOMAIN}:{vhost_server.port}", "vhost-bucket",
                         session=session, region="cn-hangzhou")  # fmt: skip
    assert bucket.get_object("a/b").read() == b"vh"
    assert client.is_bucket_exist("vhost-bucket") and not client.is_bucket_exist("no-such-one")
