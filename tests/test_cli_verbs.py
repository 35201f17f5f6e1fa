"""Verb behaviour from issue 16: `--if-exists ask` without a terminal, `restore --days` for one
object and a prefix alike, counts in words that agree with their number, fixed-width sizes."""

from __future__ import annotations

import pytest

from tests.test_cli_options import clean_env, ossbrowse


@pytest.fixture
def env(oss_server, tmp_path):
    return clean_env(
        tmp_path,
        OSS_ENDPOINT=oss_server.endpoint,
        OSS_ACCESS_KEY_ID=oss_server.access_key_id,
        OSS_ACCESS_KEY_SECRET=oss_server.access_key_secret,
        OSSBROWSE_STATE_DIR=str(tmp_path / "state"),
    )


def test_if_exists_ask_without_a_terminal_refuses_before_copying(env, tmp_path):
    # Before: every clash was skipped in silence and the summary still counted bytes copied.
    (tmp_path / "src.txt").write_bytes(b"new")
    (tmp_path / "dst.txt").write_bytes(b"old")
    done = ossbrowse(env, "cp", "--if-exists", "ask", str(tmp_path / "src.txt"),
                     str(tmp_path / "dst.txt"))  # fmt: skip
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "--if-exists ask needs a terminal" in done.stderr and "nothing was copied" in done.stderr
    assert (tmp_path / "dst.txt").read_bytes() == b"old"


def restore_state(bucket, key: str) -> str | None:
    return bucket.head_object(key).headers.get("x-oss-restore")


def test_restore_days_out_of_range_is_an_error_for_one_object_and_a_prefix(env, oss_bucket):
    # Before: one Archive object with --days 30 was an error, a prefix of them was clamped to
    # 7 days in silence. Both are errors now, and nothing is restored.
    for key in ("p/a", "p/b"):
        oss_bucket.put_object(key, b"x", headers={"x-oss-storage-class": "Archive"})
    url = f"oss://{oss_bucket.bucket_name}"
    one = ossbrowse(env, "restore", f"{url}/p/a", "--days", "30", "--yes")
    many = ossbrowse(env, "restore", "-r", f"{url}/p/", "--days", "30", "--yes")
    for done in (one, many):
        assert done.returncode == 2, done.stderr
        assert "Archive objects stay restored 1 to 7 days, not 30" in done.stderr
    assert "(2 Archive objects selected)" in many.stderr
    assert "(1 Archive object selected)" in one.stderr
    assert restore_state(oss_bucket, "p/a") is None and restore_state(oss_bucket, "p/b") is None


def test_restore_days_beyond_every_class_is_refused_before_any_request(env):
    # No server listens on port 9: an answer about --days proves no request was made.
    env = dict(env, OSS_ENDPOINT="http://127.0.0.1:9")
    for target in ("oss://bkt/one", "oss://bkt/prefix/"):
        done = ossbrowse(env, "restore", "-r", target, "--days", "400", "--yes")
        assert done.returncode == 2 and "--days 400 is outside" in done.stderr
        done = ossbrowse(env, "restore", "-r", target, "--days", "0", "--yes")
        assert done.returncode == 2 and "--days 0 is outside" in done.stderr


def test_counts_of_one_are_singular(env, oss_bucket, tmp_path):
    url = f"oss://{oss_bucket.bucket_name}"
    oss_bucket.put_object("solo", b"s")
    done = ossbrowse(env, "rm", f"{url}/solo")
    assert done.stdout == "Deleted 1 of 1 object.\n", done.stderr
    oss_bucket.put_object("cold/a", b"c", headers={"x-oss-storage-class": "Archive"})
    done = ossbrowse(env, "restore", "-r", f"{url}/cold/")  # no --yes, no terminal: refused
    assert "restore 1 archived object" in done.stderr and "objects" not in done.stderr
    oss_bucket.put_object("warm/a", b"w")
    done = ossbrowse(env, "restore", "-r", f"{url}/warm/")
    assert done.stdout == "Nothing to restore: 1 object found, none archived.\n"
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "only.txt").write_bytes(b"only")
    done = ossbrowse(env, "mount-check", str(folder), "--no-writers",
                     "--mount", f"{folder}=oss://{oss_bucket.bucket_name}/m/")  # fmt: skip
    assert done.returncode == 1
    summary = done.stdout.splitlines()[-1]
    assert summary.startswith("1 entry: ") and "(1 difference)" in summary, summary


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 B"),
        (1, "1 B"),
        (1023, "1023 B"),
        (1024, "1.0 KiB"),
        (1000 * 1024, "0.98 MiB"),
        (int(1023.9 * 1024), "1.00 MiB"),
        (int(999.94 * 1024**2), "999.9 MiB"),
        (int(999.96 * 1024**2), "0.98 GiB"),  # would round to the ten-character 1000.0 MiB
        (1000 * 1024**2, "0.98 GiB"),
        (5 * 1024**4, "5.0 TiB"),
    ],
)
def test_human_size_is_at_most_nine_characters(size, shown):
    from ossbrowse.text import human_size

    assert human_size(size) == shown and len(shown) <= 9


def test_every_size_up_to_a_pebibyte_fits_nine_characters():
    from ossbrowse.text import human_size

    size = 1
    while size < 1024**5:
        for near in (size - 1, size, size + size // 3):
            assert len(human_size(near)) <= 9, near
        size = size * 1000 // 7 + 13  # walks across every unit's 1000-1023 band


@pytest.mark.parametrize(
    ("count", "word", "text"),
    [
        (1, "entry", "1 entry"),
        (2, "entry", "2 entries"),
        (0, "difference", "0 differences"),
        (1, "archived object", "1 archived object"),
        (1500, "file", "1,500 files"),
        (2, "day", "2 days"),
    ],
)
def test_plural(count, word, text):
    from ossbrowse.text import plural

    assert plural(count, word) == text
