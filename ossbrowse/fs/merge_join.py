"""Pair up two streams sorted by the same byte key: the merge join of a compare or a sync.

ListObjectsV2 lists keys in byte order of their UTF-8 and `fs.ordered_walk` walks a local
folder in that order, so one pass pairs a tree with a listing (or two listings, or two local
trees) holding one item of each side at a time, whatever the size of the trees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

L = TypeVar("L")
R = TypeVar("R")


class MergeJoin(Generic[L, R]):
    """Iterate `(left, right)` pairs in key order; a key on one side only pairs with None.

    While a one-sided pair is being handled, `pending_left` / `pending_right` hold the item the
    other stream is waiting with (the next key of that side), for callers that look ahead, as
    the mount compare does to tell a folder implied by the keys under it.
    """

    def __init__(
        self,
        left: Iterable[L],
        right: Iterable[R],
        left_key: Callable[[L], bytes],
        right_key: Callable[[R], bytes],
    ) -> None:
        self._left = iter(left)
        self._right = iter(right)
        self._left_key = left_key
        self._right_key = right_key
        self.pending_left: L | None = None
        self.pending_right: R | None = None

    def __iter__(self) -> Iterator[tuple[L | None, R | None]]:
        # Each item's key is read once (a pair of trees is tens of thousands of steps, and
        # the keys are compared up to twice a step).
        left_key, right_key = self._left_key, self._right_key
        lefts, rights = self._left, self._right
        left = next(lefts, None)
        right = next(rights, None)
        lk = left_key(left) if left is not None else b""
        rk = right_key(right) if right is not None else b""
        while left is not None or right is not None:
            self.pending_left, self.pending_right = left, right
            if right is not None and (left is None or rk < lk):
                yield None, right
                right = next(rights, None)
                rk = right_key(right) if right is not None else b""
            elif left is not None and (right is None or lk < rk):
                yield left, None
                left = next(lefts, None)
                lk = left_key(left) if left is not None else b""
            else:
                yield left, right
                left = next(lefts, None)
                right = next(rights, None)
                lk = left_key(left) if left is not None else b""
                rk = right_key(right) if right is not None else b""
        self.pending_left = self.pending_right = None
