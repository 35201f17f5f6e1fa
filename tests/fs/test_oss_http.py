"""Connection reuse and per-request overhead of the oss2 session (against the local server)."""

from ossbrowse.fs.gateway import http as oss_http
from ossbrowse.fs.gateway.handle import sdk_bucket


def _connections_opened(client, endpoint) -> int:
    manager = client._session.session.get_adapter(endpoint).poolmanager
    # urllib3's pool container cannot be iterated, only its keys().
    return sum(manager.pools[key].num_connections for key in manager.pools.keys())  # noqa: SIM118


def test_copies_reuse_one_connection(oss_client, oss_server, make_bucket):
    bucket = sdk_bucket(oss_client.bucket(make_bucket().bucket_name))
    bucket.put_object("src", b"payload")
    for i in range(5):
        result = oss_http.copy_object(bucket, bucket.bucket_name, "src", f"dst-{i}")
        assert result.etag
    assert bucket.get_object("dst-4").read() == b"payload"
    # oss2's own copy_object leaves the body unread and opens a connection per copy.
    assert _connections_opened(oss_client, oss_server.endpoint) == 1


def test_environment_lookup_skipped_only_when_nothing_to_honour(tmp_path):
    home = str(tmp_path)
    assert not oss_http.environment_matters({"HOME": home, "PATH": "/bin"})
    assert oss_http.environment_matters({"HOME": home, "HTTPS_PROXY": "http://proxy:3128"})
    assert oss_http.environment_matters({"HOME": home, "no_proxy": "localhost"})
    assert not oss_http.environment_matters({"HOME": home, "REQUESTS_CA_BUNDLE": "/etc/ca.pem"})
    (tmp_path / ".netrc").write_text("machine example.com login a password b\n")
    assert oss_http.environment_matters({"HOME": home})


def test_ca_bundle_from_the_environment_is_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "NETRC"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    session = oss_http.make_session().session
    assert session.trust_env is False
    assert session.verify == "/etc/ssl/certs/ca-certificates.crt"
