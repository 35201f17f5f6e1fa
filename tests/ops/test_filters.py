"""The one filter model: ossutil/rclone-style include/exclude order, sizes, times, classes."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest

from ossbrowse.errors import UsageError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.filters import (
    EVERYTHING,
    add_filter_arguments,
    compile_glob,
    from_args,
    parse_time,
    predicate,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC).timestamp()
DAY = 86400.0


def parse(*argv: str, **kw):
    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    return from_args(parser.parse_args(list(argv)), now=NOW, **kw)


def record(key: str, size: int = 10, age_days: float = 1, cls: str = "Standard") -> ObjectRecord:
    return ObjectRecord(key, size, "E", NOW - age_days * DAY, cls)


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("*.jpg", "a.jpg", True),
        ("*.jpg", "photos/a.jpg", True),  # matched at the end, whole segments
        ("*.jpg", "photos/xa.jpgx", False),
        ("/*.jpg", "photos/a.jpg", False),  # anchored at the top
        ("/*.jpg", "a.jpg", True),
        ("2024/*.log", "logs/2024/a.log", True),
        ("2024/*.log", "logs/x2024/a.log", False),
        ("**/b.txt", "a/x/y/b.txt", True),
        ("a?.txt", "a1.txt", True),
        ("a?.txt", "a/.txt", False),
        ("[!0-9]*.txt", "x1.txt", True),
        ("[!0-9]*.txt", "1x.txt", False),
        ("*.{jpg,png}", "p/q.png", True),
        ("cache/", "a/cache/deep/x.bin", True),  # a folder: everything below it
        ("/cache/", "a/cache/x.bin", False),
        ("\\*.txt", "*.txt", True),
        ("\\*.txt", "a.txt", False),
    ],
)
def test_glob_matching(pattern, path, hit):
    assert bool(compile_glob(pattern).fullmatch(path)) is hit


def test_first_matching_rule_decides_in_command_line_order():
    f = parse("--exclude", "secret.jpg", "--include", "*.jpg")
    assert not f.matches(record("secret.jpg"))
    assert f.matches(record("ok.jpg"))
    assert not f.matches(record("notes.txt"))  # --include given: the rest is left out
    g = parse("--include", "*.jpg", "--exclude", "secret.jpg")
    assert g.matches(record("secret.jpg"))  # the include came first and decided


def test_only_excludes_keep_the_rest():
    f = parse("--exclude", "*.tmp", "--exclude", "cache/")
    assert f.matches(record("a/b.txt"))
    assert not f.matches(record("a/b.tmp"))
    assert not f.matches(record("x/cache/y.txt"))


def test_relative_path_is_what_the_globs_see():
    f = parse("--include", "/top.txt")
    assert f.matches(record("prefix/top.txt"), "top.txt")
    assert not f.matches(record("prefix/top.txt"))  # the whole key is not anchored at the URL


def test_sizes_times_classes():
    f = parse("--min-size", "1K", "--max-size", "2KiB")
    assert [f.matches(record("a", s)) for s in (1023, 1024, 2048, 2049)] == [0, 1, 1, 0]
    assert parse("--max-size", "1MB").max_size == 1_000_000
    g = parse("--newer", "7d")
    assert g.matches(record("a", age_days=6.9)) and not g.matches(record("a", age_days=7.1))
    h = parse("--older", "2026-05-01")
    assert h.matches(record("a", age_days=40)) and not h.matches(record("a", age_days=20))
    assert parse("--max-age", "1d").newer == parse("--newer", "24h").newer
    assert parse("--min-mtime", "2026-05-31T00:00:00Z").newer == NOW - DAY
    c = parse("--class", "ia", "--class", "Archive")
    assert c.classes == {"IA", "Archive"}
    assert c.matches(record("a", cls="IA")) and not c.matches(record("a"))


def test_entries_local_and_oss_alike():
    f = parse("--include", "*.txt", "--min-size", "5")
    local = Entry("d/a.txt", "/tmp/x/d/a.txt", EntryKind.FILE, 9, NOW)
    assert f.matches(local)  # a walked row's name is its relative path
    assert not f.matches(local.replace(size=1))
    assert not parse("--class", "Standard").matches(local)  # a local file has no class
    assert f.matches_folder("d") and not parse("--exclude", "d/").matches_folder("d")


def test_find_name_and_regex():
    f = parse(name="*.log", regex=r"^2024/")
    assert f.matches(record("2024/x/app.log"))
    assert not f.matches(record("2023/app.log"))
    assert not f.matches(record("2024/app.log.gz"))


def test_empty_filter_selects_everything_and_costs_nothing():
    assert not EVERYTHING.active and predicate(EVERYTHING) is None
    assert parse().active is False


@pytest.mark.parametrize(
    "argv",
    [
        ("--min-size", "ten"),
        ("--newer", "yesterday"),
        ("--class", "Glacier"),
        ("--include", "[abc"),
        ("--min-size", "2K", "--max-size", "1K"),
    ],
)
def test_bad_values_are_usage_errors(argv):
    with pytest.raises(UsageError):
        parse(*argv)


def test_bad_regex_is_a_usage_error():
    with pytest.raises(UsageError):
        parse(regex="(")


def test_parse_time_zone_and_age():
    assert parse_time("2026-06-01T08:00:00+08:00", NOW) == NOW
    assert parse_time("90m", NOW) == NOW - 5400
    assert parse_time("3600", NOW) == NOW - 3600


def test_filter_rules_and_rule_files_keep_their_order(tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text("# logs only\n\n*.log\n; the rest is excluded\n")
    f = parse("--filter", "- secret/", "--include-from", str(rules), "--filter", "+ *.txt")
    assert [(r.include, r.pattern) for r in f.rules] == [
        (False, "secret/"),
        (True, "*.log"),
        (True, "*.txt"),
    ]
    assert f.matches(record("a.log")) and f.matches(record("b.txt"))
    assert not f.matches(record("secret/a.log")) and not f.matches(record("c.bin"))
    g = parse("--exclude-from", str(rules))
    assert not g.matches(record("a.log")) and g.matches(record("c.bin"))


@pytest.mark.parametrize("rule", ["* x", "+", "-  ", "*.log"])
def test_a_malformed_filter_rule_is_a_usage_error(rule):
    with pytest.raises(UsageError):
        parse("--filter", rule)


def test_a_missing_rule_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        parse("--include-from", str(tmp_path / "none.txt"))
