"""Edit an object: download to a private temp file, run $VISUAL/$EDITOR, check, upload whole.

OSS has no in-place edit. The object is downloaded, edited locally and uploaded whole again;
the size is said (through `confirm_upload`) before the upload. Before uploading, the object is
HEADed again: if its ETag changed, someone else wrote it meanwhile, and `on_conflict` chooses
keep-both (the edit goes to a new name beside it), overwrite, or cancel. An edit that only
appends to an Appendable object is sent with AppendObject (only the new bytes travel). A
cancelled or refused upload keeps the edited file and says where it is: work is never lost.
"""

from __future__ import annotations

import enum
import hashlib
import os
import posixpath
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ossbrowse import errors
from ossbrowse.errors import OssBrowseError
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.listing import info_from_head
from ossbrowse.ops.pricing import Price, price_edit
from ossbrowse.text import needs_escape, safe_text


class EditOutcome(enum.Enum):
    UNCHANGED = "unchanged"
    UPLOADED = "uploaded"
    APPENDED = "appended"
    KEPT_BOTH = "kept both"
    CANCELLED = "cancelled"


class Conflict(enum.Enum):
    KEEP_BOTH = "keep-both"
    OVERWRITE = "overwrite"
    CANCEL = "cancel"


@dataclass
class EditResult:
    outcome: EditOutcome
    key: str  # where the edit landed (a new name for keep-both)
    size: int
    local_path: Path | None = None  # kept when the edit was not uploaded


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """$VISUAL, else $EDITOR, else vi; split like a shell would (an editor may take flags)."""
    env = os.environ if env is None else env
    text = env.get("VISUAL") or env.get("EDITOR") or "vi"
    return shlex.split(text)


def local_name(key: str) -> str:
    """A file name for the temp copy: the key's last segment, made harmless."""
    name = posixpath.basename(key.rstrip("/")) or "object"
    name = "".join("_" if needs_escape(ch) or ch in "/\\" else ch for ch in name)
    if name in (".", ".."):
        name = "object"
    return name[:200]


def keep_both_key(key: str, now: float | None = None) -> str:
    """`dir/report.txt` -> `dir/report (edited 2025-01-02 101530).txt`."""
    stamp = time.strftime("%Y-%m-%d %H%M%S", time.localtime(now))
    head, tail = posixpath.split(key)
    stem, ext = posixpath.splitext(tail)
    return (
        posixpath.join(head, f"{stem} (edited {stamp}){ext}")
        if head
        else (f"{stem} (edited {stamp}){ext}")
    )


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _starts_with(path: Path, original: Path) -> bool:
    size = original.stat().st_size
    if path.stat().st_size <= size:
        return False
    with open(path, "rb") as a, open(original, "rb") as b:
        while True:
            chunk = b.read(1 << 20)
            if not chunk:
                return True
            if a.read(len(chunk)) != chunk:
                return False


def _upload_headers(head) -> dict[str, str]:
    """What the replaced object had and the new one should keep: type, class, user metadata."""
    keep = {}
    for name, value in head.headers.items():
        lower = name.lower()
        if lower.startswith("x-oss-meta-") or lower in (
            "content-type",
            "x-oss-storage-class",
            "content-disposition",
            "cache-control",
            "content-encoding",
        ):
            keep[name] = value
    return keep


def _archived_error(key: str, obj: ObjectRecord) -> OssBrowseError:
    cls = getattr(errors, "ArchivedObjectError", OssBrowseError)
    return cls(
        f"{safe_text(key)} is a {obj.storage_class} object that is not restored: it cannot be "
        "read yet.",
        hint="Restore it first (key r, or ossbrowse restore).",
    )


def open_in_editor(command: list[str]) -> None:
    """Run the editor to its end; a missing editor is an error that says what to set."""
    try:
        subprocess.run(command, check=False)
    except FileNotFoundError as exc:
        raise OssBrowseError(
            f"The editor {safe_text(command[0])} was not found.",
            hint="Set $VISUAL or $EDITOR to an editor that is installed.",
        ) from exc


def edit_object(
    bucket,
    key: str,
    *,
    editor: list[str] | None = None,
    run_editor: Callable[[list[str]], None] | None = None,
    confirm_upload: Callable[[Price], bool] | None = None,
    on_conflict: Callable[[ObjectRecord, ObjectRecord | None], Conflict] | None = None,
    read_only: bool = False,
    workdir: str | os.PathLike | None = None,
) -> EditResult:
    """The whole edit flow for one object; blocking (the UI runs it with the app suspended)."""
    ensure_writable(read_only, "edit objects")

    def head(k: str):
        try:
            return objects.head_answer(bucket, k)
        except errors.NotFoundError:
            return None

    first = head(key)
    if first is None:
        raise getattr(errors, "NoSuchKey", OssBrowseError)(
            f"{safe_text(key)} does not exist.", hint="Reload the folder (Ctrl+R)."
        )
    before = info_from_head(key, first)
    if not before.restore.readable:
        raise _archived_error(key, before)
    tmpdir = Path(tempfile.mkdtemp(prefix="ossbrowse-edit-", dir=workdir))
    path = tmpdir / local_name(key)
    original = tmpdir / ".original"
    keep_file = False
    try:
        objects.get_object_to_file(bucket, key, str(path), if_match=before.etag)
        shutil.copyfile(path, original)
        digest = _digest(path)
        (run_editor or open_in_editor)([*(editor or editor_command()), str(path)])
        if not path.exists():
            return EditResult(EditOutcome.UNCHANGED, key, before.size)
        new_size = path.stat().st_size
        if _digest(path) == digest:
            return EditResult(EditOutcome.UNCHANGED, key, before.size)
        from ossbrowse.ops.versions import versioning_for_price

        price = price_edit(before, new_size, versioning=versioning_for_price(bucket))
        if confirm_upload is not None and not confirm_upload(price):
            keep_file = True
            return EditResult(EditOutcome.CANCELLED, key, new_size, path)
        second = head(key)
        target = key
        now = info_from_head(key, second) if second is not None else None
        changed = now is None or now.etag.upper() != before.etag.upper()
        if changed:
            choice = on_conflict(before, now) if on_conflict else Conflict.KEEP_BOTH
            if choice is Conflict.CANCEL:
                keep_file = True
                return EditResult(EditOutcome.CANCELLED, key, new_size, path)
            if choice is Conflict.KEEP_BOTH:
                target = keep_both_key(key)
        try:
            if not changed and before.object_type == "Appendable" and _starts_with(path, original):
                with open(path, "rb") as f:
                    f.seek(before.size)
                    objects.append_object(bucket, key, before.size, f.read())
                return EditResult(EditOutcome.APPENDED, key, new_size)
            objects.put_object_from_file(bucket, target, str(path), _upload_headers(first))
        except OssBrowseError as exc:
            keep_file = True
            raise OssBrowseError(
                f"{exc} Your edit is kept in {path}.", hint="Upload it again when OSS answers."
            ) from exc
        outcome = EditOutcome.KEPT_BOTH if target != key else EditOutcome.UPLOADED
        return EditResult(outcome, target, new_size)
    finally:
        original.unlink(missing_ok=True)
        if not keep_file:
            shutil.rmtree(tmpdir, ignore_errors=True)
