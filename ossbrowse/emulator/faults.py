"""Seedable fault plans: latency, 500/503 answers, connection resets mid-body, corrupt bodies.

A plan is a list of rules; each names operations (or `*`), what to do, and which requests it
hits. From the command line a plan is written as a spec, rules separated by commas, fields by
colons:

    seed=7,put_object:reset_after=65536:p=0.3,get_object:status=503:times=2,*:latency=0.05

What a rule does (any mix):
  latency=SECONDS   wait this long before answering
  status=500|503    answer InternalError / ServiceUnavailable instead of doing the operation
  reset_after=BYTES cut the connection after this many bytes of the body: the request body for
                    uploads (put_object, append_object, upload_part), else the answer's body
  corrupt           flip a byte of that body (an upload stores wrong bytes; a download
                    receives them)

Which requests it hits (all given fields must agree):
  OP[|OP...]        operation names (put_object, upload_part, copy_object, ...) or `*`
  key=GLOB          object keys matching this shell pattern (`*`, `?`, `[...]`); a key with
                    `:` or `,` cannot be written in a spec: use FaultRule(key=...) from Python
  part=N            part number N of a multipart upload (upload_part, upload_part_copy)
  times=N           the first N attempts of each request (see below): N=2 fails a request
                    twice, then lets its third try through; no chance involved
  attempts=A-B      attempts A to B of each request (`attempts=3` is the third alone,
                    `attempts=2-` the second and every later one)
  p=FRACTION        a fraction of the requests, decided by the seed (below)
  count=N           only the first N requests the rule hits in all, whichever they are: under
                    concurrency WHICH requests those are depends on timing (the number does not);
                    prefer times=N

From Python, `FaultRule(..., hold=threading.Event())` keeps each request it fires on waiting
until the event is set: a test holds transfers in flight, acts, then lets them go.

Deterministic under any thread scheduling. Each request has an identity: its operation, key,
part number, byte range, the other query parameters that select what it acts on (a listing's
prefix and page marker, an append's position) and the copy source. Its attempt number is how
many requests with that same identity (in the same bucket and multipart upload) this plan has
seen, counting from 1. Whether `p` fires is a hash of (seed, the rule's position, identity,
attempt) compared with `p` -- not a draw from one random stream that threads would consume in
whatever order they arrive. The same plan and the same requests therefore fail the same
attempts whatever the order the requests come in, and a client's retry (the next attempt) gets a
new, equally fixed, decision. Bucket names (a copy source's too) and ids the server makes up
(upload ids, version ids) separate attempt counts but stay out of the hash, so runs that name
their buckets after a process id still fire on the same requests. Without `seed=`, the seed is
0. `clear()` and `reseed()` forget the attempts seen.
"""

from __future__ import annotations

import fnmatch
import hashlib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ossbrowse.emulator.call import Call

# Query parameters that never name what a request acts on: signatures and credentials of a
# presigned URL, and answer-shaping `response-*` ones.
_SIGNING_PARAMS = {
    "Signature", "OSSAccessKeyId", "Expires", "security-token", "x-oss-signature",
    "x-oss-credential", "x-oss-date", "x-oss-expires", "x-oss-signature-version",
    "x-oss-additional-headers", "x-oss-security-token", "x-oss-ac-forward-allow",
}  # fmt: skip
# Ids the server makes up at random: they tell requests apart but would make the hash differ
# from run to run.
_SERVER_MADE_PARAMS = {"uploadId", "upload-id-marker", "versionId", "version-id-marker"}
# Headers that say what a request acts on.
_IDENTITY_HEADERS = ("Range", "x-oss-copy-source", "x-oss-copy-source-range")


@dataclass(frozen=True)
class RequestIdentity:
    """What makes two requests "the same request" for the fault plan (see the module doc)."""

    operation: str
    key: str = ""
    part: int | None = None
    details: tuple[tuple[str, str], ...] = ()  # stable parameters and headers, sorted
    # Tell requests apart without entering the hash:
    bucket: str = ""
    server_ids: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        operation: str,
        bucket: str | None = None,
        key: str | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> RequestIdentity:
        params = params or {}
        details: list[tuple[str, str]] = []
        server_ids: list[tuple[str, str]] = []
        part = None
        for name, value in params.items():
            if name in _SIGNING_PARAMS or name.startswith("response-"):
                continue
            if name in _SERVER_MADE_PARAMS:
                server_ids.append((name, value))
            elif name == "partNumber":
                part = int(value) if value.isdigit() else None
                details.append((name, value))
            else:
                details.append((name, value))
        for name in _IDENTITY_HEADERS:
            header = headers.get(name) if headers is not None else None
            if header is None:
                continue
            value = header
            if name == "x-oss-copy-source":  # /BUCKET/KEY[?versionId=ID]
                value, _, version = value.partition("?versionId=")
                if version:
                    server_ids.append(("copy-source-version", version))
                source_bucket, _, value = value.lstrip("/").partition("/")
                server_ids.append(("copy-source-bucket", source_bucket))
            details.append((name, value))
        return cls(
            operation=operation,
            key=key or "",
            part=part,
            details=tuple(sorted(details)),
            bucket=bucket or "",
            server_ids=tuple(sorted(server_ids)),
        )

    def hashed_fields(self) -> tuple[str, str, int | None, tuple[tuple[str, str], ...]]:
        return (self.operation, self.key, self.part, self.details)


@dataclass
class Fault:
    """What happens to one request: the sum of the rules that fired for it."""

    latency: float = 0.0
    status: int | None = None
    reset_after: int | None = None
    corrupt: bool = False


@dataclass
class FaultRule:
    operations: tuple[str, ...] = ("*",)
    latency: float = 0.0
    status: int | None = None
    reset_after: int | None = None
    corrupt: bool = False
    p: float = 1.0
    count: int | None = None  # fire for the first `count` requests the rule hits, in all
    key: str | None = None  # a glob the key must match
    part: int | None = None  # the part number the request must carry
    attempts: tuple[int, int | None] | None = None  # (first, last or None): per identity
    # Python API only: a request the rule fires on waits until this event is set, so a test
    # can keep requests in flight exactly as long as it needs (no duration involved).
    # `FaultPlan.clear()` sets it, so a finished test never leaves a request held.
    hold: threading.Event | None = field(default=None, compare=False)
    fired: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.operations, str):
            self.operations = tuple(self.operations.split("|"))
        if self.status is not None and self.status not in (500, 503):
            raise ValueError(f"fault status must be 500 or 503, not {self.status}")
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"fault probability must be between 0 and 1, not {self.p}")
        if self.attempts is not None:
            first, last = self.attempts
            if first < 1 or (last is not None and last < first):
                raise ValueError(f"fault attempts must count from 1 upwards, not {self.attempts}")

    def matches(self, operation: str) -> bool:
        return "*" in self.operations or operation in self.operations

    def selects(self, request: RequestIdentity, attempt: int) -> bool:
        """Whether this request, at this attempt, is one the rule is about (before `p`)."""
        if not self.matches(request.operation):
            return False
        if self.key is not None and not fnmatch.fnmatchcase(request.key, self.key):
            return False
        if self.part is not None and request.part != self.part:
            return False
        if self.attempts is not None:
            first, last = self.attempts
            if attempt < first or (last is not None and attempt > last):
                return False
        return True


def decision(seed: int, rule_index: int, request: RequestIdentity, attempt: int) -> float:
    """A number in [0, 1) fixed by its inputs alone: the rule fires when it is below `p`."""
    text = repr((seed, rule_index, request.hashed_fields(), attempt)).encode("utf-8")
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big") / float(1 << 64)


class FaultPlan:
    """The live plan a server consults for every request; safe to change while it runs."""

    def __init__(self, seed: int | None = None, rules: list[FaultRule] | None = None) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._attempts: dict[RequestIdentity, int] = {}
        self.rules: list[FaultRule] = list(rules or [])

    @classmethod
    def from_spec(cls, spec: str) -> FaultPlan:
        plan = cls()
        for item in filter(None, (part.strip() for part in spec.split(","))):
            if item.startswith("seed="):
                try:
                    plan.reseed(int(item[5:]))
                except ValueError:
                    raise ValueError(f"the seed must be a whole number, not {item[5:]!r}") from None
            else:
                plan.add(parse_rule(item))
        return plan

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._attempts.clear()

    def add(self, rule: FaultRule | str) -> FaultRule:
        if isinstance(rule, str):
            rule = parse_rule(rule)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            for rule in self.rules:
                if rule.hold is not None:
                    rule.hold.set()
            self.rules.clear()
            self._attempts.clear()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def pick_for(self, call: Call) -> Fault | None:
        """The fault for a server's parsed request (anything with operation, bucket, key,
        params and headers), or None; builds its identity only when there are rules."""
        if not self.rules:
            return None
        request = RequestIdentity.of(call.operation, call.bucket, call.key, call.params,
                                     call.headers)  # fmt: skip
        return self.pick(call.operation, request)

    def pick(self, operation: str, request: RequestIdentity | None = None) -> Fault | None:
        """The fault for this request, or None; counts the request as one more attempt.

        `request` identifies it (see the module doc); without one, the operation alone does.
        """
        if not self.rules:
            return None
        if request is None:
            request = RequestIdentity(operation)
        fault = None
        holds = []
        with self._lock:
            attempt = self._attempts.get(request, 0) + 1
            self._attempts[request] = attempt
            seed = self.seed or 0
            for index, rule in enumerate(self.rules):
                if not rule.selects(request, attempt):
                    continue
                if rule.count is not None and rule.fired >= rule.count:
                    continue
                if rule.p < 1.0 and decision(seed, index, request, attempt) >= rule.p:
                    continue
                rule.fired += 1
                if rule.hold is not None:
                    holds.append(rule.hold)
                fault = fault or Fault()
                fault.latency += rule.latency
                if fault.status is None:
                    fault.status = rule.status
                if fault.reset_after is None:
                    fault.reset_after = rule.reset_after
                fault.corrupt = fault.corrupt or rule.corrupt
        for hold in holds:  # outside the lock: other requests go on meanwhile
            hold.wait()
        return fault


def _parse_attempts(value: str) -> tuple[int, int | None]:
    first, dash, last = value.partition("-")
    start = int(first)
    if not dash:
        return (start, start)
    return (start, int(last) if last else None)


def parse_rule(text: str) -> FaultRule:
    """`op[|op...]:field=value:...` -> FaultRule; ValueError with a readable message."""
    operations, *fields = text.split(":")
    if not operations:
        raise ValueError(f"fault rule {text!r} names no operation (use * for all)")
    kwargs: dict[str, Any] = {"operations": tuple(operations.split("|"))}
    converters: dict[str, Callable[[str], object]] = {
        "latency": float,
        "status": int,
        "reset_after": int,
        "p": float,
        "count": int,
        "key": str,
        "part": int,
        "times": lambda value: (1, int(value)),
        "attempts": _parse_attempts,
    }
    for item in fields:
        name, has_value, value = item.partition("=")
        if name == "corrupt" and (not has_value or value in ("1", "true", "yes")):
            kwargs["corrupt"] = True
        elif name in converters and has_value:
            try:
                converted = converters[name](value)
            except ValueError:
                raise ValueError(f"fault field {name!r} has a bad value {value!r}") from None
            kwargs["attempts" if name == "times" else name] = converted
        else:
            known = ", ".join([*converters, "corrupt"])
            raise ValueError(f"unknown fault field {item!r} in {text!r} (known: {known})")
    return FaultRule(**kwargs)
