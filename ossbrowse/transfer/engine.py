"""The transfer engine: a queue of jobs, a bound on concurrent jobs and on parts in flight,
pause / resume / cancel, and events to one listener.

A job is a `Task` (kind "copy") of the one task model, run by the one `TaskRunner` (the
session's, when given) in its "transfer" lane of `jobs` threads; each walks its source
(streamed) and moves each file; the parts of every file, and whole small files, go to one
shared pool of `threads` workers, which is what bounds both the connections and the memory in
flight. Pause, resume and cancel are the task's own (`runner.pause(id)` works the same).
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, replace

from ossbrowse.errors import NotAFolder, NotFoundError, OssBrowseError, UsageError
from ossbrowse.fs.base import Entry, EntryKind
from ossbrowse.fs.gateway import objects
from ossbrowse.fs.retrying import DEFAULT_RETRY, RetryPolicy
from ossbrowse.tasks import INTERRUPTS, Event, Task, TaskRunner, TaskState
from ossbrowse.text import safe_text
from ossbrowse.transfer import conflict
from ossbrowse.transfer.checkpoint import CheckpointInfo, CheckpointStore
from ossbrowse.transfer.context import Context, PartPool
from ossbrowse.transfer.events import ConflictPolicy
from ossbrowse.transfer.failures import describe
from ossbrowse.transfer.locations import Location, parse_location, safe_relative_key
from ossbrowse.transfer.plan import DEFAULT_PART_SIZE
from ossbrowse.transfer.walk import Select, WalkItem, walk_local, walk_oss

BucketFor = Callable[[str], object]  # name -> the gateway's BucketHandle (OssClient.bucket)
LANE = "transfer"  # the runner's lane for copies: at most `jobs` of them run at once


@dataclass(frozen=True, slots=True)
class CopySpec:
    """What a copy task was asked to do (the engine's part of the task)."""

    src: Location
    dst: Location
    recursive: bool
    if_exists: ConflictPolicy
    resolve_conflict: Callable[[Entry, Entry], ConflictPolicy] | None
    # The files to move, when a caller chose them (a sync's copies) instead of a walk of `src`.
    items: Callable[[], Iterable[WalkItem]] | None = None
    select: Select | None = None  # a filter on a recursive copy's walk (see walk.Select)


class TransferEngine:
    """See docs/CONTRACTS.md. `bucket_for(name)` gives the gateway's bucket handle
    (`OssClient.bucket`: its client leaves oss2's CRC check off, the engine checks CRC64
    itself, faster and with the GIL released)."""

    def __init__(
        self,
        bucket_for: BucketFor,
        *,
        jobs: int = 2,
        threads: int = 4,
        part_size: int | None = None,
        state_dir: str | os.PathLike[str] | None = None,
        on_event: Callable[[Event], None] | None = None,
        checkpoints: bool = True,
        retry: RetryPolicy = DEFAULT_RETRY,
        runner: TaskRunner | None = None,
    ) -> None:
        self._bucket_for = bucket_for
        self._buckets: dict[str, object] = {}
        self._buckets_lock = threading.Lock()
        self.threads = max(1, threads)
        self.part_size = part_size
        self.store = CheckpointStore(state_dir)
        self._use_checkpoints = checkpoints
        self._retry = retry
        # The session's one runner when given (the UI's: copies beside moves and deletes);
        # else one of its own, which this engine shuts down with it.
        self._owns_runner = runner is None
        self.runner = runner if runner is not None else TaskRunner(on_event)
        if on_event is not None:
            self.runner.on_event = on_event
        self.runner.set_lane(LANE, jobs)
        self._pool = PartPool(self.threads)
        self._jobs: dict[str, Task] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def on_event(self) -> Callable[[Event], None] | None:
        return self.runner.on_event

    @on_event.setter
    def on_event(self, listener: Callable[[Event], None] | None) -> None:
        self.runner.on_event = listener

    # --- public API ----------------------------------------------------------------------

    def submit(
        self,
        src: str,
        dst: str,
        *,
        recursive: bool = False,
        if_exists: ConflictPolicy = ConflictPolicy.OVERWRITE,
        resolve_conflict: Callable[[Entry, Entry], ConflictPolicy] | None = None,
        select: Select | None = None,
        version_id: str = "",
    ) -> Task:
        """Queue a copy of `src` to `dst` (local paths or oss:// URLs). Malformed URLs and
        impossible combinations raise UsageError here, before anything is queued.

        `version_id` copies that version of the object `src` (a read-only source: pinned on
        every request, recorded in the checkpoint, so the same call resumes the same version).
        """
        if self._closed:
            raise UsageError("The transfer engine has been shut down.")
        src_loc, dst_loc = parse_location(src), parse_location(dst)
        if version_id:
            if not src_loc.is_oss or recursive or not src_loc.path or src_loc.path.endswith("/"):
                raise UsageError(
                    "A version id names one version of one object: give the object's "
                    "oss:// URL, without -r."
                )
            src_loc = replace(src_loc, version_id=version_id)
            src = src_loc.label
        if not src_loc.is_oss and not recursive and os.path.isdir(src_loc.path):
            raise UsageError(f"{src} is a folder.", hint="Add -r to copy it with what it holds.")
        if src_loc.is_oss and not recursive and (not src_loc.path or src_loc.path.endswith("/")):
            raise UsageError(f"{src} is a folder (a prefix).", hint="Add -r to copy what it holds.")
        spec = CopySpec(
            src_loc, dst_loc, recursive, ConflictPolicy(if_exists), resolve_conflict, select=select
        )
        return self._queue_copy(spec, src, dst)

    def submit_items(
        self,
        items: Callable[[], Iterable[WalkItem]],
        src: str,
        dst: str,
        *,
        if_exists: ConflictPolicy = ConflictPolicy.OVERWRITE,
    ) -> Task:
        """Queue one job moving the files `items()` yields (called on the runner thread), each
        with its own source and destination: a sync's copies, one job however many files.
        `src` and `dst` are the job's labels (local paths or oss:// URLs)."""
        if self._closed:
            raise UsageError("The transfer engine has been shut down.")
        spec = CopySpec(
            parse_location(src), parse_location(dst), True, ConflictPolicy(if_exists), None, items
        )
        return self._queue_copy(spec, src, dst)

    def _queue_copy(self, spec: CopySpec, src: str, dst: str) -> Task:
        # Its own kind: a retry or resume of a plain "copy" from its URL would copy the
        # current version instead.
        kind = "copy version" if spec.src.version_id else "copy"
        job = Task(kind, src, dst, scanning=spec.recursive)
        with self._lock:
            self._jobs[job.id] = job
        self.runner.submit(job, functools.partial(self._run, spec), lane=LANE)
        return job

    def jobs(self) -> list[Task]:
        with self._lock:
            return list(self._jobs.values())

    def job(self, job_id: str) -> Task:
        with self._lock:
            return self._jobs[job_id]

    def pause(self, job_id: str) -> None:
        self.job(job_id).pause()

    def resume(self, job_id: str) -> None:
        self.job(job_id).resume()

    def cancel(self, job_id: str) -> None:
        """Cancel: in-flight parts stop at their next chunk, the multipart upload is aborted,
        temporary files and checkpoints are removed."""
        self.job(job_id).cancel()

    def pause_all(self) -> None:
        for job in self.jobs():
            self.pause(job.id)

    def resume_all(self) -> None:
        for job in self.jobs():
            self.resume(job.id)

    def cancel_all(self) -> None:
        for job in self.jobs():
            self.cancel(job.id)

    def unfinished(self) -> list[CheckpointInfo]:
        """Transfers interrupted in earlier runs (or this one), from their checkpoints."""
        return self.store.list()

    def resume_unfinished(self, info: CheckpointInfo) -> Task:
        """Run an interrupted transfer again: the same source and destination find the same
        checkpoint, so only what is missing is sent."""
        return self.submit(info.src, info.dst, version_id=info.version_id)

    def clean_unfinished(self, info: CheckpointInfo) -> str | None:
        """Give up an interrupted transfer: abort its multipart upload, remove its temp file
        and its checkpoint -- under the transfer's lock (`leftovers.give_up`): TransferBusy,
        and nothing touched, while it is running. Returns a sentence about an upload left on
        OSS that could not be proven this transfer's (a damaged checkpoint), if any."""
        from ossbrowse.transfer.leftovers import give_up

        return give_up(self.store, info, self._abort_upload)

    def _abort_upload(self, info: CheckpointInfo) -> str | None:
        from ossbrowse.transfer.leftovers import abort_upload_of, has_upload_on_oss

        if not (has_upload_on_oss(info) and info.bucket):
            return None
        return abort_upload_of(self._bucket(info.bucket), info)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; running ones stop at their next chunk, keeping their checkpoints
        (they can be resumed later, as after a kill)."""
        self._closed = True
        jobs = self.jobs()
        for job in jobs:
            if not job.started:
                job.finish(TaskState.CANCELLED, "stopped: it can be resumed")
            job.stop()
        if self._owns_runner:
            self.runner.shutdown(wait=wait)
        elif wait:
            for job in jobs:
                job.wait()
        self._pool.shutdown(wait=wait)

    def __enter__(self) -> TransferEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    # --- running -------------------------------------------------------------------------

    def _bucket(self, name: str | None):
        """The bucket of an OSS location (`Location.bucket`; None would be a local one)."""
        if name is None:  # pragma: no cover - defensive: called for OSS locations only
            raise AssertionError("a local location has no bucket")
        with self._buckets_lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                bucket = self._buckets[name] = self._bucket_for(name)
            return bucket

    def _context(self, job: Task) -> Context:
        return Context(
            control=job.control,
            meter=job.meter,
            pool=self._pool,
            store=self.store if self._use_checkpoints else None,
            retry=self._retry,
            part_size=self.part_size,
            note=job.note,
            add_cleanup=job.add_cleanup,
        )

    def _items(self, spec: CopySpec):
        src, dst = spec.src, spec.dst
        if spec.items is not None:
            yield from spec.items()
            return
        if not src.is_oss and not os.path.lexists(src.path):
            # Said as stat says a missing key (was an internal FileNotFoundError).
            raise NotFoundError(f"{safe_text(src.path)} does not exist.", hint="Check the path.")
        if spec.recursive:
            if src.is_oss:
                yield from walk_oss(self._bucket(src.bucket), src, dst, spec.select)
            elif os.path.isdir(src.path):
                yield from walk_local(src, dst, spec.select)
            else:  # -r on a single file: copy it as cp -r does
                yield WalkItem(src, self._single_target(src, dst), os.path.getsize(src.path))
            return
        size = -1 if src.is_oss else os.path.getsize(src.path)
        target = self._single_target(src, dst)
        error = None
        if src.is_oss and not dst.is_oss and target != dst and not safe_relative_key(src.name):
            # `cp oss://b/x/.. dir/`: the key's last segment would name dir's parent (or dir).
            error = "its last segment is not a safe local file name; name the destination file"
        yield WalkItem(src, target, size, error=error)

    def _single_target(self, src: Location, dst: Location) -> Location:
        """`cp f dst`: dst itself, or dst/f when dst is a folder (trailing `/`, a bucket's
        top, or an existing local folder)."""
        if dst.is_oss:
            if not dst.path or dst.path.endswith("/"):
                return dst.child(src.name)
            return dst
        if dst.path.endswith(os.sep) or os.path.isdir(dst.path):
            return Location(None, os.path.join(dst.path, src.name))
        return dst

    def _run(self, spec: CopySpec, job: Task) -> None:
        """The body of a copy task (on a runner thread): a file's failure is counted on the
        task, so a folder goes on; the runner ends it FAILED with how many."""
        ctx = self._context(job)
        small = self.part_size or DEFAULT_PART_SIZE
        pending: list[Future] = []
        for item in self._items(spec):
            job.control.gate()
            with job.lock:
                job.files_total += 1
            if item.size > 0:
                job.meter.add_total(item.size)
            if 0 <= item.size < small:
                # Small files go to the pool whole, so a folder of small files moves in
                # parallel; big ones run here, their parts in the pool.
                pending.append(
                    self._pool.submit(
                        job.control, functools.partial(self._file, spec, job, ctx, item)
                    )
                )
                pending = [f for f in pending if not f.done() or f.exception() is not None]
            else:
                self._file(spec, job, ctx, item)
        with job.lock:
            job.scanning = False
        interrupted: BaseException | None = None
        for future in pending:
            try:
                future.result()
            except INTERRUPTS as exc:
                interrupted = interrupted or exc
        if interrupted is not None:
            raise interrupted
        job.control.check()

    def _file(self, spec: CopySpec, job: Task, ctx: Context, item: WalkItem) -> None:
        """Move one file; a failure is recorded, not raised, so a folder goes on."""
        with job.lock:
            job.current = item.src.url
            if item.skipped:
                job.files_done += 1
                job.files_skipped += 1
                job.note_skipped(f"skipped {item.src.url}: {item.skipped}")
                return
        try:
            if item.error:
                raise OssBrowseError(f"{safe_text(item.src.url)}: {item.error}; skipped.")
            moved = self._move(spec, job, ctx, item)
        except INTERRUPTS:
            raise
        except Exception as exc:
            error = exc if isinstance(exc, OssBrowseError) else describe(exc, action="copy")
            with job.lock:
                job.fail_item(item.src.url, item.dst.url, str(error))
                job.files_done += 1
            if not spec.recursive:
                raise error from exc
            return
        with job.lock:
            job.files_done += 1
            if not moved:
                job.files_skipped += 1

    def _move(self, spec: CopySpec, job: Task, ctx: Context, item: WalkItem) -> bool:
        from ossbrowse.transfer.download import download_object, head
        from ossbrowse.transfer.localcopy import copy_local
        from ossbrowse.transfer.servercopy import copy_object
        from ossbrowse.transfer.upload import upload_file

        src, dst = item.src, item.dst
        if item.is_folder_marker:
            if dst.is_oss:
                key = dst.path if dst.path.endswith("/") else dst.path + "/"
                bucket = self._bucket(dst.bucket)
                ctx.retry.call(lambda: objects.put_object(bucket, key, b""), ctx.control)
            else:
                _make_folder(dst.path)
            return True

        info = None
        if src.is_oss:
            info = head(ctx, self._bucket(src.bucket), src.path, src.version_id)
            if item.size < 0:
                job.meter.add_total(info.size)
        elif item.size < 0:
            job.meter.add_total(os.path.getsize(src.path))

        target = self._resolve_conflict(spec, job, src, dst, info)
        if target is None:
            size = info.size if info else max(item.size, 0)
            job.meter.add(size)  # skipped bytes count as done, so the bar reaches its end
            return False
        dst = target

        if not src.is_oss and dst.is_oss:
            upload_file(ctx, src.path, self._bucket(dst.bucket), dst.path)
        elif src.is_oss and not dst.is_oss:
            _make_parent_folder(dst.path)
            download_object(
                ctx, self._bucket(src.bucket), src.path, dst.path, info, version_id=src.version_id
            )
        elif src.is_oss and dst.is_oss:
            copy_object(
                ctx, self._bucket(src.bucket), src.path, self._bucket(dst.bucket), dst.path, info,
                version_id=src.version_id,
            )  # fmt: skip
        else:
            _make_parent_folder(dst.path)
            copy_local(ctx, src.path, dst.path)
        return True

    # --- conflicts -----------------------------------------------------------------------

    def _entry(self, loc: Location, info=None) -> Entry | None:
        if not loc.is_oss:
            return conflict.local_entry(loc.path)
        if info is None:
            try:
                info = objects.head(self._bucket(loc.bucket), loc.path)
            except NotFoundError:
                return None
        return Entry(
            name=loc.name,
            path=loc.url,
            kind=EntryKind.FILE,
            size=info.size,
            mtime=info.mtime,
            storage_class=info.storage_class,
            etag=info.etag,
            crc64=info.crc64,
        )

    def _exists(self, loc: Location) -> bool:
        return self._entry(loc) is not None

    def _resolve_conflict(self, spec: CopySpec, job: Task, src: Location, dst: Location, info):
        """Where to write (dst, or a `name (1)` beside it), or None to skip this file."""
        policy = spec.if_exists
        if policy is ConflictPolicy.OVERWRITE:
            return dst
        try:
            existing = self._entry(dst)
        except Exception as exc:
            raise describe(exc, action="oss:HeadObject", bucket=dst.bucket, key=dst.path) from exc
        if existing is None:
            return dst
        source = self._entry(src, info)
        if source is None:
            return dst
        if policy is ConflictPolicy.ASK:
            with job.ask_lock:  # one question at a time, in the order files come
                policy = conflict.resolve(policy, source, existing, spec.resolve_conflict)
        if policy is ConflictPolicy.SKIP:
            return None
        if policy is ConflictPolicy.SAME:

            def crc_of(entry: Entry) -> int | None:
                if entry.path.startswith("oss://"):
                    return entry.crc64
                return conflict.file_crc64(entry.path)

            return None if conflict.same_content(source, existing, crc_of) else dst
        if policy is ConflictPolicy.KEEP_BOTH:
            if dst.is_oss:
                key = conflict.free_name(dst.path, lambda k: self._exists(Location(dst.bucket, k)))
                return Location(dst.bucket, key)
            return Location(None, conflict.free_name(dst.path, os.path.exists, os.sep))
        return dst


def _make_folder(path: str) -> None:
    """`os.makedirs`, saying which file stands where a folder must be. Two entries `a` and `a/b`
    copied down in parallel clash whichever lands first: `a/b` finds the file `a` (makedirs
    raises FileExistsError), or `a` finds the folder (IsADirectoryError); both must read as the
    clash they are, not as "already exists"."""
    try:
        os.makedirs(path, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = path
        while blocker and not os.path.isfile(blocker):
            parent = os.path.dirname(blocker)
            if parent == blocker:
                break
            blocker = parent
        raise NotAFolder(
            f"{safe_text(blocker or path)} is a file, not a folder, so nothing can be put in it.",
            hint="Move the file away or copy to another destination.",
        ) from None


def _make_parent_folder(path: str) -> None:
    _make_folder(os.path.dirname(path) or ".")
