"""`ossbrowse cp SRC DST [-r] ...`: copy files and objects, resumable, with progress."""

from __future__ import annotations

import argparse

from ossbrowse.cli import add_connection_arguments
from ossbrowse.commands._shared import add_parallel_arguments, check_parallel_arguments
from ossbrowse.ops.filters import add_filter_arguments

POLICIES = ("ask", "overwrite", "skip", "same", "keep-both")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Copy between local paths and oss:// URLs in any direction (OSS to OSS is copied "
        "inside OSS). Running the same command again after an interruption resumes it."
    )
    parser.add_argument("src", help="local path or oss://bucket/key (a folder or prefix with -r)")
    parser.add_argument("dst", help="local path or oss://bucket/key; a trailing / means 'into'")
    parser.add_argument(
        "-r", "--recursive", action="store_true", help="copy what a folder or prefix holds"
    )
    parser.add_argument("--part-size", metavar="SIZE", help="8MiB, 8M or 8388608 (default 8MiB)")
    add_parallel_arguments(parser)
    parser.add_argument(
        "--if-exists",
        choices=POLICIES,
        default="overwrite",
        help="when the destination exists: ask, overwrite (default), skip, same (skip when "
        "size and CRC64 match), keep-both (write 'name (1).ext')",
    )
    parser.add_argument(
        "--no-checkpoint", action="store_true", help="do not record progress for a resume"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument(
        "--version-id",
        metavar="VERSION",
        help="copy this version of the source object (a read-only source; ls --versions)",
    )
    parser.add_argument("--read-only", action="store_true", help="refuse every write")
    add_filter_arguments(parser)
    add_connection_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "version_id", None):
        from ossbrowse.commands.cp_version import run as copy_version

        return copy_version(args)
    from ossbrowse.transfer import ConflictPolicy, parse_size
    from ossbrowse.transfer.locations import parse_location

    part_size = parse_size(args.part_size) if args.part_size else None
    check_parallel_arguments(args)
    # Parse both ends before looking for credentials: a bad URL is refused first.
    needs_oss = parse_location(args.src).is_oss or parse_location(args.dst).is_oss
    select = copy_filter(args)
    refuse_ask_without_terminal(args.if_exists)
    refuse_if_read_only(args, needs_oss)
    engine = make_engine(args, needs_oss, part_size=part_size, checkpoints=not args.no_checkpoint)
    policy = ConflictPolicy(args.if_exists)
    code = run_jobs(
        engine,
        [(args.src, args.dst)],
        recursive=args.recursive,
        policy=policy,
        quiet=args.quiet,
        anonymous=bool(getattr(args, "anonymous", False)),
        select=select,
    )
    if code == 0 and args.recursive and not any(job.files_total for job in engine.jobs()):
        check_source_exists(args)
    return code


def check_source_exists(args: argparse.Namespace) -> None:
    """Nothing copied by -r: a folder that exists but holds nothing (or nothing the filters
    select) is done; a source that is not there is an error, exit 1, as ls says of it."""
    from ossbrowse.commands._shared import filesystem_for

    fs = filesystem_for(args.src, args)
    try:
        fs.stat(args.src)  # NoSuchKey when nothing is there
    finally:
        fs.close()


def copy_filter(args: argparse.Namespace):
    """The walk's filter question from the filter options (None: copy everything); filters
    choose among what a folder or prefix holds, so they need -r."""
    from ossbrowse.errors import UsageError
    from ossbrowse.ops.filters import from_args, predicate, refuse_classes_locally
    from ossbrowse.transfer.locations import parse_location

    filt = from_args(args)
    if not filt.active:
        return None
    if not args.recursive:
        raise UsageError(
            "Filters choose among what a folder or prefix holds.", hint="Add -r to use them."
        )
    if not parse_location(args.src).is_oss:
        refuse_classes_locally(filt, args.src)
    return predicate(filt)


def refuse_ask_without_terminal(if_exists: str) -> None:
    """`--if-exists ask` with no terminal to ask on is refused before anything is copied, rather
    than skipping every clash in silence while the summary counts bytes."""
    import sys

    from ossbrowse.errors import UsageError

    if if_exists != "ask":
        return
    if not (sys.stdin and sys.stdin.isatty() and sys.stderr and sys.stderr.isatty()):
        raise UsageError(
            "--if-exists ask needs a terminal to ask on, and stdin or stderr is not one; "
            "nothing was copied.",
            hint="Choose for every clash instead: --if-exists overwrite, skip, same or keep-both.",
        )


def refuse_if_read_only(args: argparse.Namespace, needs_oss: bool) -> None:
    """A copy writes wherever it lands: refused in a read-only session (flag or profile) and
    into a local folder on a read-only OSS mount, before anything is read or queued."""
    from ossbrowse.ops.guard import ensure_writable
    from ossbrowse.transfer.locations import parse_location

    read_only = bool(getattr(args, "read_only", False))
    if not read_only and needs_oss:
        from ossbrowse.config import resolve_settings

        read_only = bool(resolve_settings(args).read_only)
    ensure_writable(read_only, "copy")
    destination = parse_location(args.dst)
    if not destination.is_oss:
        from ossbrowse.mount import ensure_writable as mount_writable

        mount_writable(destination.path)


def make_engine(args, needs_oss: bool, *, part_size=None, checkpoints=True, on_event=None):
    """A TransferEngine on the credential chain (resolved only when OSS is involved)."""
    from ossbrowse.transfer import TransferEngine

    if needs_oss:
        from ossbrowse.commands._shared import settings_from_args
        from ossbrowse.fs.oss import OssClient

        bucket_for = OssClient(settings_from_args(args)).bucket
    else:

        def bucket_for(name: str):
            raise AssertionError("no OSS in a local copy")

    return TransferEngine(
        bucket_for,
        jobs=getattr(args, "jobs", 2),
        threads=getattr(args, "threads", 4),
        part_size=part_size,
        checkpoints=checkpoints,
        on_event=on_event,
    )


def ask_on_terminal(answers: dict):
    """A resolve_conflict that asks on the terminal; a capital letter answers for the rest."""
    import sys

    from ossbrowse.text import safe_text
    from ossbrowse.transfer import ConflictPolicy

    choices = {"o": ConflictPolicy.OVERWRITE, "s": ConflictPolicy.SKIP,
               "k": ConflictPolicy.KEEP_BOTH, "m": ConflictPolicy.SAME}  # fmt: skip

    def ask(src, dst):
        if "all" in answers:
            return answers["all"]
        if not sys.stdin.isatty():
            return ConflictPolicy.SKIP
        prompt = (
            f"\n{safe_text(dst.path)} exists ({dst.size} bytes). [o]verwrite, [s]kip, "
            "[k]eep both, skip if sa[m]e (capital: for all)? "
        )
        while True:
            sys.stderr.write(prompt)
            sys.stderr.flush()
            answer = sys.stdin.readline().strip()
            if not answer:
                return ConflictPolicy.SKIP
            policy = choices.get(answer[0].lower())
            if policy is not None:
                if answer[0].isupper():
                    answers["all"] = policy
                return policy

    return ask


def run_jobs(
    engine,
    pairs,
    *,
    recursive: bool,
    policy,
    quiet: bool,
    anonymous=False,
    select=None,
    version_id: str = "",
) -> int:
    """Submit each (src, dst), show progress until all finish; exit code 0 only if all did.
    A pair may carry a third item, the version of its source (a resumed `cp --version-id`);
    `version_id` is that of every pair without one."""
    import sys

    from ossbrowse.tasks import TaskState
    from ossbrowse.transfer import ConflictPolicy
    from ossbrowse.transfer.console import ConsoleReporter

    reporter = ConsoleReporter(sys.stderr)
    if quiet:
        reporter.tty = False
    engine.on_event = reporter  # set before any job runs (the engine reads on_event)
    resolver = ask_on_terminal({}) if policy is ConflictPolicy.ASK else None
    jobs = []
    try:
        for src, dst, *version in pairs:
            jobs.append(
                engine.submit(
                    src,
                    dst,
                    recursive=recursive,
                    if_exists=policy,
                    resolve_conflict=resolver,
                    select=select,
                    version_id=(version[0] if version else version_id) or "",
                )
            )
        for job in jobs:
            while not job.wait(0.2):
                pass
    except KeyboardInterrupt:
        engine.shutdown(wait=True)
        sys.stderr.write("\nossbrowse: interrupted; run the same command again to resume.\n")
        return 130
    engine.shutdown(wait=True)
    if anonymous and any(
        f.message.startswith("Access denied: oss:") for job in jobs for f in job.failures
    ):
        # Sent without keys because none were found: say that, not "ask for a RAM permission".
        from ossbrowse.config import no_credentials_error

        sys.stderr.write(f"ossbrowse: {no_credentials_error()}\n")
    return 0 if all(job.state is TaskState.DONE for job in jobs) else 1
