"""oss:// URL parsing and OSS's naming rules, checked before any request is sent."""

from __future__ import annotations

import pytest

from ossbrowse.errors import InvalidURL
from ossbrowse.fs.url import OssUrl, format_oss_url, is_oss_url, parse_oss_url


@pytest.mark.parametrize(
    ("text", "bucket", "key"),
    [
        ("oss://", None, ""),
        ("oss://my-bucket", "my-bucket", ""),
        ("oss://my-bucket/", "my-bucket", ""),
        ("oss://my-bucket/dir", "my-bucket", "dir"),  # Alluxio style: a folder without slash
        ("oss://my-bucket/dir/", "my-bucket", "dir/"),
        ("oss://my-bucket/dir/obj.txt", "my-bucket", "dir/obj.txt"),  # ossutil style
        ("OSS://abc/x", "abc", "x"),
        ("oss://abc/a?b#c%20d", "abc", "a?b#c%20d"),  # taken literally, no decoding
        ("oss://abc/../etc/passwd", "abc", "../etc/passwd"),  # legal key, never a local path
        ("oss://a1b/é/文件", "a1b", "é/文件"),
        ("oss://" + "a" * 63 + "/k", "a" * 63, "k"),
        ("oss://abc/" + "k" * 1023, "abc", "k" * 1023),
    ],
)
def test_valid_urls_parse(text, bucket, key):
    assert parse_oss_url(text) == OssUrl(bucket, key)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("oss://ab", "3 to 63"),
        ("oss://" + "a" * 64, "3 to 63"),
        ("oss://My-Bucket", "lowercase letters"),
        ("oss://my_bucket", "lowercase letters"),
        ("oss://my.bucket/x", "lowercase letters"),
        ("oss://-abc", "start and end"),
        ("oss://abc-/k", "start and end"),
        ("oss://abc//key", "must not start with '/'"),
        ("oss://abc/\\key", "must not start with '/' or '\\'"),
        ("oss://abc/" + "k" * 1024, "1023 bytes"),
        ("oss://abc/" + "é" * 512, "1024 bytes"),  # 512 characters, 1024 bytes
        ("oss:///key", "3 to 63"),
        ("s3://abc/key", "not an OSS URL"),
        ("/local/path", "not an OSS URL"),
    ],
)
def test_invalid_urls_name_the_rule(text, rule):
    with pytest.raises(InvalidURL) as caught:
        parse_oss_url(text)
    assert rule in str(caught.value)
    assert caught.value.exit_code == 2


def test_error_text_escapes_control_characters():
    with pytest.raises(InvalidURL) as caught:
        parse_oss_url("oss://bad\x1b[31mname/k")
    assert "\x1b" not in str(caught.value)
    assert "\\x1b" in str(caught.value)


def test_unencodable_key_is_refused():
    with pytest.raises(InvalidURL, match="UTF-8"):
        parse_oss_url("oss://abc/\udcff")


def test_helpers():
    assert is_oss_url("oss://x") and is_oss_url("OSS://x") and not is_oss_url("/tmp")
    assert format_oss_url(None) == "oss://"
    assert format_oss_url("abc", "d/e") == "oss://abc/d/e"
    url = parse_oss_url("oss://abc/d/")
    assert url.is_folder and str(url) == "oss://abc/d/"
    assert not parse_oss_url("oss://abc/d").is_folder
