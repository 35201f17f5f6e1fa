"""The move journal: atomic plan, append-only progress, torn lines ignored, found by arguments."""

from __future__ import annotations

from ossbrowse.ops.journal import MoveJournal, PlannedMove, move_id, unfinished


def items(n):
    return [PlannedMove(f"a/{i}", f"b/{i}", f"E{i}", i, "IA") for i in range(n)]


def test_plan_and_progress_survive_a_reload(tmp_path):
    journal = MoveJournal.create("bk", "a/", "bk", "b/", items(5), tmp_path)
    journal.mark_verified([0, 1, 2])
    journal.sync()
    journal.mark_deleted([0, 1])
    journal.close()
    again = MoveJournal.find("bk", "a/", "bk", "b/", tmp_path)
    assert again is not None
    assert again.items == items(5)
    assert again.verified == {0, 1, 2}
    assert again.deleted == {0, 1}
    assert not again.finished
    assert [j.id for j in unfinished(tmp_path)] == [again.id]


def test_a_torn_last_line_is_ignored(tmp_path):
    journal = MoveJournal.create("bk", "a/", "bk", "b/", items(20), tmp_path)
    journal.mark_verified([3])
    journal.close()
    with open(journal.log_path, "ab") as f:
        f.write(b"D 1")  # killed in the middle of a write: no newline
    again = MoveJournal.load(journal.id, tmp_path)
    assert again.verified == {3} and again.deleted == set()


def test_ids_differ_by_arguments_and_remove_forgets(tmp_path):
    assert move_id("b", "a/", "b", "c/") != move_id("b", "a/", "b", "d/")
    journal = MoveJournal.create("bk", "a/", "bk", "b/", items(1), tmp_path)
    journal.mark_verified([0])
    journal.mark_deleted([0])
    assert journal.finished
    journal.remove()
    assert MoveJournal.find("bk", "a/", "bk", "b/", tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_plan_is_treated_as_absent(tmp_path):
    journal = MoveJournal.create("bk", "a/", "bk", "b/", items(2), tmp_path)
    journal.plan_path.write_text("{not json")
    assert MoveJournal.load(journal.id, tmp_path) is None


def test_a_journal_is_a_task_plan_that_splits_into_shards(tmp_path):
    from ossbrowse.tasks.plan import Plan

    journal = MoveJournal.create("bk", "a/", "", "/tmp/b", items(7), tmp_path)
    plan = journal.as_plan()
    assert plan.kind == "move" and plan.options == {"journal": journal.id}
    assert [(i.src, i.dst, i.size, i.etag) for i in plan.items] == [
        (p.src_key, p.dst_key, p.size, p.etag) for p in items(7)
    ]
    shards = [Plan.from_json(s.to_json()) for s in plan.split(3)]
    assert [i for s in shards for i in s.items] == list(plan.items)
