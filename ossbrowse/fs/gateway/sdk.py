"""Import oss2 fast: its client-side-encryption dependencies load only if something uses them.

This is the gateway's one top-level import of oss2; its other modules import this one.

`import oss2` pulls in pycryptodome and the Alibaba Cloud core and KMS SDKs for oss2's
CryptoBucket, which ossbrowse never uses: measured here, about 0.2 s of CPU out of 0.5 s for the
whole import, on every `ossbrowse ls`. Those packages are loaded lazily instead (a module
object now, its code on first attribute access), so they cost nothing unless used.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

# Top-level packages only oss2's crypto features need.
LAZY_PACKAGES = frozenset({"Crypto", "aliyunsdkcore", "aliyunsdkkms"})


class _LazyFinder:
    """A meta path finder that wraps the normal loader of LAZY_PACKAGES in a LazyLoader."""

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name.partition(".")[0] not in LAZY_PACKAGES:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Put the lazy finder in place (idempotent); only matters before oss2 is first imported."""
    if "oss2" in sys.modules or any(isinstance(f, _LazyFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _LazyFinder())


install()

import oss2  # noqa: E402 - after the finder, on purpose
import oss2.exceptions  # noqa: E402

__all__ = ["oss2"]
