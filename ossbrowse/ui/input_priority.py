"""Background work of the UI process steps aside for a moment while the user is typing.

Worker threads share the GIL with the UI thread: a listing worker turning a 1000-entry page
into entries holds it for ~15 ms at a time, and a key that arrives meanwhile waits behind it
for every step from the terminal to the screen. Between two units of work, a worker asks
`yield_to_input()`: if a key or click came in the last moment it waits a little, so the key's
frame is drawn first. The wait is bounded, so holding a key down slows a listing, never stops it.
"""

from __future__ import annotations

import time

# A key this recent (seconds) may still be on its way to the screen.
RECENT = 0.05
# The longest a unit of background work waits for input to go quiet (seconds).
MOST = 0.03


class InputActivity:
    """When the user last pressed a key or clicked; read by worker threads."""

    def __init__(self) -> None:
        self.last = 0.0  # time.monotonic(); a float is written and read whole across threads

    def touch(self) -> None:
        self.last = time.monotonic()

    def recent(self, within: float = 1.0) -> bool:
        """Whether there was input in the last `within` seconds."""
        return time.monotonic() - self.last < within

    def yield_to_input(self, most: float | None = None) -> None:
        """Sleep while there was input in the last `RECENT` seconds, for at most `most`."""
        deadline = time.monotonic() + (MOST if most is None else most)
        while True:
            now = time.monotonic()
            quiet_at = self.last + RECENT
            if now >= quiet_at or now >= deadline:
                return
            time.sleep(min(quiet_at, deadline) - now)
