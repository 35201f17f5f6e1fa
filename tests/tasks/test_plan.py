"""A task's plan is data: it survives JSON, and splits into shards that hold every item once."""

from __future__ import annotations

import pytest

from ossbrowse.tasks.plan import Plan, WorkItem


def _plan(sizes: list[int]) -> Plan:
    items = tuple(
        WorkItem(f"src/k{i}\x1b[31m", f"dst/k{i}", size, f"E{i}") for i, size in enumerate(sizes)
    )
    return Plan("move", "oss://a/src/", "oss://a/dst/", items, {"threads": 4, "tier": None})


def test_json_round_trip_keeps_everything() -> None:
    plan = _plan([5, 0, 7])
    again = Plan.from_json(plan.to_json())
    assert again == plan
    assert again.items[0].src == "src/k0\x1b[31m"  # hostile keys survive as they are


def test_another_format_is_refused() -> None:
    with pytest.raises(ValueError):
        Plan.from_json('{"format": 99}')


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 50])
def test_split_keeps_every_item_once_in_order(n: int) -> None:
    plan = _plan([10, 1, 1, 1, 30, 2, 2, 5, 0, 0, 9])
    shards = plan.split(n)
    assert 1 <= len(shards) <= min(n, len(plan.items))
    assert all(s.items for s in shards)
    assert [i for s in shards for i in s.items] == list(plan.items)
    assert [s.shard for s in shards] == [(i, len(shards)) for i in range(len(shards))]
    assert all(s.kind == plan.kind and s.options == plan.options for s in shards)
    # Each shard round-trips on its own: another executor reads it back.
    assert [Plan.from_json(s.to_json()) for s in shards] == shards


def test_split_balances_bytes() -> None:
    plan = _plan([100] * 8 + [400])
    a, b = plan.split(2)
    assert (a.bytes == 800 and b.bytes == 400) or abs(a.bytes - b.bytes) <= 400
    assert len(plan.split(4)) == 4


def test_split_of_empty_items_is_by_count_and_zero_is_refused() -> None:
    plan = _plan([0] * 6)
    assert [len(s.items) for s in plan.split(3)] == [2, 2, 2]
    with pytest.raises(ValueError):
        plan.split(0)
