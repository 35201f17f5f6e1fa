"""The local walk in key order, for the mount compare: it lives in `fs.ordered_walk`, shared
with sync (operations cannot import the mount package)."""

from __future__ import annotations

from ossbrowse.fs.ordered_walk import LocalItem, walk_local

__all__ = ["LocalItem", "walk_local"]
