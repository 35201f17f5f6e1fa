"""Signatures V1 and V4 (headers and presigned URLs), STS tokens, virtual-host addressing."""

import http.client
import time
from urllib.parse import urlsplit

import oss2
import pytest
import requests

from ossbrowse.emulator import EmulatorServer
from tests.emulator.helpers import signed_request


def v4_bucket(srv, name, secret=None, region="cn-hangzhou", **kw):
    auth = oss2.AuthV4(srv.access_key_id, secret or srv.access_key_secret)
    return oss2.Bucket(auth, srv.endpoint, name, region=region, **kw)


def test_v4_round_trip_with_odd_keys_and_params(oss_bucket, oss_server):
    bucket = v4_bucket(oss_server, oss_bucket.bucket_name)
    key = "v4 dir/ü+%2F?&=~.txt"
    bucket.put_object(key, b"v4", headers={"x-oss-meta-x": "1", "Content-Type": "text/plain"})
    assert bucket.get_object(key).read() == b"v4"
    listed = bucket.list_objects_v2(prefix="v4 dir/", delimiter="/", max_keys=10)
    assert [o.key for o in listed.object_list] == [key]
    assert (
        bucket.get_object(key, params={"response-content-type": "a/b"}).headers["Content-Type"]
        == "a/b"
    )


def test_v4_service_and_multipart(oss_bucket, oss_server):
    bucket = v4_bucket(oss_server, oss_bucket.bucket_name)
    service = oss2.Service(oss2.AuthV4(oss_server.access_key_id, oss_server.access_key_secret),
                           oss_server.endpoint, region="cn-hangzhou")  # fmt: skip
    assert oss_bucket.bucket_name in [b.name for b in service.list_buckets(max_keys=1000).buckets]
    upload_id = bucket.init_multipart_upload("m").upload_id
    part = bucket.upload_part("m", upload_id, 1, b"p")
    bucket.complete_multipart_upload("m", upload_id, [oss2.models.PartInfo(1, part.etag)])
    assert bucket.get_object("m").read() == b"p"


def test_v4_additional_headers(oss_bucket, oss_server):
    auth = oss2.AuthV4(oss_server.access_key_id, oss_server.access_key_secret)
    url = f"{oss_server.endpoint}/{oss_bucket.bucket_name}/k"
    req = oss2.http.Request("PUT", url, data=b"x", headers={"Host": urlsplit(url).netloc,
                                                           "Content-Length": "1"},
                            region="cn-hangzhou", product="oss")  # fmt: skip
    auth._sign_request(req, oss_bucket.bucket_name, "k", in_additional_headers=["host"])
    assert "AdditionalHeaders=host" in req.headers["authorization"]
    resp = requests.put(url, data=b"x", headers=dict(req.headers))
    assert resp.status_code == 200, resp.text
    req.headers["Host"] = "evil.example"  # signed header changed in transit
    resp = requests.put(url, data=b"x", headers=dict(req.headers))
    assert resp.status_code == 403 and "SignatureDoesNotMatch" in resp.text


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_wrong_secret_and_key(oss_bucket, oss_server, version):
    name = oss_bucket.bucket_name
    if version == "v1":
        wrong_secret = oss2.Bucket(oss2.Auth(oss_server.access_key_id, "nope"),
                                   oss_server.endpoint, name)  # fmt: skip
        wrong_key = oss2.Bucket(oss2.Auth("someone", "nope"), oss_server.endpoint, name)
    else:
        wrong_secret = v4_bucket(oss_server, name, secret="nope")
        wrong_key = oss2.Bucket(oss2.AuthV4("someone", "nope"), oss_server.endpoint, name,
                                region="cn-hangzhou")  # fmt: skip
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch) as info:
        wrong_secret.get_object("k")
    assert "nope" not in info.value.body.decode()  # the secret never comes back
    with pytest.raises(oss2.exceptions.ServerError) as info:
        wrong_key.put_object("k", b"x")
    assert (info.value.status, info.value.code) == (403, "InvalidAccessKeyId")


def test_v4_wrong_region(oss_bucket, oss_server):
    bucket = v4_bucket(oss_server, oss_bucket.bucket_name, region="cn-beijing")
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        bucket.get_object("k")


def test_anonymous_refused_on_private_bucket(oss_bucket):
    anonymous = oss2.Bucket(oss2.AnonymousAuth(), oss_bucket.endpoint, oss_bucket.bucket_name)
    with pytest.raises(oss2.exceptions.AccessDenied):
        anonymous.put_object("k", b"x")
    with pytest.raises(oss2.exceptions.AccessDenied):
        anonymous.list_objects()


def test_clock_skew_refused(oss_bucket, oss_server):
    stale = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() - 3600))
    status, body = signed_request(oss_server, "GET", oss_bucket.bucket_name, "k",
                                  headers={"x-oss-date": stale})  # fmt: skip
    assert status == 403 and b"RequestTimeTooSkewed" in body


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_presigned_urls(oss_bucket, oss_server, version):
    bucket = oss_bucket if version == "v1" else v4_bucket(oss_server, oss_bucket.bucket_name)
    key = "pre signed/ü?.txt"
    put_url = bucket.sign_url("PUT", key, 60, headers={"Content-Type": "text/plain"})
    resp = requests.put(put_url, data=b"via url", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 200, resp.text
    get_url = bucket.sign_url("GET", key, 60)
    assert requests.get(get_url).content == b"via url"
    tampered = get_url.replace("pre%20signed", "pre%20signex")
    assert requests.get(tampered).status_code == 403
    wrong_type = requests.put(put_url, data=b"x", headers={"Content-Type": "text/html"})
    assert wrong_type.status_code == 403


def test_presigned_urls_expire(oss_bucket, oss_server):
    oss_bucket.put_object("k", b"x")
    v4 = v4_bucket(oss_server, oss_bucket.bucket_name)
    urls = [oss_bucket.sign_url("GET", "k", 1), v4.sign_url("GET", "k", 1)]
    assert [requests.get(u).status_code for u in urls] == [200, 200]
    time.sleep(2.1)  # expiry is in whole seconds
    for url in urls:
        resp = requests.get(url)
        assert resp.status_code == 403 and "expired" in resp.text


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_sts_token(version):
    with EmulatorServer(sts_token="token-123") as srv:
        srv.create_bucket("sts-bucket")
        if version == "v1":
            good = oss2.StsAuth(srv.access_key_id, srv.access_key_secret, "token-123")
            bad = oss2.StsAuth(srv.access_key_id, srv.access_key_secret, "token-999")
        else:
            good = oss2.ProviderAuthV4(oss2.credentials.StaticCredentialsProvider(
                srv.access_key_id, srv.access_key_secret, "token-123"))  # fmt: skip
            bad = oss2.ProviderAuthV4(oss2.credentials.StaticCredentialsProvider(
                srv.access_key_id, srv.access_key_secret, "token-999"))  # fmt: skip
        plain = oss2.Auth(srv.access_key_id, srv.access_key_secret)
        kw = {"region": "cn-hangzhou"}
        bucket = oss2.Bucket(good, srv.endpoint, "sts-bucket", **kw)
        bucket.put_object("k", b"sts")
        assert requests.get(bucket.sign_url("GET", "k", 60)).content == b"sts"
        with pytest.raises(oss2.exceptions.ServerError) as info:
            oss2.Bucket(bad, srv.endpoint, "sts-bucket", **kw).get_object("k")
        assert info.value.code == "InvalidSecurityToken"
        with pytest.raises(oss2.exceptions.ServerError) as info:
            oss2.Bucket(plain, srv.endpoint, "sts-bucket", **kw).get_object("k")
        assert info.value.status == 403


def test_virtual_host_addressing_with_http_client(oss_bucket, oss_server):
    oss_bucket.put_object("vh/key", b"virtual")
    name = oss_bucket.bucket_name
    status, body = signed_request(oss_server, "GET", name, "vh/key", host=f"{name}.localhost",
                                  path="/vh%2Fkey")  # fmt: skip
    assert (status, body) == (200, b"virtual")


def test_virtual_host_addressing_with_oss2(oss_bucket):
    """oss2 pointed at a made-up domain resolved to 127.0.0.1 by the transport, as a hosts-file
    entry would: it then uses virtual-host style, as against real OSS."""
    with EmulatorServer(domain="oss-test.example") as srv:
        srv.create_bucket("vhost-bucket")
        port = srv.port

        class LoopbackAdapter(requests.adapters.HTTPAdapter):
            def send(self, request, **kw):
                parts = urlsplit(request.url)
                request.headers["Host"] = parts.netloc
                request.url = request.url.replace(parts.netloc, f"127.0.0.1:{port}", 1)
                return super().send(request, **kw)

        session = oss2.Session(adapter=LoopbackAdapter())
        auth = oss2.Auth(srv.access_key_id, srv.access_key_secret)
        bucket = oss2.Bucket(auth, f"http://oss-test.example:{port}", "vhost-bucket",
                             session=session)  # fmt: skip
        bucket.put_object("a/b", b"vh")
        assert bucket.get_object("a/b").read() == b"vh"
        assert [o.key for o in bucket.list_objects_v2().object_list] == ["a/b"]
        service = oss2.Service(auth, f"http://oss-test.example:{port}", session=session)
        assert [b.name for b in service.list_buckets().buckets] == ["vhost-bucket"]


def test_keep_alive_many_requests_one_connection(oss_bucket, oss_server):
    oss_bucket.put_object("k", b"x")
    url = urlsplit(oss_bucket.sign_url("GET", "k", 60))
    conn = http.client.HTTPConnection("127.0.0.1", oss_server.port)
    for _ in range(20):
        conn.request("GET", f"{url.path}?{url.query}")
        resp = conn.getresponse()
        assert resp.read() == b"x"
    conn.close()


# -- precedence: the bucket is looked up first (issue 13.1) ----------------------------------


def _v2_client(srv, key_id, secret, version="v4"):
    import alibabacloud_oss_v2 as oss

    cfg = oss.config.load_default()
    cfg.credentials_provider = oss.credentials.StaticCredentialsProvider(key_id, secret)
    cfg.region, cfg.endpoint, cfg.use_path_style = "cn-hangzhou", srv.endpoint, True
    cfg.signature_version = version
    return oss.Client(cfg)


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_unknown_key_on_missing_bucket_is_no_such_bucket(oss_bucket, oss_server, version):
    auth = oss2.Auth("someone", "nope") if version == "v1" else oss2.AuthV4("someone", "nope")
    missing = oss2.Bucket(auth, oss_server.endpoint, "never-made-here", region="cn-hangzhou")
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        missing.get_bucket_info()
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        missing.get_object("k")
    existing = oss2.Bucket(auth, oss_server.endpoint, oss_bucket.bucket_name, region="cn-hangzhou")
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        existing.get_bucket_info()
    assert (caught.value.status, caught.value.code) == (403, "InvalidAccessKeyId")


def test_wrong_secret_and_anonymous_on_missing_bucket_are_no_such_bucket(oss_server):
    wrong = oss2.Bucket(oss2.Auth(oss_server.access_key_id, "nope"), oss_server.endpoint,
                        "never-made-here")  # fmt: skip
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        wrong.list_objects()
    anonymous = oss2.Bucket(oss2.AnonymousAuth(), oss_server.endpoint, "never-made-here")
    with pytest.raises(oss2.exceptions.NoSuchBucket):
        anonymous.get_object("k")


def test_creating_a_bucket_with_an_unknown_key_is_refused(oss_server):
    bucket = oss2.Bucket(oss2.Auth("someone", "nope"), oss_server.endpoint, "not-to-be-made")
    with pytest.raises(oss2.exceptions.ServerError) as caught:
        bucket.create_bucket()
    assert (caught.value.status, caught.value.code) == (403, "InvalidAccessKeyId")
    assert "not-to-be-made" not in oss_server.store.buckets


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_v2_is_bucket_exist_with_an_unknown_key(oss_bucket, oss_server, version):
    stranger = _v2_client(oss_server, "someone", "nope", version)
    assert stranger.is_bucket_exist("never-made-here") is False
    assert stranger.is_bucket_exist(oss_bucket.bucket_name) is True  # 403: exists, not ours
    owner = _v2_client(oss_server, oss_server.access_key_id, oss_server.access_key_secret, version)
    assert owner.is_bucket_exist(oss_bucket.bucket_name) is True
    assert owner.is_bucket_exist("never-made-here") is False


# -- V1 signs every sub-resource OSS signs (issue 13.4) ---------------------------------------


@pytest.mark.parametrize("name", ["publicAccessBlock", "httpsConfig", "bucketArchiveDirectRead"])
def test_v1_signature_covers_newer_subresources(oss_bucket, oss_server, name):
    """oss2 signs these; a server that leaves one out of the canonical resource answers
    SignatureDoesNotMatch where OSS answers the operation (here: 501)."""
    status, body = signed_request(oss_server, "GET", oss_bucket.bucket_name, "",
                                  params={name: ""},
                                  path=f"/{oss_bucket.bucket_name}/")  # fmt: skip
    assert status == 501 and b"<Code>NotImplemented</Code>" in body


@pytest.mark.parametrize("version", ["v1", "v4"])
def test_v1_and_v4_agree_through_alibabacloud_oss_v2(oss_bucket, oss_server, version):
    import alibabacloud_oss_v2 as oss

    client = _v2_client(oss_server, oss_server.access_key_id, oss_server.access_key_secret,
                        version)  # fmt: skip
    name = oss_bucket.bucket_name
    for call, request in (
        ("get_bucket_public_access_block", oss.GetBucketPublicAccessBlockRequest),
        ("get_bucket_overwrite_config", oss.GetBucketOverwriteConfigRequest),
        ("get_bucket_https_config", oss.GetBucketHttpsConfigRequest),
        ("get_bucket_access_monitor", oss.GetBucketAccessMonitorRequest),
    ):
        with pytest.raises(oss.exceptions.OperationError) as caught:
            getattr(client, call)(request(bucket=name))
        error = caught.value.unwrap()
        assert (error.status_code, error.code) == (501, "NotImplemented"), call
    with pytest.raises(oss.exceptions.OperationError) as caught:
        client.get_bucket_lifecycle(oss.GetBucketLifecycleRequest(bucket=name))
    assert caught.value.unwrap().code == "NoSuchLifecycle"
    tags = client.get_bucket_tags(oss.GetBucketTagsRequest(bucket=name))
    assert not (tags.tagging.tag_set.tags if tags.tagging.tag_set else None)


# -- the S3 dialect is not spoken, and says so ------------------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=deadbeef",
    ],
)
def test_s3_signed_requests_get_a_clear_answer(oss_bucket, oss_server, authorization):
    conn = http.client.HTTPConnection("127.0.0.1", oss_server.port, timeout=10)
    try:
        conn.request(
            "GET", f"/{oss_bucket.bucket_name}/k", headers={"Authorization": authorization}
        )
        resp = conn.getresponse()
        body = resp.read().decode()
    finally:
        conn.close()
    assert resp.status == 501 and "<Code>NotImplemented</Code>" in body
    assert "OSS API only" in body and "S3" in body


def test_s3_presigned_url_gets_a_clear_answer(oss_bucket, oss_server):
    url = (f"{oss_server.endpoint}/{oss_bucket.bucket_name}/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
           "&X-Amz-Credential=a%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20250101T000000Z"
           "&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=abc")  # fmt: skip
    resp = requests.get(url, timeout=10)
    assert resp.status_code == 501 and "OSS API only" in resp.text


def test_ali_oss_ip_endpoint_host_names_the_bucket(oss_bucket, oss_server):
    """ali-oss given an IP endpoint connects to it but sends `Host: <bucket>.oss-<region>
    .aliyuncs.com` (no port) with the key alone as the path; the default server takes the
    bucket from that Host (checked by hand with ali-oss 6.23: put, get, listV2, head,
    multipartUpload, delete, getBucketInfo, V1 and V4)."""
    oss_bucket.put_object("dir/a b.txt", b"hello ali")
    name = oss_bucket.bucket_name
    host = f"{name}.oss-cn-hangzhou.aliyuncs.com"
    status, body = signed_request(oss_server, "GET", name, "dir/a b.txt", host=host,
                                  path="/dir/a%20b.txt")  # fmt: skip
    assert (status, body) == (200, b"hello ali")
    status, body = signed_request(oss_server, "GET", name, "", params={"bucketInfo": ""},
                                  host=host, path="/")  # fmt: skip
    assert status == 200
    assert b"<ExtranetEndpoint>http://oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>" in body
