"""Seedable fault plans: latency, 500/503 answers, connection resets mid-body, corrupt bodies.

A plan is a list of rules; each names operations (or `*`), what to do, and how often: a
fraction `p` of matching requests and/or only the first `count` of them. From the command
line a plan is written as a spec, rules separated by commas, fields by colons:

    seed=7,put_object:reset_after=65536:p=0.3,get_object:status=503:count=2,*:latency=0.05

Fields: latency=SECONDS, status=500|503, reset_after=BYTES (the request body for uploads --
put_object, append_object, upload_part -- else the response body), corrupt (flip a byte of
that body), p=FRACTION, count=N. Operation names may be joined with `|`.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


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
    count: int | None = None  # fire for the first `count` matching requests only
    fired: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.operations, str):
            self.operations = tuple(self.operations.split("|"))
        if self.status is not None and self.status not in (500, 503):
            raise ValueError(f"fault status must be 500 or 503, not {self.status}")
        if not 0.0 <= self.p <= 1.0:
            raise ValueError(f"fault probability must be between 0 and 1, not {self.p}")

    def matches(self, operation: str) -> bool:
        return "*" in self.operations or operation in self.operations


class FaultPlan:
    """The live plan a server consults for every request; safe to change while it runs."""

    def __init__(self, seed: int | None = None, rules: list[FaultRule] | None = None) -> None:
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.rules: list[FaultRule] = list(rules or [])

    @classmethod
    def from_spec(cls, spec: str) -> FaultPlan:
        plan = cls()
        for item in filter(None, (part.strip() for part in spec.split(","))):
            if item.startswith("seed="):
                plan.reseed(int(item[5:]))
            else:
                plan.add(parse_rule(item))
        return plan

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._random = random.Random(seed)

    def add(self, rule: FaultRule | str) -> FaultRule:
        if isinstance(rule, str):
            rule = parse_rule(rule)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def pick(self, operation: str) -> Fault | None:
        """The fault for this request, or None. Consumes counts and random draws in order."""
        if not self.rules:
            return None
        fault = None
        with self._lock:
            for rule in self.rules:
                if not rule.matches(operation):
                    continue
                if rule.count is not None and rule.fired >= rule.count:
                    continue
                if rule.p < 1.0 and self._random.random() >= rule.p:
                    continue
                rule.fired += 1
                fault = fault or Fault()
                fault.latency += rule.latency
                if fault.status is None:
                    fault.status = rule.status
                if fault.reset_after is None:
                    fault.reset_after = rule.reset_after
                fault.corrupt = fault.corrupt or rule.corrupt
        return fault


def parse_rule(text: str) -> FaultRule:
    """`op[|op...]:field=value:...` -> FaultRule; ValueError with a readable message."""
    operations, *fields = text.split(":")
    if not operations:
        raise ValueError(f"fault rule {text!r} names no operation (use * for all)")
    kwargs: dict = {"operations": tuple(operations.split("|"))}
    converters = {
        "latency": float,
        "status": int,
        "reset_after": int,
        "p": float,
        "count": int,
    }
    for item in fields:
        name, has_value, value = item.partition("=")
        if name == "corrupt" and (not has_value or value in ("1", "true", "yes")):
            kwargs["corrupt"] = True
        elif name in converters and has_value:
            try:
                kwargs[name] = converters[name](value)
            except ValueError:
                raise ValueError(f"fault field {name!r} has a bad value {value!r}") from None
        else:
            known = ", ".join([*converters, "corrupt"])
            raise ValueError(f"unknown fault field {item!r} in {text!r} (known: {known})")
    return FaultRule(**kwargs)
