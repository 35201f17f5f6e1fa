"""Hostile input against the emulator and the engine: raw malformed requests, hostile keys
stored and downloaded. Every socket has a timeout: a hang is a finding, not a stuck run."""

from __future__ import annotations

import logging
import os
import random
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path

from stress.scenarios import Harness, Outcome


@dataclass
class FuzzResult:
    sent: int = 0
    answered: int = 0
    closed: int = 0
    problems: list[str] = field(default_factory=list)


class _Counter(logging.Handler):
    """Counts the emulator's 'internal error' log records (an unexpected exception)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _requests(rng: random.Random, bucket: str):
    """(name, bytes to send, whether to half-close after) for one malformed request."""
    garbage = rng.randbytes(rng.randrange(1, 300))
    key = rng.choice(["k", "a%00b", "..%2f..%2fx", "%ff%fe", "x" * 2000, "%", "a b"])
    method = rng.choice(["GET", "PUT", "POST", "DELETE", "HEAD", "BREW", "G\x00T", ""])
    xml = rng.choice([b"<Delete><Object><Key>a</Key>", b"<<<>>>", b"\xff\xfe<x/>",
                      b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;</x>",
                      b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber></Part>"
                      b"</CompleteMultipartUpload>", b""])  # fmt: skip
    length = len(xml)
    choices = [
        ("garbage", garbage, True),
        ("bad request line", f"{method} /{bucket}/{key} HTTP/9.9\r\n\r\n".encode(), True),
        ("no version", f"GET /{bucket}/{key}\r\n\r\n".encode(), True),
        (
            "huge header",
            b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
            True,
        ),
        ("many headers", b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 500 + b"\r\n", True),
        (
            "bad content-length",
            f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
            f"{rng.choice(['-1', 'abc', '1e9', '99999999999999999999'])}\r\n\r\n".encode(),
            True,
        ),
        (
            "truncated body",
            f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Length: {length + 100}\r\n\r\n".encode()
            + xml,
            True,
        ),
        (
            "longer body than said",
            f"POST /{bucket}/?delete HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Length: 3\r\n\r\n".encode()
            + xml,
            False,
        ),
        (
            "bad xml delete",
            f"POST /{bucket}/?delete HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
            + xml,
            False,
        ),
        (
            "bad xml complete",
            f"POST /{bucket}/{key}?uploadId=zz HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
            + xml,
            False,
        ),
        (
            "bad chunked",
            f"PUT /{bucket}/{key} HTTP/1.1\r\nHost: localhost\r\n"
            "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n".encode(),
            True,
        ),
        (
            "bad signature",
            f"GET /{bucket}/{key} HTTP/1.1\r\nHost: localhost\r\n"
            "Authorization: OSS ossbrowse:AAAA\r\nDate: yesterday\r\n\r\n".encode(),
            False,
        ),
        (
            "bad v4 auth",
            f"GET /{bucket}/ HTTP/1.1\r\nHost: localhost\r\n"
            "Authorization: OSS4-HMAC-SHA256 Credential=,,,\r\n\r\n".encode(),
            False,
        ),
        (
            "odd query",
            f"GET /{bucket}/?list-type=2&max-keys=-5&continuation-token=%ff&"
            f"prefix=%00 HTTP/1.1\r\nHost: localhost\r\n\r\n".encode(),
            False,
        ),
        (
            "virtual host",
            f"GET /{key} HTTP/1.1\r\nHost: {bucket}.localhost:1\r\n\r\n".encode(),
            False,
        ),
        (
            "absolute uri",
            f"GET http://x/{bucket}/{key} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
            False,
        ),
    ]
    return rng.choice(choices)


def _exchange(port: int, payload: bytes, half_close: bool, timeout: float) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(payload)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close early on a bad request: that is a clean close
        data = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if _complete(data):
                break
        else:
            raise TimeoutError("no answer and no close")
        return data


def _complete(data: bytes) -> bool:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return True


def fuzz_server(server, seed: int, count: int, timeout: float = 5.0) -> FuzzResult:
    """`count` malformed requests; each must get an HTTP answer (an XML error when it has a
    body) or a clean close, within `timeout`; no internal error; the server serves after."""
    rng = random.Random(seed)
    result = FuzzResult()
    counter = _Counter()
    logger = logging.getLogger("ossbrowse.emulator")
    logger.addHandler(counter)
    old_idle = server.idle_timeout
    server.idle_timeout = 1.0  # a truncated body is answered or closed after 1 s
    try:
        for _ in range(count):
            name, payload, half_close = _requests(rng, "fuzz-bucket")
            result.sent += 1
            try:
                data = _exchange(server.port, payload, half_close, timeout)
            except TimeoutError:
                result.problems.append(f"fuzz {name}: no answer and no close in {timeout} s")
                continue
            except OSError as exc:
                result.problems.append(f"fuzz {name}: {exc}")
                continue
            if not data:
                result.closed += 1
                continue
            result.answered += 1
            problem = _bad_answer(data)
            if problem:
                result.problems.append(f"fuzz {name}: {problem}")
    finally:
        logger.removeHandler(counter)
        server.idle_timeout = old_idle
    if counter.count:
        result.problems.append(f"fuzz: {counter.count} internal errors logged by the emulator")
    try:
        data = _exchange(server.port, b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", False, timeout)
        if not data.startswith(b"HTTP/1.1 403"):
            result.problems.append("fuzz: the server no longer answers a plain request")
    except OSError as exc:
        result.problems.append(f"fuzz: the server no longer answers: {exc}")
    return result


def _bad_answer(data: bytes) -> str:
    if not data.startswith(b"HTTP/1."):
        return f"not an HTTP answer: {data[:60]!r}"
    head, _, body = data.partition(b"\r\n\r\n")
    if b"Traceback" in data or b'File "' in data:
        return "a stack trace in the answer"
    status = int(head.split(b" ", 2)[1])
    if status >= 500 and b"<Code>InternalError</Code>" in body:
        return "an internal error (500) for a malformed request"
    if status >= 400 and body and b"<Error>" not in body and b"<!DOCTYPE" not in body:
        return f"an error answer without an OSS XML body: {body[:80]!r}"
    return ""


def root_contents(root: Path) -> list[Path]:
    return [Path(folder) / name for folder, dirs, files in os.walk(root) for name in dirs + files]


def hostile_download(h: Harness, keys: list[str], dest: Path) -> Outcome:
    """Store every key (through oss2), list them back, download the prefix recursively:
    nothing lands outside `dest`, every key is either written below it with its bytes or
    reported as failed, and the failure lines hold no raw control character."""
    import oss2

    from ossbrowse.text import safe_text
    from stress.hostile import control_bytes

    out = Outcome("hostile keys: store, list, download", False)
    prefix = h.fresh("hostile") + "/"
    stored: dict[str, bytes] = {}
    for key in keys:
        body = key.encode("utf-8", "surrogateescape")
        try:
            h.bucket.put_object(prefix + key, body)
        except oss2.exceptions.OssError as exc:
            # oss2 itself cannot send some keys (its URL handling normalises them): not ours.
            if exc.status != 403:
                out.problem = f"storing {safe_text(key)} failed: {exc.code}"
            continue
        stored[key] = body
    listed = {o.key[len(prefix) :] for o in oss2.ObjectIteratorV2(h.bucket, prefix=prefix)}
    if listed != set(stored):
        out.problem = out.problem or f"listing differs: {sorted(listed ^ set(stored))[:3]!r}"
    dest.mkdir(parents=True)
    outside_before = set(os.listdir(dest.parent))
    engine = h.engine()
    try:
        job = engine.submit(f"oss://{h.bucket_name}/{prefix}", str(dest) + "/", recursive=True)
        finished = job.wait(120)
    finally:
        engine.shutdown(wait=True)
    if not finished:
        out.problem = out.problem or "the hostile download hung"
        return out
    if set(os.listdir(dest.parent)) - outside_before - {dest.name}:
        out.problem = out.problem or "a file was written outside the destination"
    real = os.path.realpath(dest)
    for path in root_contents(dest):
        if not os.path.realpath(path).startswith(real + os.sep):
            out.problem = out.problem or f"{path} resolves outside the destination"
        if ".ossbrowse-" in path.name:
            out.problem = out.problem or f"temp file left: {path.name!r}"
    failed = {f.src for f in job.failures}
    for key, body in stored.items():
        local = dest.joinpath(*key.split("/"))
        url = f"oss://{h.bucket_name}/{prefix}{key}"
        if url in failed or key.endswith("/"):
            continue
        if not (local.is_file() and local.read_bytes() == body):
            out.problem = out.problem or f"{safe_text(key)} neither downloaded nor reported"
    for failure in job.failures:
        if control_bytes(failure.message.encode("utf-8", "surrogateescape")):
            out.problem = out.problem or "a failure message carries a raw control character"
        if not failure.message:
            out.problem = out.problem or "a failure without a reason"
    out.failed_first = bool(job.failures)
    out.reason = f"{len(job.failures)} keys refused or clashing"
    out.completed = not out.problem
    return out
