"""Fault scenarios, one transfer each, with the campaign's invariants checked after it.

Every scenario ends either complete with its content verified (bytes and CRC64), or failed
with a reason, leaving no wrong or half-written file or object under its final name and no
multipart upload behind; a failed one is then run again without the fault and must complete.
Used by `tests/campaign` (small, bounded) and `stress/campaign.py` (long, seeded).
"""

from __future__ import annotations

import itertools
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_FRESH = itertools.count(1)
PART = 102_400  # the smallest part OSS takes: many parts from small files

FAULTS = {
    "reset": "put_object|upload_part|get_object|upload_part_copy|copy_object:reset_after={n}:p=0.3",
    "500": "*:status=500:p=0.25",
    "503": "*:status=503:p=0.25",
    "latency": "*:latency=0.3:p=0.1",
    "corrupt": "put_object|upload_part|get_object:corrupt:p=0.3",
    # An outage that outlasts the retries of the first request, then ends: fail, then resume.
    "storm": "*:status=503:count=7",
}
DIRECTIONS = ("upload", "download", "copy", "move", "flush")


@dataclass
class Outcome:
    """One run: `completed` means the data reached its destination, verified (perhaps after a
    resume); `failed_first` that the first attempt was reported as failed, with `reason`."""

    scenario: str
    completed: bool
    failed_first: bool = False
    reason: str = ""
    problem: str = ""  # a broken invariant; empty when the run survived

    @property
    def survived(self) -> bool:
        return self.completed and not self.problem


class Harness:
    """An emulator (in this process) plus the bucket and engine factories a scenario needs."""

    def __init__(self, server, workdir: Path, seed: int) -> None:
        import oss2

        self.server = server
        self.workdir = Path(workdir)
        self.rng = random.Random(seed)
        self.auth = oss2.Auth(server.access_key_id, server.access_key_secret)
        self._buckets: dict[str, object] = {}
        self.bucket_name = f"campaign-{seed % 100000}-{os.getpid() % 10000}"
        server.create_bucket(self.bucket_name)
        self.bucket = self.bucket_for(self.bucket_name)
        self._n = 0

    def bucket_for(self, name: str):
        import oss2

        if name not in self._buckets:
            self._buckets[name] = oss2.Bucket(
                self.auth, self.server.endpoint, name, enable_crc=False
            )
        return self._buckets[name]

    def engine(self, **kw):
        from ossbrowse.fs.retrying import RetryPolicy
        from ossbrowse.transfer import TransferEngine

        kw.setdefault("part_size", PART)
        kw.setdefault("threads", 4)
        kw.setdefault("state_dir", self.workdir / "state")
        kw.setdefault("retry", RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05))
        return TransferEngine(self.bucket_for, **kw)

    def fresh(self, stem: str) -> str:
        return f"{stem}-{next(_FRESH)}"  # unique in the process, across harnesses

    def data(self) -> bytes:
        size = self.rng.choice([0, 1, 5_000, PART - 1, PART + 1, 3 * PART + 7, 12 * PART])
        return self.rng.randbytes(size)

    def set_faults(self, spec: str) -> None:
        self.server.faults.clear()
        self.server.faults.reseed(self.rng.randrange(1 << 30))
        for rule in spec.split(","):
            self.server.faults.add(rule)

    def uploads_left(self) -> list[str]:
        return [u.key for u in self.bucket.list_multipart_uploads().upload_list]

    def object_bytes(self, key: str) -> bytes | None:
        import oss2

        try:
            return self.bucket.get_object(key).read()
        except oss2.exceptions.NoSuchKey:
            return None

    def object_crc_ok(self, key: str, data: bytes) -> bool:
        from ossbrowse.crc64 import crc64

        head = self.bucket.head_object(key)
        return head.server_crc in (None, crc64(data)) and head.content_length == len(data)


def fault_spec(name: str, rng: random.Random) -> str:
    return FAULTS[name].format(n=rng.choice([1, 1000, 65_536]))


def run_transfer(h: Harness, direction: str, fault: str) -> Outcome:
    """One transfer in `direction` through the fault `fault`; see the module docstring."""
    scenario = f"{direction} / {fault}"
    data = h.data()
    try:
        return _DIRECTION[direction](h, scenario, data, fault_spec(fault, h.rng))
    finally:
        h.server.faults.clear()


def _engine_run(h, src, dst, **kw):
    engine = h.engine()
    try:
        job = engine.submit(src, dst, **kw)
        if not job.wait(120):
            return None
        return job
    finally:
        engine.shutdown(wait=True)


def _upload(h, scenario, data, spec) -> Outcome:
    path = h.workdir / h.fresh("up")
    path.write_bytes(data)
    key = h.fresh("up")
    h.set_faults(spec)
    job = _engine_run(h, str(path), f"oss://{h.bucket_name}/{key}")
    h.server.faults.clear()
    return _judge_oss(h, scenario, job, key, data, lambda: _engine_run(h, str(path), _url(h, key)))


def _url(h, key):
    return f"oss://{h.bucket_name}/{key}"


def _judge_oss(h, scenario, job, key, data, again) -> Outcome:
    if job is None:
        return Outcome(scenario, False, problem="the transfer hung")
    out = Outcome(scenario, False)
    if job.state.name != "DONE":
        out.failed_first, out.reason = True, job.error or ""
        if not out.reason:
            out.problem = "failed without a reason"
        current = h.object_bytes(key)
        if current is not None and current != data:
            # A copy can land and its check then fail: whole and right is fine, wrong is not.
            out.problem = out.problem or "a failed transfer left a wrong object under its name"
        job = again()
        if job is None or job.state.name != "DONE":
            out.problem = out.problem or f"the resume failed too: {job and job.error}"
            return out
    got = h.object_bytes(key)
    if got != data or not h.object_crc_ok(key, data):
        out.problem = out.problem or "the object does not hold the source's bytes"
        return out
    if h.uploads_left():
        out.problem = out.problem or f"multipart uploads left behind: {h.uploads_left()}"
    out.completed = True
    return out


def _download(h, scenario, data, spec) -> Outcome:
    key = h.fresh("down")
    h.bucket.put_object(key, data)
    folder = h.workdir / h.fresh("dl")
    folder.mkdir()
    dest = folder / "file.bin"
    h.set_faults(spec)
    job = _engine_run(h, _url(h, key), str(dest))
    h.server.faults.clear()
    if job is None:
        return Outcome(scenario, False, problem="the transfer hung")
    out = Outcome(scenario, False)
    if job.state.name != "DONE":
        out.failed_first, out.reason = True, job.error or ""
        if not out.reason:
            out.problem = "failed without a reason"
        if dest.exists():
            out.problem = out.problem or "a failed download left a file under its final name"
        job = _engine_run(h, _url(h, key), str(dest))
        if job is None or job.state.name != "DONE":
            out.problem = out.problem or f"the resume failed too: {job and job.error}"
            return out
    if dest.read_bytes() != data:
        out.problem = out.problem or "the file does not hold the object's bytes"
        return out
    if sorted(os.listdir(folder)) != ["file.bin"]:
        out.problem = out.problem or f"temp files left: {os.listdir(folder)}"
    out.completed = True
    return out


def _copy(h, scenario, data, spec) -> Outcome:
    src, dst = h.fresh("cpsrc"), h.fresh("cpdst")
    h.bucket.put_object(src, data)
    h.set_faults(spec)
    job = _engine_run(h, _url(h, src), _url(h, dst))
    h.server.faults.clear()
    out = _judge_oss(
        h, scenario, job, dst, data, lambda: _engine_run(h, _url(h, src), _url(h, dst))
    )
    if h.object_bytes(src) != data:
        out.problem = out.problem or "the copy's source changed"
    return out


def _move(h, scenario, data, spec) -> Outcome:
    """A folder move (copy + delete per key, journaled): every object is at its source or its
    destination, intact, at every point; a re-run finishes what a failure left."""
    from ossbrowse.ops.rename import plan_move, run_move

    src, dst = h.fresh("mvsrc") + "/", h.fresh("mvdst") + "/"
    files = {f"f{i}": data[i * 7 :] for i in range(3)}
    for name, body in files.items():
        h.bucket.put_object(src + name, body)
    journals = h.workdir / "journals"
    journals.mkdir(exist_ok=True)
    out = Outcome(scenario, False)
    h.set_faults(spec)
    try:
        plan = plan_move(h.bucket, src, h.bucket, dst)
        report = run_move(plan, threads=4, directory=journals)
        complete = report.complete
        reason = "; ".join(f"{k}: {r}" for k, r in report.failed)
    except Exception as exc:  # a fault outlasting the retries in the plan's listing
        complete, reason = False, str(exc)
    h.server.faults.clear()
    for name, body in files.items():
        at_src, at_dst = h.object_bytes(src + name), h.object_bytes(dst + name)
        if body not in (at_src, at_dst) or (at_dst is not None and at_dst != body):
            out.problem = f"{name} lost or damaged mid-move"
            return out
    if not complete:
        out.failed_first, out.reason = True, reason
        if not reason:
            out.problem = "failed without a reason"
        plan = plan_move(h.bucket, src, h.bucket, dst)
        if plan.movable:
            report = run_move(plan, threads=4, directory=journals)
            if not report.complete:
                out.problem = out.problem or f"the re-run failed too: {report.failed}"
                return out
    for name, body in files.items():
        if h.object_bytes(dst + name) != body or h.object_bytes(src + name) is not None:
            out.problem = out.problem or f"{name} not moved intact"
            return out
    out.completed = True
    return out


def _flush(h, scenario, data, spec) -> Outcome:
    """A flush-on-close writer: after a failure the object is absent (never partial)."""
    from ossbrowse.fs.retrying import RetryPolicy
    from ossbrowse.transfer import open as oss_open

    key = h.fresh("flush")
    retry = RetryPolicy(attempts=6, base_delay=0.01, max_delay=0.05)
    out = Outcome(scenario, False)

    def write() -> str:
        try:
            with oss_open(_url(h, key), "wb", bucket_for=h.bucket_for, part_size=PART,
                          retry=retry) as f:  # fmt: skip
                for start in range(0, len(data), 50_000):
                    f.write(data[start : start + 50_000])
        except Exception as exc:
            return str(exc) or type(exc).__name__
        return ""

    h.set_faults(spec)
    error = write()
    h.server.faults.clear()
    if error:
        out.failed_first, out.reason = True, error
        if h.object_bytes(key) is not None:
            out.problem = "a failed write left an object under its name"
        if h.uploads_left():
            out.problem = out.problem or "a failed write left a multipart upload"
        error = write()
        if error:
            out.problem = out.problem or f"the re-write failed too: {error}"
            return out
    if h.object_bytes(key) != data or not h.object_crc_ok(key, data):
        out.problem = out.problem or "the object does not hold what was written"
        return out
    if h.uploads_left():
        out.problem = out.problem or "multipart uploads left behind"
    out.completed = True
    return out


_DIRECTION = {
    "upload": _upload,
    "download": _download,
    "copy": _copy,
    "move": _move,
    "flush": _flush,
}


# --- the client killed, the disk full, the source changing, a cancel ----------------------


def verb_env(server, home: Path, endpoint: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSS_", "ALIBABA_CLOUD_"))}
    env.update(
        OSS_ACCESS_KEY_ID=server.access_key_id,
        OSS_ACCESS_KEY_SECRET=server.access_key_secret,
        OSS_ENDPOINT=endpoint or server.endpoint,
        XDG_STATE_HOME=str(home / "xdg-state"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        OSSBROWSE_CONFIG=str(home / "no-config.toml"),
        HOME=str(home),
    )
    return env


def cp_command(src: str, dst: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ossbrowse", "cp", src, dst, "--part-size", str(PART),
            "--threads", "2", "-q", *extra]  # fmt: skip


def kill_and_resume(h: Harness, direction: str) -> Outcome:
    """`ossbrowse cp` killed with SIGKILL at a random moment (inside a part, while writing a
    checkpoint, ...), then run again: it must complete, verified, with nothing left over."""
    scenario = f"SIGKILL mid-{direction}, then resume"
    data = h.rng.randbytes(h.rng.choice([8, 16, 24]) * PART + h.rng.randrange(PART))
    home = h.workdir / h.fresh("home")
    home.mkdir()
    env = verb_env(h.server, home)
    key = h.fresh("kill")
    folder = h.workdir / h.fresh("killdl")
    folder.mkdir()
    local = folder / "file.bin"
    if direction == "upload":
        local.write_bytes(data)
        src, dst = str(local), _url(h, key)
        h.set_faults("upload_part:latency=0.03")
    else:
        h.bucket.put_object(key, data)
        src, dst = _url(h, key), str(local)
        h.set_faults("get_object:latency=0.03")
    proc = subprocess.Popen(cp_command(src, dst), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(h.rng.uniform(0.3, 1.6))  # start-up takes ~0.3 s; then anywhere in the copy
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    h.server.faults.clear()
    out = Outcome(scenario, False)
    if direction == "upload" and h.object_bytes(key) not in (None, data):
        out.problem = "a killed upload left a wrong object"
    if direction == "download" and local.exists() and local.read_bytes() != data:
        out.problem = "a killed download left a wrong file under its name"
    again = subprocess.run(cp_command(src, dst), env=env, capture_output=True, timeout=120)
    if again.returncode != 0:
        out.problem = out.problem or f"the resume failed: {again.stderr[-300:]!r}"
        return out
    got = h.object_bytes(key) if direction == "upload" else local.read_bytes()
    if got != data:
        out.problem = out.problem or "the resumed copy is wrong"
        return out
    if direction == "download" and sorted(os.listdir(folder)) != ["file.bin"]:
        out.problem = out.problem or f"temp files left: {os.listdir(folder)}"
    if h.uploads_left():
        out.problem = out.problem or "multipart uploads left behind"
    listed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers"], env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    if "No unfinished transfers" not in listed.stdout:
        out.problem = out.problem or "a checkpoint was left behind"
    out.completed = True
    shutil.rmtree(home, ignore_errors=True)
    return out


def disk_full(h: Harness) -> Outcome:
    """A download into a file size limit (RLIMIT_FSIZE in the child): reported, nothing left
    in the destination folder; without the limit it completes."""
    import resource

    scenario = "disk full on download"
    data = h.rng.randbytes(h.rng.choice([3, 8]) * PART + 11)
    limit = h.rng.randrange(1, len(data))
    key = h.fresh("full")
    h.bucket.put_object(key, data)
    home = h.workdir / h.fresh("home")
    home.mkdir()
    env = verb_env(h.server, home)
    folder = h.workdir / h.fresh("fulldl")
    folder.mkdir()

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    first = subprocess.run(cp_command(_url(h, key), f"{folder}/"), env=env, capture_output=True,
                           timeout=60, preexec_fn=limited)  # fmt: skip
    out = Outcome(scenario, False, failed_first=first.returncode != 0)
    out.reason = first.stderr.decode(errors="replace").strip()
    if first.returncode == 0:
        out.problem = "a download larger than the limit claimed success"
    elif b"Free some space" not in first.stderr:
        out.problem = f"the failure does not say the disk is full: {out.reason}"
    if os.listdir(folder):
        out.problem = out.problem or f"left in the destination: {os.listdir(folder)}"
    again = subprocess.run(cp_command(_url(h, key), f"{folder}/"), env=env, capture_output=True,
                           timeout=60)  # fmt: skip
    if again.returncode != 0 or (folder / key).read_bytes() != data:
        out.problem = out.problem or "the download without the limit failed"
        return out
    out.completed = True
    return out


def source_changed(h: Harness) -> Outcome:
    """A file rewritten while it is uploaded: the object is one whole version or nothing
    (SourceChanged reported); the upload run again then holds the file's current bytes."""
    scenario = "source changed during upload"
    size = h.rng.choice([6, 12]) * PART + 5
    first, second = h.rng.randbytes(size), h.rng.randbytes(size)
    path = h.workdir / h.fresh("changing")
    path.write_bytes(first)
    key = h.fresh("changing")
    h.set_faults("upload_part|put_object:latency=0.05")

    def rewrite() -> None:
        time.sleep(h.rng.uniform(0.0, 0.3))
        with open(path, "r+b") as f:  # in place: same inode, same size, new bytes
            f.write(second)

    writer = threading.Thread(target=rewrite)
    writer.start()
    job = _engine_run(h, str(path), _url(h, key))
    writer.join()
    h.server.faults.clear()
    out = Outcome(scenario, False)
    if job is None:
        out.problem = "the upload hung"
        return out
    got = h.object_bytes(key)
    if got not in (None, first, second):
        out.problem = "the object mixes two versions of the file"
    if job.state.name != "DONE":
        out.failed_first, out.reason = True, job.error or ""
        if got is not None:
            out.problem = out.problem or "a failed upload left an object"
    if h.uploads_left():
        out.problem = out.problem or "multipart uploads left behind"
    job = _engine_run(h, str(path), _url(h, key))
    if job is None or job.state.name != "DONE" or h.object_bytes(key) != second:
        out.problem = out.problem or "the upload run again is wrong"
        return out
    out.completed = True
    return out


def cancel_midway(h: Harness) -> Outcome:
    """Cancel at a random moment: no object under the name (unless it finished first), no
    multipart upload left, no checkpoint."""
    scenario = "cancel mid-upload"
    data = h.rng.randbytes(16 * PART)
    path = h.workdir / h.fresh("cancel")
    path.write_bytes(data)
    key = h.fresh("cancel")
    h.set_faults("upload_part:latency=0.05")
    engine = h.engine()
    try:
        job = engine.submit(str(path), _url(h, key))
        time.sleep(h.rng.uniform(0.0, 0.5))
        engine.cancel(job.id)
        finished = job.wait(60)
    finally:
        engine.shutdown(wait=True)
        h.server.faults.clear()
    out = Outcome(scenario, False, failed_first=job.state.name != "DONE", reason="cancelled")
    if not finished:
        out.problem = "the cancel did not finish the job"
    got = h.object_bytes(key)
    if job.state.name == "DONE":
        if got != data:
            out.problem = out.problem or "a finished upload is wrong"
    elif got is not None:
        out.problem = out.problem or "a cancelled upload left an object"
    if h.uploads_left():
        out.problem = out.problem or "a cancelled upload left its multipart upload"
    if engine.unfinished():
        out.problem = out.problem or "a cancelled upload left its checkpoint"
    out.completed = not out.problem
    return out


# --- the server stopped and restarted mid-transfer ------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`ossbrowse serve --root DIR` in a child process, restartable on the same port."""

    def __init__(self, root: Path, bucket: str, faults: str | None = None) -> None:
        self.root, self.bucket, self.faults = root, bucket, faults
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.access_key_id, self.access_key_secret = "ossbrowse", "ossbrowse-secret"

    def start(self) -> None:
        args = [sys.executable, "-m", "ossbrowse", "serve", "--root", str(self.root),
                "--port", str(self.port), "--create-bucket", self.bucket]  # fmt: skip
        if self.faults:
            args += ["--faults", self.faults]
        # The server's log goes to a file beside its root (a pipe nobody reads could fill and
        # stall it); `log_tail()` puts its last lines into a problem's description.
        self.log = self.root.parent / "serve.log"
        for _ in range(50):  # the old socket may linger a moment after a kill
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log)
            line = self.proc.stdout.readline()
            if line.startswith(b"OSS endpoint:"):
                return
            self.proc.wait()
            time.sleep(0.1)
        raise RuntimeError("ossbrowse serve did not start")

    def log_tail(self, limit: int = 1500) -> str:
        try:
            return self.log.read_bytes()[-limit:].decode(errors="replace")
        except OSError:
            return ""

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(10)
        self.proc = None


def server_restart(h: Harness, direction: str, workdir: Path | None = None) -> Outcome:
    """The server (a child with --root) killed mid-transfer and started again after a pause:
    the client's retries may carry it through; else it fails with a reason and the same
    command run again completes."""
    import oss2

    scenario = f"server restarted mid-{direction}"
    base = Path(tempfile.mkdtemp(dir=workdir or h.workdir))
    server = ServeProcess(base / "root", "restart", faults="upload_part|get_object:latency=0.03")
    server.start()
    out = Outcome(scenario, False)
    try:
        bucket = oss2.Bucket(oss2.Auth(server.access_key_id, server.access_key_secret),
                             server.endpoint, "restart", enable_crc=False)  # fmt: skip
        data = h.rng.randbytes(h.rng.choice([10, 20]) * PART + 3)
        env = verb_env(server, base)
        local = base / "file.bin"
        if direction == "upload":
            local.write_bytes(data)
            src, dst = str(local), "oss://restart/obj"
        else:
            bucket.put_object("obj", data)
            src, dst = "oss://restart/obj", str(local)
        proc = subprocess.Popen(cp_command(src, dst), env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(h.rng.uniform(0.4, 1.2))
        server.stop(h.rng.choice([signal.SIGKILL, signal.SIGTERM]))
        time.sleep(h.rng.uniform(0.1, 1.5))
        server.start()
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            out.failed_first, out.reason = True, err.decode(errors="replace").strip()
            if not out.reason:
                out.problem = "failed without a reason"
            again = subprocess.run(cp_command(src, dst), env=env, capture_output=True,
                                   timeout=120)  # fmt: skip
            if again.returncode != 0:
                out.problem = out.problem or (
                    f"the re-run failed: {again.stderr[-300:]!r}; server log: {server.log_tail()}"
                )
                return out
        got = bucket.get_object("obj").read() if direction == "upload" else local.read_bytes()
        if got != data:
            out.problem = out.problem or "the copy is wrong after the restart"
            return out
        if direction == "upload" and list(bucket.list_multipart_uploads().upload_list):
            out.problem = out.problem or "multipart uploads left behind"
        out.completed = True
        return out
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
