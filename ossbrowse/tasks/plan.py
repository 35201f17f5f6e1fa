"""A task's plan as data: the items it will work on, serializable and splittable into shards.

A plan is what a task decided before doing anything (the objects a move copies, the keys a
delete removes), so it can be written down (JSON), read back by another process, and cut
into shards that other executors run side by side. Items keep their order; a shard is a
contiguous run of them, balanced by bytes (an item counts at least one byte, so a plan of
empty objects is balanced by count).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

FORMAT = 1
Option = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One thing to do: from `src` to `dst` (empty for a delete or a restore)."""

    src: str
    dst: str = ""
    size: int = 0
    etag: str = ""  # what the source held when planned: checked again before acting


@dataclass(frozen=True, slots=True)
class Plan:
    kind: str  # copy, move, delete, restore, ...
    src: str
    dst: str
    items: tuple[WorkItem, ...]
    options: Mapping[str, Option] = field(default_factory=dict)
    shard: tuple[int, int] = (0, 1)  # (index, count): which part of a split plan this is

    @property
    def bytes(self) -> int:
        return sum(item.size for item in self.items)

    def to_json(self) -> str:
        body = {
            "format": FORMAT,
            "kind": self.kind,
            "src": self.src,
            "dst": self.dst,
            "options": dict(self.options),
            "shard": list(self.shard),
            "items": [[i.src, i.dst, i.size, i.etag] for i in self.items],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Read a plan back; a plan of another format or a damaged one raises ValueError."""
        body = json.loads(text)
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValueError("not a task plan of a format this version reads")
        index, count = body["shard"]
        return cls(
            kind=str(body["kind"]),
            src=str(body["src"]),
            dst=str(body["dst"]),
            items=tuple(WorkItem(str(s), str(d), int(n), str(e)) for s, d, n, e in body["items"]),
            options=dict(body["options"]),
            shard=(int(index), int(count)),
        )

    def split(self, n: int) -> list[Plan]:
        """At most `n` shards, in order, each about the same number of bytes; together they
        hold every item exactly once. Fewer shards when there are fewer items."""
        if n < 1:
            raise ValueError("a plan splits into one shard or more")
        groups = _balanced(self.items, min(n, max(1, len(self.items))))
        return [
            replace(self, items=tuple(group), shard=(index, len(groups)))
            for index, group in enumerate(groups)
        ]


def _balanced(items: Sequence[WorkItem], n: int) -> list[Sequence[WorkItem]]:
    """Cut `items` into `n` contiguous runs of about equal weight, none empty (when n <= len)."""
    if n <= 1:
        return [items]
    weights = [max(1, item.size) for item in items]
    total = sum(weights)
    cuts: list[int] = []
    running = 0
    for index, weight in enumerate(weights):
        running += weight
        shards_left = n - 1 - len(cuts)
        if shards_left == 0:
            break
        items_left = len(items) - index - 1
        # Cut where the run reaches its share, or where the rest only just covers the shards.
        if running * n >= total * (len(cuts) + 1) or items_left == shards_left:
            cuts.append(index + 1)
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds) if b > a]
