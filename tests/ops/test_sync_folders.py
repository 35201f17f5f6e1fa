"""Empty folders in a sync, as `cp -r` carries them: an empty local folder becomes a folder
marker (`dir/`), a marker with nothing under it comes down as a folder; a folder only in the
destination is an extra (deleted with --delete only, files first, then `rmdir`); a folder with
files is implied by them and costs nothing. Against the local server through oss2."""

from __future__ import annotations

import pytest

from ossbrowse.ops.sync import run_sync
from ossbrowse.ops.sync_plan import Change, plan_sync
from ossbrowse.ops.sync_sides import LocalTree, OssTree
from tests.ops.conftest import keys_under
from tests.ops.test_sync import engine  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OSSBROWSE_STATE_DIR", str(path))
    return path


def test_empty_local_folders_become_markers_and_come_back_down(tmp_path, bucket, engine):  # noqa: F811
    src = tmp_path / "src"
    (src / "empty" / "nested-empty").mkdir(parents=True)
    (src / "full").mkdir()
    (src / "full" / "x.txt").write_bytes(b"x")
    plan = plan_sync(LocalTree(str(src)), OssTree(bucket, "dst/"))
    assert [(d.key, d.change) for d in plan.copies] == [
        ("empty/nested-empty/", Change.ONLY_SRC),
        ("full/x.txt", Change.ONLY_SRC),
    ]
    assert "an empty folder only in the source" in plan.copies[0].reason
    assert run_sync(plan, engine=engine).complete
    assert keys_under(bucket, "dst/") == ["dst/empty/nested-empty/", "dst/full/x.txt"]
    assert plan_sync(LocalTree(str(src)), OssTree(bucket, "dst/")).nothing_to_do

    down = tmp_path / "down"
    down.mkdir()
    plan = plan_sync(OssTree(bucket, "dst/"), LocalTree(str(down)))
    assert run_sync(plan, engine=engine).complete
    assert (down / "empty" / "nested-empty").is_dir() and (down / "full" / "x.txt").exists()
    assert plan_sync(OssTree(bucket, "dst/"), LocalTree(str(down))).nothing_to_do


def test_folders_only_at_the_destination_are_extras(tmp_path, bucket, engine):  # noqa: F811
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "keep").mkdir(parents=True)
    (src / "keep" / "k.txt").write_bytes(b"k")
    (dst / "gone-empty").mkdir(parents=True)
    (dst / "old" / "deep").mkdir(parents=True)
    (dst / "old" / "deep" / "f.txt").write_bytes(b"f")
    kept = plan_sync(LocalTree(str(src)), LocalTree(str(dst)))
    assert [d.key for d in kept.extras] == ["gone-empty/", "old/", "old/deep/", "old/deep/f.txt"]
    assert run_sync(kept, engine=engine).extras_kept == 4 and (dst / "gone-empty").is_dir()

    plan = plan_sync(LocalTree(str(src)), LocalTree(str(dst)), delete=True)
    report = run_sync(plan, engine=engine)
    assert report.complete and report.deleted == 4
    assert sorted(p.name for p in dst.iterdir()) == ["keep"]
    assert plan_sync(LocalTree(str(src)), LocalTree(str(dst)), delete=True).nothing_to_do

    bucket.put_object("o/stale/", b"")
    bucket.put_object("o/implied/", b"")  # a marker over files: they imply it
    bucket.put_object("o/implied/i.txt", b"i")
    (src / "implied").mkdir()
    (src / "implied" / "i.txt").write_bytes(b"i")
    plan = plan_sync(LocalTree(str(src)), OssTree(bucket, "o/"), delete=True)
    assert [d.key for d in plan.deletes] == ["stale/"]
    assert run_sync(plan, engine=engine).complete
    assert "o/stale/" not in keys_under(bucket, "o/")


def test_with_a_filter_folders_are_left_alone(tmp_path, bucket, engine):  # noqa: F811
    src = tmp_path / "src"
    (src / "empty").mkdir(parents=True)
    (src / "a.txt").write_bytes(b"a")
    bucket.put_object("f/stale/", b"")
    plan = plan_sync(
        LocalTree(str(src)), OssTree(bucket, "f/"), delete=True, select=lambda key, item: True
    )
    assert [d.key for d in plan.copies] == ["a.txt"] and plan.deletes == []
