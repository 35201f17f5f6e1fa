"""Sync against the local server: what is copied, what is the same (from the listing alone),
--size-only and --checksum, OSS->local and OSS->OSS, and --delete's limits."""

from __future__ import annotations

import os
import time

import oss2
import pytest

from ossbrowse.emulator import FaultRule
from ossbrowse.ops.sync import run_sync
from ossbrowse.ops.sync_plan import Change, plan_sync
from ossbrowse.ops.sync_sides import LocalTree, OssTree, overlap
from ossbrowse.transfer import TransferEngine
from tests.ops.conftest import keys_under


@pytest.fixture(autouse=True)
def state_dir(tmp_path_factory, monkeypatch):
    """The journals live outside the folders these tests sync (tmp_path itself): an empty
    `state/syncs` folder there would be synced as an empty folder."""
    path = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("OSSBROWSE_STATE_DIR", str(path))
    return path


@pytest.fixture
def engine(ops_server, ops_auth):
    def bucket_for(name: str):
        return oss2.Bucket(ops_auth, ops_server.endpoint, name, enable_crc=False)

    with TransferEngine(bucket_for, threads=2) as made:
        yield made


@pytest.fixture
def counted(ops_server):
    """Requests by kind, counted at the server while a test runs."""
    kinds = ("list_objects_v2", "head_object", "put_object", "get_object", "copy_object")
    rules = {kind: ops_server.faults.add(FaultRule(kind)) for kind in kinds}
    return lambda: {kind: rule.fired for kind, rule in rules.items()}


def make_files(root, names, stamp: float | None = None) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content of {name}".encode())
        if stamp is not None:
            os.utime(path, (stamp, stamp))


def sync(src, dst, engine, **kw):
    plan = plan_sync(src, dst, **kw)
    return plan, run_sync(plan, engine=engine)


NAMES = ["a.txt", "b/c.txt", "b/d/e.txt", "z.txt"]


def test_local_to_oss_copies_then_finds_nothing_with_list_requests_only(
    tmp_path, bucket, engine, counted
):
    make_files(tmp_path, NAMES, stamp=time.time() - 86400)  # written a day before the upload
    plan, report = sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst"), engine)
    assert [d.change for d in plan.copies] == [Change.ONLY_SRC] * 4 and report.complete
    assert keys_under(bucket, "dst/") == [f"dst/{n}" for n in NAMES]
    before = counted()
    again = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"))
    after = counted()
    assert again.nothing_to_do and again.stats.same == 4
    sent = {kind: after[kind] - before[kind] for kind in after}
    assert sent == {"list_objects_v2": 1, "head_object": 0, "put_object": 0, "get_object": 0,
                    "copy_object": 0}  # fmt: skip


def test_time_rules_local_to_oss(tmp_path, bucket, engine):
    make_files(tmp_path, NAMES)
    sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), engine)
    later, earlier = time.time() + 600, time.time() - 86400
    os.utime(tmp_path / "a.txt", (later, later))  # changed after its upload: copied
    os.utime(tmp_path / "z.txt", (earlier, earlier))  # older than its object: the same
    (tmp_path / "b" / "c.txt").write_bytes(b"much longer content than before")  # another size
    plan = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"))
    changes = {d.key: d.change for d in plan.copies}
    assert changes == {"a.txt": Change.NEWER_SRC, "b/c.txt": Change.SIZE}
    assert "changed after the destination copy" in plan.copies[0].reason
    assert plan.stats.head_requests == 0
    size_only = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), mode="size")
    assert [d.key for d in size_only.copies] == ["b/c.txt"]


def test_checksum_sees_a_same_size_rewrite_the_times_cannot(tmp_path, bucket, engine):
    make_files(tmp_path, NAMES)
    sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), engine)
    bucket.put_object("dst/z.txt", b"CONTENT OF Z.TXT")  # same size, newer: time says same
    assert plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/")).nothing_to_do
    plan = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), mode="checksum")
    assert [(d.key, d.change) for d in plan.copies] == [("z.txt", Change.CONTENT)]
    assert plan.stats.head_requests == 4  # one per same-size pair
    _, report = sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), engine, mode="checksum")
    assert report.copied == 1
    assert bucket.get_object("dst/z.txt").read() == b"content of z.txt"


def test_oss_to_local_and_back_to_nothing(tmp_path, bucket, engine):
    for name in NAMES:
        bucket.put_object(f"src/{name}", f"object {name}".encode())
    dst = tmp_path / "down"
    _, report = sync(OssTree(bucket, "src/"), LocalTree(str(dst)), engine)
    assert report.copied == 4 and (dst / "b" / "d" / "e.txt").read_bytes() == b"object b/d/e.txt"
    again = plan_sync(OssTree(bucket, "src/"), LocalTree(str(dst)))
    assert again.nothing_to_do and again.stats.head_requests == 0
    bucket.put_object("src/a.txt", b"object A.txt")  # same size, rewritten after the download
    os.utime(dst / "a.txt", (time.time() - 3600, time.time() - 3600))
    changed = plan_sync(OssTree(bucket, "src/"), LocalTree(str(dst)))
    assert [(d.key, d.change) for d in changed.copies] == [("a.txt", Change.NEWER_SRC)]


def test_a_download_stamped_with_the_uploads_mtime_is_the_same_after_one_head(
    tmp_path, bucket, engine
):
    # Uploaded by the product long after the files were written: the objects carry the files'
    # old times (x-oss-meta-mtime), and a download is stamped with them, far from Last-Modified.
    make_files(tmp_path / "up", NAMES, stamp=time.time() - 7 * 86400)
    sync(LocalTree(str(tmp_path / "up")), OssTree(bucket, "src/"), engine)
    sync(OssTree(bucket, "src/"), LocalTree(str(tmp_path / "down")), engine)
    plan = plan_sync(OssTree(bucket, "src/"), LocalTree(str(tmp_path / "down")))
    assert plan.nothing_to_do and plan.stats.head_requests == 4  # outside the window: a HEAD


def test_oss_to_oss(bucket, new_bucket, engine):
    other = new_bucket()
    for name in NAMES:
        bucket.put_object(f"src/{name}", f"object {name}".encode())
    _, report = sync(OssTree(bucket, "src/"), OssTree(other, "copy/"), engine)
    assert report.copied == 4 and keys_under(other) == [f"copy/{n}" for n in NAMES]
    assert plan_sync(OssTree(bucket, "src/"), OssTree(other, "copy/")).nothing_to_do
    bucket.put_object("src/b/c.txt", b"rewritten object b/c.txt")
    plan, report = sync(OssTree(bucket, "src/"), OssTree(other, "copy/"), engine)
    assert [d.key for d in plan.copies] == ["b/c.txt"] and report.copied == 1
    assert other.get_object("copy/b/c.txt").read() == b"rewritten object b/c.txt"


def test_extras_are_kept_without_delete_and_only_dst_is_touched_with_it(tmp_path, bucket, engine):
    make_files(tmp_path, ["keep.txt"])
    for key in ("dst/keep.txt", "dst/extra.txt", "dst/../up.txt", "dst2/x.txt", "dstx", "d.txt"):
        bucket.put_object(key, b"there before")
    plan, report = sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst"), engine)
    assert [d.key for d in plan.extras] == ["../up.txt", "extra.txt"] and plan.deletes == []
    assert report.extras_kept == 2 and len(keys_under(bucket)) == 6
    _, report = sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst"), engine, delete=True)
    assert report.deleted == 2
    # `dst/../up.txt` is a key under `dst/` (OSS has no `..`); nothing else was touched.
    assert keys_under(bucket) == ["d.txt", "dst/keep.txt", "dst2/x.txt", "dstx"]


def test_local_delete_stays_inside_the_folder(tmp_path, bucket, engine):
    outside = tmp_path / "outside"
    make_files(outside, ["precious.txt"])
    make_files(tmp_path, ["dst/extra.txt", "dst2/sibling.txt"])
    (tmp_path / "dst" / "link").symlink_to(outside)  # an extra that is a link to a folder
    (tmp_path / "dst" / "file-link").symlink_to(outside / "precious.txt")
    bucket.put_object("src/new.txt", b"new")
    bucket.put_object("src/../escape.txt", b"never written outside")
    plan, report = sync(OssTree(bucket, "src/"), LocalTree(str(tmp_path / "dst")), engine,
                        delete=True)  # fmt: skip
    assert [d.key for d in plan.blocked] == ["../escape.txt"]
    assert sorted(d.key for d in plan.deletes) == ["extra.txt", "file-link", "link"]
    assert report.deleted == 3 and not (tmp_path / "escape.txt").exists()
    assert sorted(os.listdir(tmp_path / "dst")) == ["new.txt"]
    assert (outside / "precious.txt").read_bytes() == b"content of precious.txt"
    assert (tmp_path / "dst2" / "sibling.txt").exists()


def test_a_filter_never_turns_an_unselected_source_into_an_extra(tmp_path, bucket, engine):
    make_files(tmp_path, ["a.log", "b.txt"])
    sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), engine)
    bucket.put_object("dst/old.log", b"extra log")
    bucket.put_object("dst/old.txt", b"extra txt")

    def only_logs(relative: str, item) -> bool:
        return relative.endswith(".log")

    plan = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), delete=True,
                     select=only_logs)  # fmt: skip
    assert [d.key for d in plan.deletes] == ["old.log"] and plan.stats.filtered == 2


def test_overlapping_trees_are_refused(tmp_path, bucket):
    assert overlap(OssTree(bucket, "a/"), OssTree(bucket, "a/b/")) is not None
    assert overlap(OssTree(bucket, "a/"), OssTree(bucket, "a2/")) is None
    assert overlap(LocalTree(str(tmp_path)), LocalTree(str(tmp_path / "in"))) is not None
    assert overlap(LocalTree(str(tmp_path / "a")), LocalTree(str(tmp_path / "ab"))) is None


def test_price_counts_early_deletion_and_versions_kept(tmp_path, bucket, new_bucket):
    from ossbrowse.ops.pricing import describe_price
    from ossbrowse.ops.sync_price import price_sync

    make_files(tmp_path, ["young.txt", "new.txt"])
    bucket.put_object("dst/young.txt", b"IA, a day old", headers={"x-oss-storage-class": "IA"})
    bucket.put_object("dst/gone.txt", b"an extra", headers={"x-oss-storage-class": "IA"})
    plan = plan_sync(LocalTree(str(tmp_path)), OssTree(bucket, "dst/"), delete=True)
    price = price_sync(plan)
    assert (price.objects, price.overwrites, price.deletes) == (2, 1, 1)
    assert price.requests["PutObject"] == 2 and price.requests["DeleteMultipleObjects"] == 1
    assert sorted(e.key for e in price.early_deletions) == ["dst/gone.txt", "dst/young.txt"]
    versioned = price_sync(plan, versioning="Enabled")
    assert versioned.early_deletions == [] and versioned.kept_versions == 2
    text = "\n".join(describe_price(versioned))
    assert "the previous versions stay billed" in text and "gets a delete marker" in text


def test_links_to_files_are_copied_and_other_special_files_reported(tmp_path, bucket, engine):
    src = tmp_path / "src"
    make_files(src, ["real.txt"])
    (src / "link.txt").symlink_to(src / "real.txt")
    (src / "folder-link").symlink_to(tmp_path)
    os.mkfifo(src / "pipe")
    plan, report = sync(LocalTree(str(src)), OssTree(bucket, "dst/"), engine)
    assert [d.key for d in plan.copies] == ["link.txt", "real.txt"] and report.copied == 2
    assert {d.key: d.reason for d in plan.blocked} == {
        "folder-link": "not copied: a symbolic link to a folder, not followed (it could loop)",
        "pipe": "not copied: a named pipe (FIFO)",
    }
    assert bucket.get_object("dst/link.txt").read() == b"content of real.txt"
    again = plan_sync(LocalTree(str(src)), OssTree(bucket, "dst/"))
    assert again.copies == [] and len(again.blocked) == 2
