"""A local OSS-compatible HTTP server for tests, demos, benchmarks and `ossbrowse serve`.

`EmulatorServer` is the entry point (see docs/CONTRACTS.md); `FaultPlan` and `FaultRule`
describe injected faults. Imports are light: the server pulls in nothing from oss2 or Textual.
"""

from __future__ import annotations

from ossbrowse.emulator.faults import FaultPlan, FaultRule
from ossbrowse.emulator.server import EmulatorServer

__all__ = ["EmulatorServer", "FaultPlan", "FaultRule"]
