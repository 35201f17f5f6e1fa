"""Campaign cases for issue 11, cases 1 and 7: two runs of one transfer at once, and a resume
after the file was rewritten in place with its mtime put back.

Each function takes the campaign's `scenarios.Harness` and returns a `scenarios.Outcome`; a
broken invariant goes in `problem` (data lost). Unlike the tests, these are meant to be random
(sizes, which part, when the second run starts): the campaign explores, the tests pin down.

To add them to `stress/campaign.py`'s round plan:

    from stress import transfer_cases
    ...
    plan += [lambda: transfer_cases.two_runs_one_download(h),
             lambda: transfer_cases.two_runs_one_upload(h),
             lambda: transfer_cases.resume_after_rewrite(h)]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from stress.scenarios import PART, Harness, Outcome, _url, cp_command, verb_env

_BUSY = (b"already being downloaded", b"already being uploaded")


def _unfinished_listed(env) -> bool:
    listed = subprocess.run([sys.executable, "-m", "ossbrowse", "transfers"], env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    return "No unfinished transfers" not in listed.stdout


def _two_runs(h: Harness, direction: str) -> Outcome:
    scenario = f"two runs of one {direction} at once"
    data = h.rng.randbytes(h.rng.choice([8, 16, 24]) * PART + h.rng.randrange(PART))
    home = h.workdir / h.fresh("home")
    home.mkdir()
    env = verb_env(h.server, home)
    key = h.fresh("twice")
    folder = h.workdir / h.fresh("twicedl")
    folder.mkdir()
    local = folder / "file.bin"
    if direction == "upload":
        local.write_bytes(data)
        src, dst = str(local), _url(h, key)
        h.set_faults("upload_part:latency=0.15")
    else:
        h.bucket.put_object(key, data)
        src, dst = _url(h, key), str(local)
        h.set_faults("get_object:latency=0.15")
    out = Outcome(scenario, False)
    try:
        first = subprocess.Popen(cp_command(src, dst), env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(h.rng.uniform(0.0, 1.0))  # the report's 0.5 s, and around it
        second = subprocess.run(cp_command(src, dst), env=env, capture_output=True, timeout=120)
        _err = first.communicate(timeout=120)[1]
    finally:
        h.server.faults.clear()
    # Whichever took the lock first finishes; the other refuses, naming it, or ran after.
    runs = [(first.returncode, _err or b""), (second.returncode, second.stderr)]
    refused = [err for code, err in runs if code == 1 and any(m in err for m in _BUSY)]
    if any(code not in (0, 1) for code, _ in runs) or not any(code == 0 for code, _ in runs):
        out.problem = f"exit codes {[c for c, _ in runs]}: {runs[0][1][-300:]!r}"
    elif sum(code == 1 for code, _ in runs) != len(refused):
        out.problem = f"a run failed for another reason: {(runs[0][1] + runs[1][1])[-300:]!r}"
    if direction == "upload":
        got = h.object_bytes(key)
    else:
        got = local.read_bytes() if local.exists() else None
    if got is None:
        out.problem = out.problem or f"no copy was published: {(runs[0][1] + runs[1][1])[-300:]!r}"
    elif got != data:
        out.problem = out.problem or "the published copy is wrong"
    elif direction == "upload" and not h.object_crc_ok(key, data):
        out.problem = out.problem or "the object's CRC64 does not match"
    if direction == "download" and sorted(os.listdir(folder)) != ["file.bin"]:
        out.problem = out.problem or f"files left beside it: {sorted(os.listdir(folder))}"
    if h.uploads_left():
        out.problem = out.problem or "multipart uploads left behind"
    if _unfinished_listed(env):
        out.problem = out.problem or "a checkpoint was left behind"
    out.failed_first = bool(refused)  # one run refused: the other was still going
    out.reason = "refused while the other ran" if refused else ""
    out.completed = True
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return out


def two_runs_one_download(h: Harness) -> Outcome:
    """`cp oss://b/obj out.bin` twice at once: the second waits for nothing and refuses (or
    runs after the first has finished); `out.bin` is the object, nothing is left beside it."""
    return _two_runs(h, "download")


def two_runs_one_upload(h: Harness) -> Outcome:
    """`cp file oss://b/key` twice at once: one multipart upload, never shared; the object is
    the file, no upload or checkpoint is left."""
    return _two_runs(h, "upload")


def resume_after_rewrite(h: Harness) -> Outcome:
    """An upload fails part way (one part refused until the retries run out); a part that was
    sent is rewritten in place and the mtime put back; the resume must send the new bytes."""
    scenario = "resume after a sent part was rewritten in place"
    parts = h.rng.choice([4, 6, 10])
    path = h.workdir / h.fresh("rewrite")
    path.write_bytes(h.rng.randbytes(parts * PART + h.rng.randrange(PART)))
    key = h.fresh("rewrite")
    failing = h.rng.randrange(2, parts + 1)  # part numbers count from 1
    out = Outcome(scenario, False)
    h.set_faults(f"upload_part:status=503:part={failing}")
    engine = h.engine(threads=1)  # parts in order: every part before `failing` is sent
    try:
        job = engine.submit(str(path), _url(h, key))
        job.wait(120)
    finally:
        engine.shutdown()
        h.server.faults.clear()
    out.failed_first = job.state.name == "FAILED"
    out.reason = job.error or ""
    before = os.stat(path)
    victim = h.rng.randrange(1, failing)  # a part the first run sent
    fd = os.open(path, os.O_WRONLY)
    try:
        os.pwrite(fd, h.rng.randbytes(PART), (victim - 1) * PART)
    finally:
        os.close(fd)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    expected = path.read_bytes()
    engine = h.engine(threads=h.rng.choice([1, 4]))
    try:
        job = engine.submit(str(path), _url(h, key))
        job.wait(120)
        left = engine.unfinished()
    finally:
        engine.shutdown()
    if job.state.name != "DONE":
        out.problem = f"the resume failed: {job.error}"
        return out
    if h.object_bytes(key) != expected:
        out.problem = f"the object kept the old bytes of part {victim}"
    elif not h.object_crc_ok(key, expected):
        out.problem = "the object's CRC64 does not match the file"
    if h.uploads_left():
        out.problem = out.problem or "multipart uploads left behind"
    if left:
        out.problem = out.problem or "a checkpoint was left behind"
    out.completed = True
    path.unlink()
    return out
