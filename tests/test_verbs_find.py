"""`ossbrowse find` against the local server and a local folder: filters, streaming, --json."""

from __future__ import annotations

import json
import os

import pytest

from ossbrowse.cli import main
from tests.test_verbs_fs import env  # noqa: F401  (the fixture: the chain points at the server)


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


TREE = {
    "logs/2024/app.log": b"x" * 3000,
    "logs/2024/app.log.gz": b"x" * 100,
    "logs/2025/web.log": b"x" * 10,
    "img/a.jpg": b"x" * 2048,
    "img/b.png": b"x" * 5,
    "img/": b"",
    "evil\x1b[2J.log": b"x",
}


@pytest.fixture
def tree(env, oss_bucket):  # noqa: F811
    for key, body in TREE.items():
        headers = {"x-oss-storage-class": "IA"} if key.endswith(".jpg") else None
        oss_bucket.put_object(key, body, headers=headers)
    return f"oss://{oss_bucket.bucket_name}/"


def test_find_by_name_regex_size_class(tree, capsys):
    code, lines, err = run(capsys, "find", tree, "--name", "*.log")
    assert code == 0 and err == ""
    assert lines == [
        tree + "evil\\x1b[2J.log",  # a hostile key is escaped on the terminal
        tree + "logs/2024/app.log",
        tree + "logs/2025/web.log",
    ]
    assert run(capsys, "find", tree, "--regex", r"^logs/20\d\d/app")[1] == [
        tree + "logs/2024/app.log",
        tree + "logs/2024/app.log.gz",
    ]
    assert run(capsys, "find", tree, "--min-size", "2K")[1] == [
        tree + "img/a.jpg",
        tree + "logs/2024/app.log",
    ]
    assert run(capsys, "find", tree, "--class", "ia")[1] == [tree + "img/a.jpg"]
    assert run(capsys, "find", tree + "img/", "--exclude", "*.jpg")[1] == [tree + "img/b.png"]
    assert run(capsys, "find", tree, "--newer", "1d", "--older", "2000-01-01")[1] == []


def test_find_json_parses_back(tree, capsys):
    code, lines, _ = run(capsys, "find", tree, "--include", "*.log", "--json")
    assert code == 0
    rows = [json.loads(line) for line in lines]
    assert [r["key"] for r in rows] == ["evil\x1b[2J.log", "logs/2024/app.log", "logs/2025/web.log"]
    first = rows[1]
    assert first["name"] == "logs/2024/app.log" and first["size"] == 3000
    assert first["type"] == "file" and first["storage_class"] == "Standard"
    assert first["last_modified"].endswith("Z") and first["etag"]
    assert all("\x1b" not in line for line in lines)


def test_find_streams_page_by_page(tree, monkeypatch):
    from ossbrowse.fs import oss as oss_module
    from ossbrowse.fs.factory import make_filesystem
    from ossbrowse.ops.filters import Filter
    from ossbrowse.ops.find import find_pages

    monkeypatch.setattr(oss_module, "MAX_PAGE", 2)
    fs = make_filesystem(tree, _settings())
    listed = []
    real = fs.walk_pages

    def counting(path, limit=1000):
        for page in real(path, limit):
            listed.append(len(page))
            yield page

    fs.walk_pages = counting
    pages = find_pages(fs, tree, Filter())
    first = next(pages)
    assert first and len(listed) == 1  # the first hit is out after one page was listed
    rest = [e for page in pages for e in page]
    assert len(first) + len(rest) == len(TREE) - 1  # every file, never the img/ marker
    assert len(listed) > 2


def _settings():
    import argparse

    from ossbrowse.config import resolve_settings

    return resolve_settings(argparse.Namespace())


def test_find_local_folder(tmp_path, capsys):
    for rel, body in TREE.items():
        path = tmp_path / rel.replace("\x1b", "_")
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    old = tmp_path / "logs/2025/web.log"
    os.utime(old, (0, 0))
    code, lines, _ = run(
        capsys, "find", str(tmp_path), "--include", "*.log", "--newer", "2000-01-01"
    )
    assert code == 0
    assert sorted(lines) == sorted(
        [str(tmp_path / "evil_[2J.log"), str(tmp_path / "logs/2024/app.log")]
    )
    code, _, err = run(capsys, "find", str(tmp_path), "--class", "IA")
    assert code == 2 and "local folder" in err


def test_find_bad_filter_is_one_line(tree, capsys):
    code, lines, err = run(capsys, "find", tree, "--min-size", "lots")
    assert code == 2 and lines == [] and "is not a size" in err and "Traceback" not in err


def test_find_on_one_object_filters_that_object_as_ls_does(tree, capsys):
    # Before: `find oss://b/key` searched below key/ and found nothing, exit 0.
    one = tree + "logs/2024/app.log"
    assert run(capsys, "find", one) == (0, [one], "")
    assert run(capsys, "find", one, "--name", "*.log") == (0, [one], "")
    assert run(capsys, "find", one, "--name", "*.gz") == (0, [], "")
    found = [json.loads(line) for line in run(capsys, "find", one, "--json")[1]]
    assert found == [json.loads(line) for line in run(capsys, "ls", one, "--json")[1]]


def test_find_under_a_missing_folder_exits_1_an_empty_match_0(tree, capsys):
    code, lines, err = run(capsys, "find", tree + "nothing/")
    assert (code, lines) == (1, []) and "does not exist" in err and err.count("\n") == 1
    assert run(capsys, "find", tree + "img/", "--name", "*.gif") == (0, [], "")
