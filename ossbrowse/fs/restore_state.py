"""The one reader of OSS's restore state (`x-oss-restore`, or a listing's RestoreInfo).

`ongoing-request="true"` is restoring; `"false"` with an expiry date is restored until then,
and no longer once that date has passed; an archived object without the header has never been
restored (or its copy expired). Objects of other classes are readable as they are, whatever
the header says.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ossbrowse.fs.storage_classes import ARCHIVE_CLASSES


class RestoreStatus(enum.Enum):
    """Where an archived object stands. NOT_NEEDED for anything readable without a restore."""

    NOT_NEEDED = "not-needed"
    NOT_RESTORED = "not-restored"
    IN_PROGRESS = "in-progress"
    RESTORED = "restored"


@dataclass(frozen=True, slots=True)
class RestoreState:
    status: RestoreStatus = RestoreStatus.NOT_NEEDED
    expires: datetime | None = None  # when a restored copy stops being readable

    @property
    def readable(self) -> bool:
        return self.status in (RestoreStatus.NOT_NEEDED, RestoreStatus.RESTORED)


# RestoreState is frozen: shared answers for the common cases save a constructor call and an
# object per listed object (a pane may hold a million).
NOT_NEEDED = RestoreState()
NOT_RESTORED = RestoreState(RestoreStatus.NOT_RESTORED)
IN_PROGRESS = RestoreState(RestoreStatus.IN_PROGRESS)

_ONGOING = re.compile(r'ongoing-request\s*=\s*"(true|false)"', re.IGNORECASE)
_EXPIRY = re.compile(r'expiry-date\s*=\s*"([^"]*)"', re.IGNORECASE)


def parse_expiry(text: str) -> datetime | None:
    """An HTTP date (as the header writes it) or ISO 8601 (as some SDKs and listings do)."""
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def restore_state(
    storage_class: str | None, header: str | None, now: datetime | None = None
) -> RestoreState:
    """Where an object stands, from its class and its restore header (None: no header)."""
    if storage_class not in ARCHIVE_CLASSES:
        return NOT_NEEDED
    if not header:
        return NOT_RESTORED
    ongoing = _ONGOING.search(header)
    if ongoing and ongoing.group(1).lower() == "true":
        return IN_PROGRESS
    expiry = _EXPIRY.search(header)
    expires = parse_expiry(expiry.group(1)) if expiry else None
    if expires is not None:
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=timezone.utc)
        if expires <= (now or datetime.now(timezone.utc)):
            return NOT_RESTORED
    return RestoreState(RestoreStatus.RESTORED, expires)


def describe_restore(state: RestoreState) -> str:
    """Plain words for a row or a dialog: "restoring", "restored until 2025-01-02 10:00 UTC"."""
    if state.status is RestoreStatus.NOT_NEEDED:
        return ""
    if state.status is RestoreStatus.NOT_RESTORED:
        return "not restored"
    if state.status is RestoreStatus.IN_PROGRESS:
        return "restoring"
    if state.expires is None:
        return "restored"
    return f"restored until {state.expires.strftime('%Y-%m-%d %H:%M %Z').strip()}"
