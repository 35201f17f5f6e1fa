"""Load: N concurrent oss2 clients mixing list, put, get and delete on one emulator for a
bounded time. Each client owns a prefix and remembers what it wrote, so a lost or corrupted
object, or a listing that misses one, is seen at once and counted."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadStats:
    clients: int
    seconds: float
    ops: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    injected: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = sum(self.ops.values())
        mix = ", ".join(f"{k} {v}" for k, v in sorted(self.ops.items()))
        return (
            f"{self.clients} clients, {self.seconds:.1f} s: {total} requests "
            f"({total / self.seconds:.0f}/s; {mix}); injected faults answered "
            f"{self.injected}; other errors {self.errors}; problems {len(self.problems)}"
        )


def run_load(
    server, *, clients: int = 64, seconds: float = 5.0, seed: int = 1, bucket: str | None = None,
    fault_rate: float = 0.0,
) -> LoadStats:  # fmt: skip
    """Run the load; `fault_rate` > 0 injects 503s (oss2 does not retry: those are expected
    and counted apart; anything else is an error)."""
    import oss2

    name = bucket or f"load-{seed % 100000}"
    server.create_bucket(name)
    auth = oss2.Auth(server.access_key_id, server.access_key_secret)
    session = oss2.Session(pool_size=clients)
    stats = LoadStats(clients, seconds)
    lock = threading.Lock()
    rule = server.faults.add(f"*:status=503:p={fault_rate}") if fault_rate else None
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        bucket = oss2.Bucket(auth, server.endpoint, name, session=session, enable_crc=False)
        prefix = f"c{index:03d}/"
        mine: dict[str, str] = {}  # key -> sha256 of what this client last stored there
        counts: dict[str, int] = {}

        def note(kind: str) -> None:
            counts[kind] = counts.get(kind, 0) + 1

        while time.monotonic() < stop:
            action = rng.choices(["put", "get", "list", "delete"], [4, 4, 1, 2])[0]
            try:
                if action == "put" or not mine:
                    key = prefix + f"k{rng.randrange(20)}"
                    body = rng.randbytes(rng.choice([0, 10, 1000, 50_000]))
                    note("put")
                    bucket.put_object(key, body)
                    mine[key] = hashlib.sha256(body).hexdigest()
                elif action == "get":
                    key = rng.choice(list(mine))
                    note("get")
                    got = bucket.get_object(key).read()
                    if hashlib.sha256(got).hexdigest() != mine[key]:
                        with lock:
                            stats.problems.append(f"load: {key} corrupted")
                elif action == "list":
                    note("list")
                    listed = {o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)}
                    if listed != set(mine):
                        with lock:
                            stats.problems.append(f"load: listing of {prefix} differs")
                else:
                    key = rng.choice(list(mine))
                    note("delete")
                    bucket.delete_object(key)
                    del mine[key]
            except oss2.exceptions.ServerError as exc:
                with lock:
                    if rule is not None and exc.status == 503:
                        stats.injected += 1
                    else:
                        stats.errors += 1
                        stats.problems.append(f"load: {action} {exc.status} {exc.code}")
            except Exception as exc:
                with lock:
                    stats.errors += 1
                    stats.problems.append(f"load: {action} {type(exc).__name__}: {exc}")
        with lock:
            finals.append((bucket, prefix, mine))
            for kind, n in counts.items():
                stats.ops[kind] = stats.ops.get(kind, 0) + n

    finals: list = []
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 120)
            if thread.is_alive():
                stats.problems.append("load: a client hung")
    finally:
        if rule is not None:
            server.faults.clear()
    stats.seconds = time.monotonic() - started
    # The end state, faults off: every object a client holds is there with its bytes, and
    # its prefix holds nothing else.
    for bucket, prefix, mine in finals:
        listed = {o.key for o in oss2.ObjectIteratorV2(bucket, prefix=prefix)}
        if listed != set(mine):
            stats.problems.append(f"load: {prefix} holds {sorted(listed ^ set(mine))[:3]}")
        for key, digest in mine.items():
            try:
                got = bucket.get_object(key).read()
            except Exception as exc:
                stats.problems.append(f"load: {key} lost ({type(exc).__name__})")
                continue
            if hashlib.sha256(got).hexdigest() != digest:
                stats.problems.append(f"load: {key} corrupted at the end")
    return stats
