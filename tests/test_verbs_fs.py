"""The scriptable verbs ls, stat and buckets against the local server: plain lines, safe names,
exit status 0 or 1 with one line on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ossbrowse.cli import main


@pytest.fixture
def env(oss_server, tmp_path, monkeypatch):
    """The environment link of the chain points at the local server; no user config is read."""
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_", "ALLUXIO_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("OSS_ENDPOINT", oss_server.endpoint)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", oss_server.access_key_id)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", oss_server.access_key_secret)
    return dict(os.environ)


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_ls_prefix(env, oss_bucket, capsys):
    name = oss_bucket.bucket_name
    for key in ["d/", "d/a.txt", "d/sub/b.txt", "d/evil\x1b]0;pwned\x07.txt", "d/tab\there"]:
        oss_bucket.put_object(key, b"hello")
    code, lines, err = run(capsys, "ls", f"oss://{name}/d/")
    assert code == 0 and err == ""
    assert lines == ["a.txt", "evil\\x1b]0;pwned\\x07.txt", "sub/", "tab\\there"]


def test_ls_long(env, oss_bucket, capsys):
    oss_bucket.put_object("f.bin", b"x" * 2048)
    oss_bucket.put_object("cold", b"x", headers={"x-oss-storage-class": "Archive"})
    oss_bucket.put_object("dir/inner", b"x")
    code, lines, _ = run(capsys, "ls", "-l", f"oss://{oss_bucket.bucket_name}/")
    assert code == 0
    by_name = {line.split()[-1]: line for line in lines}
    assert by_name["f.bin"].split()[:3] == ["2.0", "KiB", "Standard"]
    assert "Archive(not-restored)" in by_name["cold"]
    assert by_name["dir/"].split()[:2] == ["-", "-"]


def test_ls_recursive(env, oss_bucket, capsys):
    for key in ["a", "x/b", "x/y/c", "x/y/"]:
        oss_bucket.put_object(key, b"1")
    code, lines, _ = run(capsys, "ls", "--recursive", f"oss://{oss_bucket.bucket_name}/")
    assert code == 0
    assert lines == ["a", "x/b", "x/y/", "x/y/c"]


def test_ls_pages_through_more_than_one_page(env, oss_bucket, capsys, monkeypatch):
    from ossbrowse.fs import oss as oss_module

    monkeypatch.setattr(oss_module, "MAX_PAGE", 3)  # pages of 3: the same loop as of 1000
    keys = [f"many/{i:05d}" for i in range(11)]
    for key in keys:
        oss_bucket.put_object(key, b"")
    code, lines, _ = run(capsys, "ls", f"oss://{oss_bucket.bucket_name}/many/")
    assert code == 0
    assert lines == [k.split("/")[1] for k in keys]
    code, lines, _ = run(capsys, "ls", "-r", f"oss://{oss_bucket.bucket_name}/")
    assert lines == keys


def test_ls_of_an_object_shows_it_and_of_nothing_fails(env, oss_bucket, capsys):
    oss_bucket.put_object("one.txt", b"1")
    assert run(capsys, "ls", f"oss://{oss_bucket.bucket_name}/one.txt")[:2] == (0, ["one.txt"])
    code, lines, err = run(capsys, "ls", f"oss://{oss_bucket.bucket_name}/none/")
    assert code == 1 and lines == []
    assert err.count("\n") == 1 and "does not exist" in err


def test_ls_buckets_and_buckets_verb(env, make_bucket, capsys):
    made = make_bucket().bucket_name
    code, lines, _ = run(capsys, "ls", "oss://")
    assert code == 0 and f"{made}/" in lines
    code, lines, _ = run(capsys, "buckets")
    assert code == 0 and f"{made}  cn-hangzhou" in lines
    code, lines, _ = run(capsys, "buckets", "-l")
    assert any(line.startswith(f"{made}  cn-hangzhou  Standard  ") for line in lines)


def test_ls_local_folder(env, tmp_path, capsys):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "f\x1b[2J").write_bytes(b"abc")
    code, lines, _ = run(capsys, "ls", str(tmp_path / "d"))
    assert code == 0 and lines == ["f\\x1b[2J", "sub/"]
    code, lines, _ = run(capsys, "ls", "-l", str(tmp_path / "d"))
    assert any(line.split()[:2] == ["3", "B"] for line in lines)


def test_stat_object_folder_and_missing(env, oss_bucket, capsys):
    oss_bucket.put_object("s.txt", b"stat me", headers={"x-oss-meta-who": "me\x1b[1m"})
    code, lines, _ = run(capsys, "stat", f"oss://{oss_bucket.bucket_name}/s.txt")
    assert code == 0
    fields = dict(line.split(": ", 1) for line in lines)
    assert fields["kind"] == "file" and fields["size"].startswith("7 ")
    assert fields["object type"] == "Normal" and fields["storage class"] == "Standard"
    assert fields["crc64"].isdigit() and fields["restore"] == "not-needed"
    assert fields["meta who"] == "me\\x1b[1m"
    code, lines, _ = run(capsys, "stat", f"oss://{oss_bucket.bucket_name}/")
    assert code == 0 and "kind: bucket" in lines and "region: cn-hangzhou" in lines
    code, lines, err = run(capsys, "stat", f"oss://{oss_bucket.bucket_name}/missing")
    assert code == 1 and lines == [] and "does not exist" in err


def test_bad_url_exits_2_before_any_request(env, capsys):
    code, lines, err = run(capsys, "ls", "oss://Bad_Bucket/")
    assert code == 2 and lines == []
    assert "lowercase letters" in err


def test_subprocess_error_is_one_line_without_traceback(env, oss_bucket):
    # An existing bucket: OSS answers NoSuchBucket for a missing one before it checks keys.
    env = {**env, "OSS_ACCESS_KEY_SECRET": "wrong-secret-value"}
    result = subprocess.run(
        [sys.executable, "-m", "ossbrowse", "ls", f"oss://{oss_bucket.bucket_name}/"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "SignatureDoesNotMatch" in result.stderr
    assert "Traceback" not in result.stderr and "wrong-secret-value" not in result.stderr


def test_subprocess_ls_streams_through_a_pipe(env, oss_bucket):
    oss_bucket.put_object("p/one", b"1")
    result = subprocess.run(
        [sys.executable, "-m", "ossbrowse", "ls", f"oss://{oss_bucket.bucket_name}/p/"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "one\n", "")


def test_ls_local_folder_is_sorted_by_name(env, tmp_path, capsys):
    folder = tmp_path / "many"
    folder.mkdir()
    names = [f"n{(i * 7919) % 211:03d}" for i in range(211)]  # every name, in a scrambled order
    for name in names:
        (folder / name).write_bytes(b"")
    (folder / "B").mkdir()
    (folder / "a.txt").write_bytes(b"")
    code, lines, _ = run(capsys, "ls", str(folder))
    assert code == 0
    assert lines == sorted(lines, key=str.encode) and lines[:2] == ["B/", "a.txt"]
    assert len(lines) == 213
    code, lines, _ = run(capsys, "ls", "-r", str(tmp_path))
    assert lines == sorted(lines, key=str.encode)


def name_column(line: str) -> int:
    return line.rindex("  ") + 2


def test_ls_long_folder_rows_line_up_with_object_rows(env, oss_bucket, tmp_path, capsys):
    for key in ["dir/inner", "f.bin", "z"]:
        oss_bucket.put_object(key, b"x" * 2048)
    for path in [f"oss://{oss_bucket.bucket_name}/", str(tmp_path)]:
        (tmp_path / "sub").mkdir(exist_ok=True)
        (tmp_path / "file").write_bytes(b"x" * 5)
        code, lines, _ = run(capsys, "ls", "-l", path)
        assert code == 0 and len(lines) >= 2
        assert len({name_column(line) for line in lines}) == 1, lines


def test_ls_bytes_gives_exact_sizes(env, oss_bucket, capsys):
    oss_bucket.put_object("f.bin", b"x" * 2048)
    oss_bucket.put_object("dir/inner", b"x")
    code, lines, _ = run(capsys, "ls", "--bytes", f"oss://{oss_bucket.bucket_name}/")
    assert code == 0
    by_name = {line.split()[-1]: line for line in lines}
    assert by_name["f.bin"].split()[:2] == ["2048", "Standard"]
    assert by_name["dir/"].split()[:2] == ["-", "-"]
    assert len({name_column(line) for line in lines}) == 1


def test_ls_long_size_of_1000_to_1023_of_a_unit_keeps_its_column(env, oss_bucket, capsys):
    # 1000.0 KiB and 1023.9 KiB printed as such were ten characters and ran into the next
    # column in the UI; they are 0.98 MiB and 1.00 MiB, at most nine like every other size.
    oss_bucket.put_object("k1000", b"x" * 1_024_000)
    oss_bucket.put_object("k1023", b"x" * (1_048_576 - 100))
    code, lines, _ = run(capsys, "ls", "-l", f"oss://{oss_bucket.bucket_name}/")
    assert code == 0
    by_name = {line.split()[-1]: line for line in lines}
    assert by_name["k1000"].split()[:2] == ["0.98", "MiB"]
    assert by_name["k1023"].split()[:2] == ["1.00", "MiB"]
    assert all(len(line.split("  ")[0].strip()) <= 9 for line in lines)


def test_stat_shows_headers_and_a_readable_meta_mtime(env, oss_bucket, capsys):
    import time

    epoch = 1767225600  # 2026-01-01 00:00:00 UTC
    headers = {
        "Content-Type": "text/csv",
        "Cache-Control": "max-age=60",
        "Content-Disposition": 'attachment; filename="r.csv"',
        "Content-Encoding": "identity",
        "Expires": "Thu, 01 Jan 2099 00:00:00 GMT",
        "x-oss-meta-mtime": str(epoch),
    }
    oss_bucket.put_object("r.csv", b"a,b\n", headers=headers)
    code, lines, _ = run(capsys, "stat", f"oss://{oss_bucket.bucket_name}/r.csv")
    assert code == 0
    fields = dict(line.split(": ", 1) for line in lines)
    assert fields["content type"] == "text/csv"
    assert fields["cache control"] == "max-age=60"
    assert fields["content disposition"] == 'attachment; filename="r.csv"'
    assert fields["content encoding"] == "identity"
    assert fields["expires"] == "Thu, 01 Jan 2099 00:00:00 GMT"
    assert fields["etag"] and fields["object type"] == "Normal"
    assert fields["storage class"] == "Standard"
    local = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))
    assert fields["meta mtime"] == f"{local} ({epoch})"


def test_stat_of_a_local_file_has_no_object_headers(env, tmp_path, capsys):
    (tmp_path / "f").write_bytes(b"12345")
    code, lines, _ = run(capsys, "stat", str(tmp_path / "f"))
    assert code == 0 and "size: 5 (5 B)" in lines
    assert not any(line.startswith("content type") for line in lines)


def test_no_credentials_says_so_and_where_they_are_looked_for(env, oss_bucket, tmp_path):
    # An endpoint and no keys: the request goes anonymously and OSS refuses it. That is not
    # a missing RAM permission; the verb says no credentials were found and where it looked.
    env = {k: v for k, v in env.items() if not k.startswith("OSS_ACCESS_KEY")}
    for argv in (["ls", f"oss://{oss_bucket.bucket_name}/"], ["buckets"],
                 ["stat", f"oss://{oss_bucket.bucket_name}/x"]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "ossbrowse", *argv],
            env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        assert "No credentials were found" in result.stderr
        for place in ("--access-key-id", "OSS_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID",
                      "config.toml", ".ossutilconfig", "alluxio-site.properties"):  # fmt: skip
            assert place in result.stderr
        assert "RAM" not in result.stderr
    # cp reports each file's failure, then says why they all failed.
    up = tmp_path / "up.txt"
    up.write_bytes(b"up")
    for argv in (["cp", str(up), f"oss://{oss_bucket.bucket_name}/up.txt"],
                 ["cp", f"oss://{oss_bucket.bucket_name}/x", str(tmp_path / "down")]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "ossbrowse", *argv],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert result.returncode == 1
        assert result.stderr.splitlines()[-1].startswith("ossbrowse: No credentials were found")


def test_a_public_object_is_still_read_without_credentials(env, oss_bucket, capsys):
    oss_bucket.put_bucket_acl("public-read")
    oss_bucket.put_object("open.txt", b"1")
    for name in ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET"):
        os.environ.pop(name)
    code, lines, err = run(capsys, "stat", f"oss://{oss_bucket.bucket_name}/open.txt")
    assert code == 0 and "size: 1 (1 B)" in lines, err
