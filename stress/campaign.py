"""The long part of the fault campaign: `python stress/campaign.py --seed 1 --minutes N`.

Runs, for about N minutes and from a fixed seed, rounds of: every transfer direction through
every fault; SIGKILL of the client then resume; the server killed and restarted mid-transfer;
a full disk; a source changed during upload; a cancel; two runs of one transfer; a resume
after a rewrite in place; a control-character key in a batch delete; a source overwritten during
a move; answers cut short; hostile keys through the emulator and
a recursive download; fuzzed raw requests; 64 concurrent clients. Prints the table that
docs/RELIABILITY.md holds (runs, survived, failed first then completed, data lost).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stress import fuzz, load, ops_cases, scenarios, transfer_cases
from stress.hostile import CORPUS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--load-seconds", type=float, default=30.0, help="per load round")
    parser.add_argument("--fuzz", type=int, default=400, help="raw requests per fuzz round")
    args = parser.parse_args(argv)

    from ossbrowse.emulator import EmulatorServer

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="ossbrowse-stress-"))
    rows: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    problems: list[str] = []
    extra: dict[str, str] = {}
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()

    def record(outcome: scenarios.Outcome) -> None:
        row = rows[outcome.scenario]
        row["runs"] += 1
        row["survived"] += outcome.survived
        row["failed_first"] += outcome.failed_first
        row["lost"] += bool(outcome.problem)
        if outcome.problem:
            problems.append(f"{outcome.scenario}: {outcome.problem}")
            print(f"PROBLEM {outcome.scenario}: {outcome.problem}", flush=True)

    round_no = 0
    with EmulatorServer(restore_delay=0.5) as server:
        h = scenarios.Harness(server, work, args.seed)
        while time.monotonic() < deadline:
            round_no += 1
            plan: list = []
            for direction in scenarios.DIRECTIONS:
                for fault in scenarios.FAULTS:
                    plan.append(lambda d=direction, f=fault: scenarios.run_transfer(h, d, f))
            for direction in ("upload", "download"):
                plan.append(lambda d=direction: scenarios.kill_and_resume(h, d))
                plan.append(lambda d=direction: scenarios.server_restart(h, d))
            plan += [lambda: scenarios.disk_full(h), lambda: scenarios.source_changed(h),
                     lambda: scenarios.cancel_midway(h)]  # fmt: skip
            # Issue 11's integrity cases: two runs of one transfer, a resume after the file was
            # rewritten in place, a control-character key in a batch delete, sources
            # overwritten during a move, answers cut short.
            plan += [lambda: transfer_cases.two_runs_one_download(h),
                     lambda: transfer_cases.two_runs_one_upload(h),
                     lambda: transfer_cases.resume_after_rewrite(h)]  # fmt: skip
            plan += [lambda c=case: ops_cases.run(h, c) for case in ops_cases.CASES]
            rng.shuffle(plan)
            for step in plan:
                if time.monotonic() >= deadline:
                    break
                record(step())
            if time.monotonic() >= deadline:
                break
            # Hostile names, fuzz and load once a round (their own figures).
            record(fuzz.hostile_download(h, CORPUS, work / f"hostile-{round_no}"))
            result = fuzz.fuzz_server(server, rng.randrange(1 << 30), args.fuzz)
            rows["fuzzed raw requests"]["runs"] += result.sent
            rows["fuzzed raw requests"]["survived"] += result.sent - len(result.problems)
            rows["fuzzed raw requests"]["lost"] += len(result.problems)
            problems += result.problems
            stats = load.run_load(server, clients=64, seconds=args.load_seconds,
                                  seed=rng.randrange(1 << 30))  # fmt: skip
            row = rows["64 clients list/put/get/delete"]
            row["runs"] += 1
            row["survived"] += not stats.problems
            row["lost"] += len(stats.problems)
            problems += stats.problems
            extra[f"load round {round_no}"] = stats.summary()
            print(f"round {round_no} done at {time.monotonic() - started:.0f} s", flush=True)
    shutil.rmtree(work, ignore_errors=True)

    total = sum(r["runs"] for k, r in rows.items() if k != "fuzzed raw requests")
    print(f"\nseed {args.seed}, {time.monotonic() - started:.0f} s, {round_no} rounds")
    print(f"{'scenario':<40} {'runs':>6} {'survived':>9} {'failed 1st':>10} {'lost':>5}")
    for name in sorted(rows):
        r = rows[name]
        print(f"{name:<40} {r['runs']:>6} {r['survived']:>9} {r['failed_first']:>10} "
              f"{r['lost']:>5}")  # fmt: skip
    print(f"transfers and checks run: {total}; problems: {len(problems)}")
    for line in extra.values():
        print(line)
    for line in problems:
        print("PROBLEM", line)
    return 1 if problems else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
