"""The status line's word on a versioned bucket: "versioned bucket" or "versioning suspended".

Asked once per bucket (GetBucketVersioning in a thread worker of the pane), remembered for
the session; the pane's status is drawn again when the answer comes. A bucket that cannot be
asked (no permission, a server without versioning) gets no word: the note is a courtesy.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ossbrowse.ui.messages import PaneChanged

if TYPE_CHECKING:
    from ossbrowse.ui.pane import Pane

NOTES = {"Enabled": "versioned bucket", "Suspended": "versioning suspended"}
_known: dict[tuple[int, str], str] = {}  # (id of the session's Services, bucket) -> status
_asked: set[tuple[int, str]] = set()
_lock = threading.Lock()


def versioning_parts(pane: Pane) -> list[str]:
    """The status line's parts for `pane`'s bucket: [] until known, or if not versioned."""
    path = pane.path
    if not path.startswith("oss://") or path == "oss://":
        return []
    services = pane.services
    name = path.removeprefix("oss://").split("/", 1)[0]
    ident = (id(services), name)
    with _lock:
        status = _known.get(ident)
        ask = status is None and ident not in _asked and services.bucket_for is not None
        if ask:
            _asked.add(ident)
    if ask:
        bucket_for = services.bucket_for
        assert bucket_for is not None

        def fetch() -> None:
            from ossbrowse.errors import OssBrowseError
            from ossbrowse.ops.versions import bucket_versioning

            try:
                found = bucket_versioning(bucket_for(name))
            except OssBrowseError:
                found = ""
            with _lock:
                _known[ident] = found
            if found:
                pane.post_message(PaneChanged(pane))

        pane.run_worker(fetch, thread=True, exit_on_error=False, group="versioning-note")
    note = NOTES.get(status or "")
    return [note] if note else []


def known_versioning(pane: Pane) -> str | None:
    """What the note knows of `pane`'s bucket ("Enabled", "Suspended", ""), None if not yet."""
    name = pane.path.removeprefix("oss://").split("/", 1)[0]
    with _lock:
        return _known.get((id(pane.services), name))


def overwrite_note(path: str) -> str:
    """What overwriting the object at `path` keeps billed, when its bucket is known to be
    versioned (any session of this process asked): "" otherwise."""
    if not path.startswith("oss://"):
        return ""
    name = path.removeprefix("oss://").split("/", 1)[0]
    with _lock:
        known = {status for (_, bucket), status in _known.items() if bucket == name}
    if "Enabled" in known:
        return "Versioning is on there: the previous version stays billed (an older version)."
    if "Suspended" in known:
        return "Versioning is suspended there: a null version is replaced, any other stays billed."
    return ""
