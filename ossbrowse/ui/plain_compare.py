"""Two plain folders compared (no mount declared): the mount compare's pairing, plain words.

Without a mount, a difference is not "not flushed": it is a file only on one side, of another
size, or changed later on one side. A same-size file whose local copy is older than the
object is the same for this purpose (uploading a file makes an object newer than it), so only
a local copy modified after the upload counts as a time difference. No Textual here.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ossbrowse.mount.compare import CompareEntry, Mark
from ossbrowse.ui.rows import human_size

PLAIN_LABELS = {
    Mark.ONLY_IN_MOUNT: "only local",
    Mark.ONLY_IN_BUCKET: "only in OSS",
    Mark.SIZE_DIFFERS: "size differs",
    Mark.MTIME_DIFFERS: "newer local",
    Mark.CRC_DIFFERS: "content differs",
    Mark.FOLDER_MARKER: "folder marker",
    Mark.ARCHIVED: "archived",
    Mark.UNREADABLE: "unreadable",
    Mark.OPEN_FOR_WRITING: "being written",
    Mark.INCOMPLETE_UPLOAD: "upload pending",
}


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts)) if ts else "-"


def label(entry: CompareEntry, plain: bool) -> str:
    if plain:
        return PLAIN_LABELS.get(entry.mark, entry.mark.label)
    return entry.mark.label


def plain_entry(entry: CompareEntry) -> CompareEntry | None:
    """The entry in plain words, or None when two plain folders agree on it."""
    local, remote = entry.local, entry.remote
    mark = entry.mark
    if mark in (Mark.SAME, Mark.NO_METADATA, Mark.FOLDER_MARKER):
        return None
    if mark is Mark.ONLY_IN_MOUNT:
        what = "folder" if local is not None and local.is_dir else "file"
        return replace(entry, marks=(mark,), reason=f"{what} only in the local folder")
    if mark is Mark.ONLY_IN_BUCKET:
        return replace(entry, marks=(mark,), reason="only in the OSS prefix")
    if mark in (Mark.SIZE_DIFFERS, Mark.MTIME_DIFFERS, Mark.CRC_DIFFERS) and local and remote:
        local_time, remote_time = local.mtime or 0.0, remote.mtime or 0.0
        if mark is Mark.MTIME_DIFFERS and local_time <= remote_time:
            return None  # uploaded after it was last changed: the same file
        sizes = f"local {human_size(local.size)}, OSS {human_size(remote.size)}"
        times = f"local changed {_when(local_time)}, OSS written {_when(remote_time)}"
        if mark is Mark.SIZE_DIFFERS:
            reason = f"{sizes}; {times}"
        elif mark is Mark.CRC_DIFFERS:
            reason = f"same size, other content; {times}"
        else:
            reason = f"same size, changed locally after the upload; {times}"
        return replace(entry, marks=(mark,), reason=reason)
    return entry  # archived, unreadable: the reason says it plainly already
