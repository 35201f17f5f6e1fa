"""Campaign cases for the operations (issue 11, cases 2-4): moves and deletes under attack.

Each case runs a move (and a delete) through the ops layer against the campaign's emulator and
checks what it promises, returning a `scenarios.Outcome`:

- "delete / control-character key": ordinary keys and one a DeleteMultipleObjects body cannot
  carry raw (a control character, a CR, markup) are moved, then deleted: every one of them.
- "move / overwritten during the move": a writer overwrites some sources right after their
  copies are verified (a hook of the mover, so at exactly that step): every acknowledged write
  survives under the old name, the copy under the new, and the report names exactly those.
- "move / cut answers": the answers of CopyObject, listing pages, delete batches and HEADs
  break off a few bytes in (the first 1-3 attempts of each request, or a seeded fraction): the
  move completes, or fails and completes when run again; no byte is lost either way.

Wire into stress/campaign.py: `for case in ops_cases.CASES: plan.append(lambda c=case:
ops_cases.run(h, c))`.
"""

from __future__ import annotations

from pathlib import Path

from stress.scenarios import Harness, Outcome

CONTROL_KEYS = ("bell\x07.txt", "esc\x1b[31m.log", "soh\x01", "cr\rlf", "lf\nkey", "a&b<c>.txt")
CASES = ("delete / control-character key", "move / overwritten during the move",
         "move / cut answers")  # fmt: skip


def run(h: Harness, case: str) -> Outcome:
    """One run of `case` (a name from CASES) with the harness's seeded choices."""
    h.server.faults.clear()
    try:
        if case == CASES[0]:
            return control_character_delete(h)
        if case == CASES[1]:
            return overwritten_during_move(h)
        if case == CASES[2]:
            return cut_answers(h)
        raise ValueError(f"unknown ops case {case!r}")
    except Exception as exc:  # a case that crashes is a finding, not a campaign crash
        return Outcome(case, False, problem=f"raised {type(exc).__name__}: {exc}")
    finally:
        h.server.faults.clear()


def _fill(h: Harness, prefix: str, count: int, extra: tuple[str, ...] = ()) -> dict[str, bytes]:
    bodies = {f"{prefix}k{i:03d}": h.rng.randbytes(h.rng.randrange(1, 300)) for i in range(count)}
    for name in extra:
        bodies[prefix + name] = h.rng.randbytes(h.rng.randrange(1, 300))
    for key, body in bodies.items():
        h.bucket.put_object(key, body)
    return bodies


def _listed(h: Harness, prefix: str) -> set[str]:
    import oss2

    return {o.key for o in oss2.ObjectIteratorV2(h.bucket, prefix=prefix)}


def _journals(h: Harness) -> Path:
    path = h.workdir / "moves"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _move(h: Harness, src: str, dst: str, **kw):
    from ossbrowse.ops.rename import plan_move, run_move

    plan = plan_move(h.bucket, src, h.bucket, dst)
    return run_move(plan, threads=h.rng.choice([1, 4, 8]), directory=_journals(h), **kw)


def _lost(h: Harness, bodies: dict[str, bytes], src: str, dst: str, kept=()) -> str:
    """'' when every body is where the move put it (kept ones under both names), else what."""
    for key, body in bodies.items():
        new = dst + key[len(src) :]
        if h.object_bytes(new) != body:
            return f"{new!r} does not hold the bytes of {key!r}"
        if key not in kept and h.object_bytes(key) is not None:
            return f"{key!r} was moved but is still there"
    return ""


def control_character_delete(h: Harness) -> Outcome:
    scenario = CASES[0]
    src, dst = h.fresh("ctl-src") + "/", h.fresh("ctl-dst") + "/"
    odd = tuple(h.rng.sample(CONTROL_KEYS, h.rng.randrange(1, len(CONTROL_KEYS) + 1)))
    bodies = _fill(h, src, h.rng.randrange(1, 40), odd)
    report = _move(h, src, dst)
    if not report.complete or report.moved != len(bodies):
        return Outcome(scenario, False, problem=f"moved {report.moved} of {len(bodies)}: "
                       f"{report.failed[:2]}")  # fmt: skip
    if problem := _lost(h, bodies, src, dst):
        return Outcome(scenario, False, problem=problem)
    from ossbrowse.ops.delete import plan_delete, run_delete

    deleted = run_delete(plan_delete(h.bucket, prefix=dst, recursive=True))
    left = _listed(h, dst)
    if deleted.failed or left:
        return Outcome(scenario, False, problem=f"rm -r left {sorted(left)[:3]} "
                       f"({deleted.deleted} of {deleted.total} deleted)")  # fmt: skip
    return Outcome(scenario, True)


def overwritten_during_move(h: Harness) -> Outcome:
    from ossbrowse.ops.rename import MoveHooks

    scenario = CASES[1]
    src, dst = h.fresh("ow-src") + "/", h.fresh("ow-dst") + "/"
    bodies = _fill(h, src, h.rng.randrange(2, 60))
    chosen = set(h.rng.sample(sorted(bodies), h.rng.randrange(1, len(bodies) + 1)))
    written: dict[str, bytes] = {}

    def writer(item) -> None:
        if item.src_key in chosen:
            data = h.rng.randbytes(64)
            h.bucket.put_object(item.src_key, data)  # acknowledged: it must survive
            written[item.src_key] = data

    report = _move(h, src, dst, hooks=MoveHooks(after_verify=writer))
    for key, data in written.items():
        if h.object_bytes(key) != data:
            return Outcome(scenario, False, problem=f"the write to {key!r} was lost")
    if set(report.changed) != set(written):
        return Outcome(scenario, False, problem=f"reported {len(report.changed)} changed, "
                       f"{len(written)} were")  # fmt: skip
    if problem := _lost(h, bodies, src, dst, kept=written):
        return Outcome(scenario, False, problem=problem)
    return Outcome(scenario, True)


def cut_answers(h: Harness) -> Outcome:
    from ossbrowse.ops.journal import MoveJournal
    from ossbrowse.ops.rename import resume_move

    scenario = CASES[2]
    src, dst = h.fresh("cut-src") + "/", h.fresh("cut-dst") + "/"
    bodies = _fill(h, src, h.rng.randrange(1, 60))
    ops = "copy_object|delete_multiple_objects|list_objects_v2|head_object"
    cut = h.rng.choice([5, 20, 100])
    if h.rng.random() < 0.5:
        spec = f"{ops}:reset_after={cut}:times={h.rng.randrange(1, 4)}"  # fewer than attempts
    else:
        spec = f"{ops}:reset_after={cut}:p=0.3"  # seeded: a request may outlast its retries
    h.set_faults(spec)
    try:
        report = _move(h, src, dst)
    except Exception as exc:  # the listing itself may run out of attempts under p=0.3
        report, reason = None, str(exc)
    else:
        reason = "; ".join(why for _, why in report.failed[:2])
    h.server.faults.clear()
    failed_first = report is None or not report.complete
    if failed_first:
        if reason.lstrip().startswith(("(", "'", '"')) or "Error(" in reason:
            return Outcome(scenario, False, True, reason, problem=f"not a sentence: {reason}")
        journal = MoveJournal.find(h.bucket_name, src, h.bucket_name, dst, _journals(h))
        if journal is not None:
            again = resume_move(journal, h.bucket, h.bucket)
        else:
            again = _move(h, src, dst)
        if not again.complete:
            problem = f"the run without faults did not finish: {again.failed[:2]}"
            return Outcome(scenario, False, True, reason, problem=problem)
    if problem := _lost(h, bodies, src, dst):
        return Outcome(scenario, False, failed_first, reason, problem=problem)
    return Outcome(scenario, True, failed_first, reason)
