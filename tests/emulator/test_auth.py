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
