"""Issue 11, case 3: `mv` must not delete a source that was overwritten after its copy was
checked. The writer is a hook of the move's own execution (after a copy is verified, in the
copying thread), so it overwrites at exactly that step: no racing threads, no sleeps."""

from __future__ import annotations

import threading

import oss2

from ossbrowse.ops.rename import CHANGED, MoveHooks, describe_report, plan_move, run_move


def _fill(bucket, prefix: str, count: int) -> list[str]:
    keys = [f"{prefix}k{i:02d}" for i in range(count)]
    for key in keys:
        bucket.put_object(key, b"first " + key.encode())
    return keys


def _keys(bucket, prefix: str) -> list[str]:
    return sorted(o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix))


def test_every_acknowledged_overwrite_survives_the_move(make_bucket, tmp_path):
    bucket = make_bucket()
    keys = _fill(bucket, "src/", 20)

    def writer(item) -> None:  # overwrites src/kN as soon as dst/kN is there and checked
        bucket.put_object(item.src_key, b"second " + item.src_key.encode())

    plan = plan_move(bucket, "src/", bucket, "dst/")
    report = run_move(plan, threads=4, directory=tmp_path, hooks=MoveHooks(after_verify=writer))
    assert sorted(report.changed) == keys and report.moved == 0 and not report.complete
    for key in keys:
        assert bucket.get_object(key).read() == b"second " + key.encode()  # the write lives
        dst = "dst/" + key.removeprefix("src/")
        assert bucket.get_object(dst).read() == b"first " + key.encode()  # the copy too
    text = "\n".join(describe_report(report))
    assert CHANGED in text and "kept:" in text
    assert list(tmp_path.iterdir()) == []  # every item settled: the journal is gone


def test_only_the_changed_sources_are_kept(make_bucket, tmp_path):
    bucket = make_bucket()
    keys = _fill(bucket, "src/", 10)
    changed = set(keys[::3])

    def writer(item) -> None:
        if item.src_key in changed:
            bucket.put_object(item.src_key, b"second")

    plan = plan_move(bucket, "src/", bucket, "dst/")
    report = run_move(plan, threads=3, directory=tmp_path, hooks=MoveHooks(after_verify=writer))
    assert set(report.changed) == changed and report.moved == len(keys) - len(changed)
    assert set(_keys(bucket, "src/")) == changed
    assert len(_keys(bucket, "dst/")) == len(keys)


def test_a_single_rename_rechecks_its_source_too(make_bucket, tmp_path):
    bucket = make_bucket()
    bucket.put_object("one", b"first")

    plan = plan_move(bucket, "one", bucket, "two")
    hooks = MoveHooks(after_verify=lambda item: bucket.put_object(item.src_key, b"second"))
    report = run_move(plan, directory=tmp_path, hooks=hooks)
    assert report.changed == ["one"]
    assert bucket.get_object("one").read() == b"second"
    assert bucket.get_object("two").read() == b"first"


def test_sources_are_deleted_soon_after_their_copies_are_verified(make_bucket, tmp_path):
    # The copy of item 1 waits (in its hook) until the source of item 0 has been deleted.
    # A mover that gathers deletes into batches of 1,000 deleted nothing until every copy was
    # done, so that wait never ended; now the first source goes within about a second.
    bucket = make_bucket()
    keys = _fill(bucket, "src/", 3)
    first_deleted = threading.Event()
    waited: list[bool] = []

    def after_verify(item) -> None:
        if item.src_key != keys[0]:
            waited.append(first_deleted.wait(timeout=60))

    def after_delete(items) -> None:
        if any(i.src_key == keys[0] for i in items):
            first_deleted.set()

    plan = plan_move(bucket, "src/", bucket, "dst/")
    hooks = MoveHooks(after_verify=after_verify, after_delete=after_delete)
    report = run_move(plan, threads=1, directory=tmp_path, hooks=hooks)
    assert waited == [True, True]
    assert report.moved == 3 and report.complete
    assert _keys(bucket, "src/") == []


def test_a_kill_after_a_kept_line_resumes_without_touching_it(make_bucket, tmp_path):
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.rename import resume_move, start_move

    bucket = make_bucket()
    keys = _fill(bucket, "src/", 3)
    plan = plan_move(bucket, "src/", bucket, "dst/")
    journal = start_move(plan, directory=tmp_path)
    # As a killed run would leave it: item 0 copied and found changed (kept).
    bucket.copy_object(bucket.bucket_name, keys[0], "dst/k00")
    bucket.put_object(keys[0], b"second")
    journal.mark_verified([0], sync=True)
    journal.mark_kept([0])
    journal.close()
    again = MoveJournal.load(journal.id, tmp_path)
    assert again is not None and again.kept == {0}
    report = resume_move(again, bucket, bucket)
    assert report.moved == 2 and report.changed == []
    assert _keys(bucket, "src/") == [keys[0]]
    assert bucket.get_object(keys[0]).read() == b"second"
