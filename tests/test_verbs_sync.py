"""`ossbrowse sync` against the local server: dry runs change nothing, --json is JSON Lines a
script reads back, a script without --yes is refused (as mv and rm refuse), filters."""

from __future__ import annotations

import json
import os

import pytest

from ossbrowse.cli import main


@pytest.fixture
def env(oss_server, tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("OSS_", "ALIBABA_CLOUD_", "OSSBROWSE_", "ALLUXIO_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("OSSBROWSE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("OSS_ENDPOINT", oss_server.endpoint)
    monkeypatch.setenv("OSS_ACCESS_KEY_ID", oss_server.access_key_id)
    monkeypatch.setenv("OSS_ACCESS_KEY_SECRET", oss_server.access_key_secret)
    monkeypatch.setattr("ossbrowse.commands._priced.is_interactive", lambda: False)


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def keys(bucket, prefix: str = "") -> list[str]:
    import oss2

    return [o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)]


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "src"
    for name in ("a.txt", "sub/b.txt", "sub/c.log"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"body of {name}".encode())
    return root


def test_dry_run_changes_nothing_and_json_reads_back(env, oss_bucket, folder, capsys):
    oss_bucket.put_object("dst/extra.txt", b"extra")
    url = f"oss://{oss_bucket.bucket_name}/dst"
    code, lines, err = run(capsys, "sync", str(folder), url, "--delete", "--dry-run", "--json")
    assert code == 0 and err == ""
    records = [json.loads(line) for line in lines]
    actions = [(r["type"], r.get("key")) for r in records]
    assert actions == [("copy", "a.txt"), ("copy", "sub/b.txt"), ("copy", "sub/c.log"),
                       ("delete", "extra.txt"), ("summary", None), ("price", None)]  # fmt: skip
    summary, price = records[-2], records[-1]
    assert summary["copies"] == 3 and summary["deletes"] == 1 and summary["head_requests"] == 0
    assert price["operation"] == "sync" and price["objects"] == 3 and price["deletes"] == 1
    assert price["requests"]["PutObject"] == 3 and price["expensive"] is True
    assert records[0]["dst"] == "dst/a.txt" and records[0]["change"] == "only in source"
    assert keys(oss_bucket) == ["dst/extra.txt"]  # nothing copied, nothing deleted
    code, lines, _ = run(capsys, "sync", str(folder), url, "--delete", "--dry-run")
    assert code == 0 and keys(oss_bucket) == ["dst/extra.txt"]
    assert "delete  extra.txt  (only in the destination)" in lines
    assert any("extra at the destination, not in the source, will be deleted" in x for x in lines)


def test_refused_without_yes_off_a_terminal_then_done_with_it(env, oss_bucket, folder, capsys):
    url = f"oss://{oss_bucket.bucket_name}/dst/"
    code, _, err = run(capsys, "sync", str(folder), url)
    assert code == 3 and "refused to sync" in err and "Add --yes to proceed" in err
    assert keys(oss_bucket) == []
    code, lines, _ = run(capsys, "sync", str(folder), url, "--yes")
    assert code == 0 and lines == ["Copied 3 files of 3 to copy."]
    assert keys(oss_bucket) == ["dst/a.txt", "dst/sub/b.txt", "dst/sub/c.log"]
    code, lines, _ = run(capsys, "sync", str(folder), url)  # nothing to do needs no --yes
    assert code == 0 and lines[0] == "Nothing to do: the destination already matches the source."
    assert "1 list and 0 HEAD requests" in lines[1]


def test_filters_and_the_result_as_json(env, oss_bucket, folder, capsys):
    url = f"oss://{oss_bucket.bucket_name}/dst/"
    code, lines, _ = run(capsys, "sync", str(folder), url, "--exclude", "*.log", "--yes", "--json")
    assert code == 0
    result = json.loads(lines[-1])
    assert result["type"] == "result" and result["copied"] == 2 and result["complete"] is True
    assert keys(oss_bucket) == ["dst/a.txt", "dst/sub/b.txt"]


def test_oss_to_local_with_delete_keeps_to_the_folder(env, oss_bucket, tmp_path, capsys):
    oss_bucket.put_object("src/new.txt", b"new")
    dst = tmp_path / "dst"
    (tmp_path / "dst2").mkdir()
    (tmp_path / "dst2" / "keep.txt").write_bytes(b"sibling")
    dst.mkdir()
    (dst / "old.txt").write_bytes(b"old")
    url = f"oss://{oss_bucket.bucket_name}/src/"
    code, lines, _ = run(capsys, "sync", url, str(dst), "--yes")
    assert code == 0 and sorted(os.listdir(dst)) == ["new.txt", "old.txt"]
    assert any("kept (add --delete to delete them)" in line for line in lines)
    code, lines, _ = run(capsys, "sync", url, str(dst), "--yes", "--delete")
    assert code == 0 and sorted(os.listdir(dst)) == ["new.txt"]
    assert (tmp_path / "dst2" / "keep.txt").read_bytes() == b"sibling"


def test_a_sync_into_itself_is_refused(env, oss_bucket, capsys):
    name = oss_bucket.bucket_name
    code, _, err = run(capsys, "sync", f"oss://{name}/a/", f"oss://{name}/a/b/", "--yes")
    assert code == 2 and "one of the two folders is inside the other" in err


def test_an_empty_or_missing_source_never_empties_the_destination(env, oss_bucket, tmp_path,
                                                                  capsys):  # fmt: skip
    oss_bucket.put_object("prod/keep.txt", b"precious")
    url = f"oss://{oss_bucket.bucket_name}/prod/"
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "sync", str(tmp_path / "empty"), url, "--delete", "--yes")
    assert code == 2 and "holds nothing, so --delete would delete everything" in err
    # A source that names nothing exits 1, as in every verb (a missing key, prefix or folder).
    code, _, err = run(capsys, "sync", str(tmp_path / "typo"), url, "--delete", "--yes")
    assert code == 1 and "does not exist" in err
    (tmp_path / "a-file").write_bytes(b"x")
    code, _, err = run(capsys, "sync", str(tmp_path / "a-file"), url, "--yes")
    assert code == 2 and "is not a folder" in err
    empty = f"oss://{oss_bucket.bucket_name}/nothing-here/"
    for extra in (["--delete"], []):
        code, out, err = run(capsys, "sync", empty, url, *extra, "--yes")
        assert code == 1 and "holds nothing" in err and "Nothing to do" not in "".join(out)
    assert keys(oss_bucket) == ["prod/keep.txt"]


def test_an_interrupted_sync_is_listed_resumed_and_cleaned_by_transfers(
    env, oss_bucket, folder, capsys, monkeypatch
):
    import ossbrowse.ops.sync as sync_module

    real_copy = sync_module._copy

    def interrupted(plan, engine, task, report, journal):
        journal.note_progress(1, 10)  # one file across, then ctrl+c
        raise KeyboardInterrupt

    monkeypatch.setattr(sync_module, "_copy", interrupted)
    url = f"oss://{oss_bucket.bucket_name}/dst"
    code, _, err = run(capsys, "sync", str(folder), url, "--exclude=*.log", "--yes")
    assert code == 130 and "run the same command again" in err

    code, lines, _ = run(capsys, "transfers")
    assert code == 0 and len(lines) == 1
    assert "sync" in lines[0] and "1 of 2 left" in lines[0] and "[--exclude=*.log]" in lines[0]
    code, lines, _ = run(capsys, "transfers", "--json")
    (record,) = [json.loads(line) for line in lines]
    assert record["kind"] == "sync" and record["src"] == str(folder) and record["dst"] == url + "/"
    assert (record["items_total"], record["items_left"], record["bytes_done"]) == (2, 1, 10)
    assert record["filters"] == ["--exclude=*.log"] and record["delete"] is False
    assert record["damaged"] is False and record["upload_id"] is None

    monkeypatch.setattr(sync_module, "_copy", real_copy)
    code, lines, err = run(capsys, "transfers", "--resume", record["id"][:8])
    assert code == 0, err
    assert "Resuming an interrupted sync: 2 of 2 left." in err  # no question: it was confirmed
    assert keys(oss_bucket, "dst/") == ["dst/a.txt", "dst/sub/b.txt"]  # the filter held
    assert run(capsys, "transfers")[1] == ["No unfinished transfers."]

    oss_bucket.put_object("dst/extra.txt", b"extra")
    monkeypatch.setattr(sync_module, "_copy", interrupted)
    (folder / "new.txt").write_bytes(b"new")
    code, _, _ = run(capsys, "sync", str(folder), url, "--delete", "--yes")
    assert code == 130
    code, lines, _ = run(capsys, "transfers", "--json")
    (record,) = [json.loads(line) for line in lines]
    assert record["delete"] is True and record["items_total"] == 3  # new.txt, c.log, extra
    code, lines, _ = run(capsys, "transfers", "--clean", record["id"])
    assert code == 0 and lines[0].startswith(f"cleaned {record['id']}")
    assert run(capsys, "transfers")[1] == ["No unfinished transfers."]
    assert "dst/extra.txt" in keys(oss_bucket, "dst/")  # cleaning forgets; it deletes nothing


def test_a_resume_that_would_do_more_is_asked_again(env, oss_bucket, folder, capsys, monkeypatch):
    import ossbrowse.ops.sync as sync_module

    real_copy = sync_module._copy

    def interrupted(plan, engine, task, report, journal):
        raise KeyboardInterrupt

    monkeypatch.setattr(sync_module, "_copy", interrupted)
    url = f"oss://{oss_bucket.bucket_name}/dst/"
    assert run(capsys, "sync", str(folder), url, "--yes")[0] == 130
    monkeypatch.setattr(sync_module, "_copy", real_copy)
    (folder / "later.txt").write_bytes(b"written after the sync was confirmed")
    code, lines, _ = run(capsys, "transfers", "--json")
    sync_id = json.loads(lines[0])["id"]
    code, _, err = run(capsys, "transfers", "--resume", sync_id)
    assert code == 3 and "--yes" in err and keys(oss_bucket, "dst/") == []
    code, _, err = run(capsys, "transfers", "--resume", sync_id, "--yes")
    assert code == 0, err
    assert "dst/later.txt" in keys(oss_bucket, "dst/") and len(keys(oss_bucket, "dst/")) == 4
    assert run(capsys, "transfers")[1] == ["No unfinished transfers."]


def _option_help(verb: str) -> dict[str, str]:
    import argparse
    import importlib

    parser = argparse.ArgumentParser()
    importlib.import_module(f"ossbrowse.commands.{verb}").add_arguments(parser)
    return {a.option_strings[0]: a.help for a in parser._actions if a.dest in ("threads", "jobs")}


def test_threads_and_jobs_mean_what_they_mean_for_cp(env, oss_bucket, folder, capsys):
    # Before: sync's --threads was files in parallel (cp's is parts) and it had no --jobs.
    assert (
        _option_help("sync")
        == _option_help("cp")
        == {
            "--threads": "parts in flight (default 4)",
            "--jobs": "files copied at once (default 2)",
        }
    )
    dst = f"oss://{oss_bucket.bucket_name}/dst/"
    code, _, err = run(capsys, "sync", str(folder), dst, "--jobs", "0", "--yes")
    assert code == 2 and "--threads and --jobs must be at least 1." in err
    code, _, err = run(capsys, "sync", str(folder), dst, "--jobs", "3", "--threads", "2", "--yes")
    assert code == 0, err
    assert keys(oss_bucket, "dst/") == ["dst/a.txt", "dst/sub/b.txt", "dst/sub/c.log"]
