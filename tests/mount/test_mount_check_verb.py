"""`ossbrowse mount-check`: exit status 0 / 1 / 2, JSON for scripts, escaped text for people."""

from __future__ import annotations

import json
import os

import pytest

from ossbrowse.cli import main

PREFIX = "fc/out/"


@pytest.fixture
def clean_env(tmp_path, monkeypatch):
    """No credentials or config from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OSSBROWSE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def synced(tmp_path, oss_bucket):
    """A folder and a prefix holding the same two files (and one folder)."""
    root = tmp_path / "mnt"
    (root / "sub").mkdir(parents=True)
    for key, data in (("a.txt", b"alpha"), ("sub/b.txt", b"beta")):
        oss_bucket.put_object(PREFIX + key, data)
        mtime = oss_bucket.head_object(PREFIX + key).last_modified
        path = root / key
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
    return root


def _connection(oss_server) -> list[str]:
    return [
        "--endpoint",
        oss_server.endpoint,
        "--access-key-id",
        oss_server.access_key_id,
        "--access-key-secret",
        oss_server.access_key_secret,
    ]


def test_in_sync_exits_0(clean_env, synced, oss_bucket, oss_server, capsys):
    url = f"oss://{oss_bucket.bucket_name}/{PREFIX}"
    code = main(["mount-check", str(synced), "--against", url, *_connection(oss_server)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "in sync" in out and "NOT" not in out
    assert "3 entries: 3 same" in out


def test_differences_exit_1_with_json(clean_env, synced, oss_bucket, oss_server, capsys):
    (synced / "new.txt").write_text("unflushed")
    oss_bucket.put_object(PREFIX + "elsewhere.txt", b"x")
    url = f"oss://{oss_bucket.bucket_name}/{PREFIX}"
    code = main(["mount-check", str(synced), "--against", url, "--json", *_connection(oss_server)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert document["in_sync"] is False
    assert document["against"] == url
    by_key = {e["key"]: e for e in document["entries"]}
    assert set(by_key) == {"new.txt", "elsewhere.txt"}  # same entries only with --all
    assert by_key["new.txt"]["mark"] == "only-in-mount"
    assert by_key["new.txt"]["mount"]["size"] == 9
    assert by_key["elsewhere.txt"]["mark"] == "only-in-bucket"
    assert by_key["elsewhere.txt"]["bucket"]["size"] == 1
    assert document["counts"] == {"same": 3, "only-in-mount": 1, "only-in-bucket": 1}
    assert document["requests"]["list"] >= 1


def test_all_lists_same_entries_too(clean_env, synced, oss_bucket, oss_server, capsys):
    url = f"oss://{oss_bucket.bucket_name}/{PREFIX}"
    code = main(
        ["mount-check", str(synced), "--against", url, "--json", "--all", *_connection(oss_server)]
    )
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [e["key"] for e in document["entries"]] == ["a.txt", "sub/", "sub/b.txt"]


def test_text_output_escapes_hostile_names(clean_env, synced, oss_bucket, oss_server, capsys):
    oss_bucket.put_object(PREFIX + "evil\x1b]52;c;aGk=\x07\u202e.txt", b"x")
    url = f"oss://{oss_bucket.bucket_name}/{PREFIX}"
    code = main(["mount-check", str(synced), "--against", url, *_connection(oss_server)])
    out = capsys.readouterr().out
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "evil\\x1b]52;c;aGk=\\x07\\u202e.txt" in out
    assert "only in bucket" in out


def test_mapping_from_config_file_and_fc_yaml(
    clean_env, tmp_path, synced, oss_bucket, oss_server, capsys
):
    config = tmp_path / "no-config.toml"
    config.write_text(f'[mounts]\n"{synced}" = "oss://{oss_bucket.bucket_name}/{PREFIX}"\n')
    assert main(["mount-check", str(synced), *_connection(oss_server)]) == 0
    config.unlink()
    syaml = tmp_path / "s.yaml"
    syaml.write_text(
        "resources:\n  f:\n    props:\n      ossMountConfig:\n        mountPoints:\n"
        f"          - bucketName: {oss_bucket.bucket_name}\n"
        f"            bucketPath: /{PREFIX}\n"
        f"            mountDir: {synced}\n"
        "            readOnly: true\n"
    )
    # The s.yaml in the current folder is found without being named; readOnly is shown.
    assert main(["mount-check", str(synced / "sub"), *_connection(oss_server)]) == 0
    out = capsys.readouterr().out
    assert "read-only mount" in out
    assert f"oss://{oss_bucket.bucket_name}/{PREFIX}sub/" in out


def test_errors_exit_2(clean_env, synced, oss_server, capsys):
    assert main(["mount-check", str(synced), *_connection(oss_server)]) == 2
    assert "not a known OSS mount" in capsys.readouterr().err
    assert main(["mount-check", str(synced), "--against", "oss://BAD/x"]) == 2
    assert "Bucket name" in capsys.readouterr().err
    code = main(
        [
            "mount-check",
            str(synced),
            "--against",
            "oss://no-such-bucket-here/x",
            *_connection(oss_server),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and "no-such-bucket-here" in err
    assert oss_server.access_key_secret not in err
