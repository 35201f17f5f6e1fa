"""The same filters select the same files in every verb that walks a tree: one tree, one set of
filter options, each verb run through the command line against the local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from ossbrowse.cli import VERBS, main
from tests.test_verbs_fs import env  # noqa: F401  (the fixture: the chain points at the server)

# Sizes in bytes; the "deep/" marker is a folder (an OSS folder marker, a local directory).
TREE = {
    "a.log": 50,
    "big.log": 5000,
    "tiny.log": 2,
    "notes.txt": 50,
    "skip/c.log": 50,
    "deep/": 0,
    "deep/x/d.log": 50,
    "deep/x/e.LOG": 50,
    "deep/keep.txt": 50,
}
# The exclude comes first, so it decides for skip/c.log although *.log would include it.
FILTERS = [
    "--exclude", "skip/",
    "--include", "*.log",
    "--include", "/deep/keep.txt",
    "--min-size", "10",
    "--max-size", "1K",
    "--newer", "1d",
]  # fmt: skip
SELECTED = {"a.log", "deep/x/d.log", "deep/keep.txt"}


def cli(capsys, *argv: str) -> list[str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out.splitlines()


def put_tree(bucket, prefix: str, storage_class: str = "Standard") -> None:
    for key, size in TREE.items():
        headers = {"x-oss-storage-class": storage_class}
        bucket.put_object(prefix + key, b"x" * size, headers=headers)


def make_local(root: Path) -> Path:
    for rel, size in TREE.items():
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"x" * size)
    return root


def keys_under(bucket, prefix: str) -> set[str]:
    import oss2

    return {
        o.key[len(prefix) :]
        for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)
        if not o.key.endswith("/")
    }


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def ls_recursive(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/")
    return set(cli(capsys, "ls", "-r", url + "src/", *FILTERS))


def find_oss(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/")
    return {line.removeprefix(url + "src/") for line in cli(capsys, "find", url + "src/", *FILTERS)}


def find_local(bucket, url, tmp_path, capsys):
    root = make_local(tmp_path / "src")
    return {
        Path(line).relative_to(root).as_posix() for line in cli(capsys, "find", str(root), *FILTERS)
    }


def cp_download(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/")
    out = tmp_path / "out"
    cli(capsys, "cp", "-r", "-q", url + "src/", str(out) + "/", *FILTERS)
    return files_under(out)


def cp_upload(bucket, url, tmp_path, capsys):
    root = make_local(tmp_path / "src")
    cli(capsys, "cp", "-r", "-q", str(root) + "/", url + "up/", *FILTERS)
    return keys_under(bucket, "up/")


def mv_prefix(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/")
    cli(capsys, "mv", url + "src/", url + "moved/", "--yes", *FILTERS)
    moved = keys_under(bucket, "moved/")
    assert moved.isdisjoint(keys_under(bucket, "src/"))  # moved, not copied
    return moved


def rm_recursive(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/")
    cli(capsys, "rm", "-r", url + "src/", "--yes", *FILTERS)
    return {k for k in TREE if not k.endswith("/")} - keys_under(bucket, "src/")


def restore_recursive(bucket, url, tmp_path, capsys):
    put_tree(bucket, "src/", "Archive")
    cli(capsys, "restore", "-r", url + "src/", "--yes", *FILTERS)
    return {
        key
        for key in TREE
        if not key.endswith("/") and bucket.head_object("src/" + key).headers.get("x-oss-restore")
    }


def sync_up(bucket, url, tmp_path, capsys):
    if "sync" not in VERBS:
        pytest.skip("no sync verb yet")
    root = make_local(tmp_path / "src")
    cli(capsys, "sync", str(root) + "/", url + "synced/", "--yes", *FILTERS)
    return keys_under(bucket, "synced/")


@pytest.mark.parametrize(
    "verb",
    [
        ls_recursive,
        find_oss,
        find_local,
        cp_download,
        cp_upload,
        mv_prefix,
        rm_recursive,
        restore_recursive,
        sync_up,
    ],
    ids=lambda f: f.__name__,
)
def test_every_verb_selects_the_same_set(verb, env, oss_bucket, tmp_path, capsys):  # noqa: F811
    url = f"oss://{oss_bucket.bucket_name}/"
    assert verb(oss_bucket, url, tmp_path, capsys) == SELECTED


@pytest.mark.parametrize("verb", ["rm", "restore"])
def test_filters_without_recursive_are_refused(verb, env, oss_bucket, capsys):  # noqa: F811
    code = main([verb, f"oss://{oss_bucket.bucket_name}/a.log", "--include", "*.log", "--yes"])
    assert code == 2 and "Add -r" in capsys.readouterr().err


def test_cp_filters_need_recursive(env, oss_bucket, tmp_path, capsys):  # noqa: F811
    (tmp_path / "a.log").write_bytes(b"x")
    url = f"oss://{oss_bucket.bucket_name}/"
    assert main(["cp", str(tmp_path / "a.log"), url, "--include", "*.log"]) == 2
    assert "Add -r" in capsys.readouterr().err


def test_one_level_ls_keeps_folders_unless_a_rule_names_them(
    env,  # noqa: F811
    oss_bucket,
    capsys,
):
    put_tree(oss_bucket, "src/")
    url = f"oss://{oss_bucket.bucket_name}/src/"
    # Files are filtered; folders stay (sizes and the implicit exclude are about files)...
    assert cli(capsys, "ls", url, "--include", "*.log", "--min-size", "10") == [
        "a.log",
        "big.log",
        "deep/",
        "skip/",
    ]
    # ...unless a rule names the folder.
    assert cli(capsys, "ls", url, "--exclude", "skip/", "--include", "*.log") == [
        "a.log",
        "big.log",
        "deep/",
        "tiny.log",
    ]
