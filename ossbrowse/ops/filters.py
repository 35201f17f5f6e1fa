"""Which files and objects a verb selects: include/exclude globs, size, time and class, one model.

Every verb that walks a tree (`ls`, `find`, `cp -r`, `mv`, `rm -r`, `restore -r`, `sync`, `du`)
adds the same options with `add_filter_arguments` and builds one `Filter` with `from_args`, so
a filter selects the same set whichever verb reads it. `Filter.matches(item, relative)` works
on the one object record (`fs.records.ObjectRecord`, from a listing page) and on a pane row
(`fs.base.Entry`, local or OSS); `relative` is the path below the URL the verb was given (a
record's key without the prefix), which is what the globs are matched against.

Include and exclude follow ossutil 2.0, whose filter options are rclone's (same names, same
units; ossutil's "Filter options" and "metadata filter" pages):

- Rules are tried in the order they were given on the command line; the first rule whose
  pattern matches decides (include or exclude). When any `--include` was given, a path that
  no rule matches is excluded (an implicit `--exclude '**'` at the end), as ossutil's
  `--metadata-include RULE` is documented to equal `--filter "+ RULE" --filter "- **"`.
- A pattern starting with `/` is anchored at the top (the URL given); any other pattern is
  matched against the end of the path, whole path segments only: `*.jpg` matches `a.jpg` and
  `photos/a.jpg`, not `photos/xa.jpgx`; `2024/*.log` matches `logs/2024/a.log`.
- `*` is any run of characters but `/`; `**` any run including `/`; `?` one character but `/`;
  `[a-z]`, `[!0-9]` character classes; `{jpg,png}` alternatives; `\\*` a literal `*`.
- A pattern ending in `/` names a folder: it matches everything below a folder of that name
  (`--exclude cache/` leaves out every `cache/` folder's contents).
- `--filter "+ GLOB"` / `--filter "- GLOB"` are ossutil's spelling of an include / exclude
  rule; `--include-from FILE` / `--exclude-from FILE` add one rule per line of FILE (blank
  lines and lines starting with `#` or `;` are skipped). All of them keep their order.

Sizes (`--min-size`, `--max-size`) are inclusive bounds in bytes, or with a unit: 10K, 10KiB,
5M, 5MiB are binary, 5MB decimal (`transfer.plan.parse_size`, the one size reader). Times
(`--newer`, `--older`) are an ISO 8601 instant (a time without a zone is UTC, as ossutil reads
`--min-mtime`) or an age counted back from when the verb started (`30d`, `12h`, `90m`,
`2w`, `1y`; a bare number is seconds). ossutil's names are accepted as well: `--max-age` and
`--min-mtime` are `--newer`, `--min-age` and `--max-mtime` are `--older`. The time compared is
the object's Last-Modified (a listing's LastModified) and a local file's modification time.
`--class` keeps objects of the named storage classes; a local file has none, so a class
filter selects no local file. Folder markers (`dir/` objects) and folders are not files: a
walk with an active filter does not select them.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from ossbrowse.errors import UsageError
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.fs.storage_classes import CLASSES

RULES_DEST = "filter_rules"


class Facts(Protocol):
    """What a filter reads of a row: a pane's `Entry` has these (its `mtime` is Last-Modified
    on OSS, the file's mtime locally)."""

    @property
    def size(self) -> int: ...

    @property
    def mtime(self) -> float | None: ...

    @property
    def storage_class(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Rule:
    include: bool
    pattern: str
    regex: re.Pattern[str]


def compile_glob(pattern: str) -> re.Pattern[str]:
    """The regular expression of one include/exclude pattern (see the module's rules)."""
    if not pattern or pattern == "/":
        raise UsageError(f"{pattern!r} is not a filter pattern.", hint="Give a glob such as *.jpg.")
    anchored = pattern.startswith("/")
    body = pattern[1:] if anchored else pattern
    folder = body.endswith("/")
    regex = _glob_body(body)
    if folder:
        regex += ".*"  # everything below the folder
    head = "" if anchored else "(?:.*/)?"
    try:
        return re.compile(f"{head}{regex}", re.DOTALL)
    except re.error as exc:
        raise UsageError(f"{pattern!r} is not a valid filter pattern: {exc}.") from exc


def _glob_body(glob: str) -> str:
    out: list[str] = []
    i, n = 0, len(glob)
    depth = 0  # inside {a,b}
    while i < n:
        c = glob[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
            continue
        if c == "*":
            if glob.startswith("**", i):
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2 if glob.startswith("[!", i) else i + 1)
            if end < 0:
                raise UsageError(f"{glob!r}: a [ without its ].", hint="Write \\[ for a literal [.")
            inner = glob[i + 1 : end]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif c == "{":
            out.append("(?:")
            depth += 1
        elif c == "}" and depth:
            out.append(")")
            depth -= 1
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    if depth:
        raise UsageError(f"{glob!r}: a {{ without its }}.", hint="Write \\{ for a literal {.")
    return "".join(out)


def make_rule(include: bool, pattern: str) -> Rule:
    return Rule(include, pattern, compile_glob(pattern))


_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|M|y)?\s*")
_AGE_SECONDS = {
    "ms": 0.001,
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "M": 30 * 86400,
    "y": 365 * 86400,
}


def parse_time(text: str, now: float) -> float:
    """Seconds since the epoch from an ISO 8601 time (no zone: UTC) or an age before `now`."""
    match = _AGE.fullmatch(text)
    if match:
        number, unit = match.groups()
        return now - float(number) * _AGE_SECONDS[unit or "s"]
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{text!r} is neither a time nor an age.",
            hint="Write a time as 2026-01-31 or 2026-01-31T12:00:00Z, an age as 30d, 12h, 90m.",
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def parse_size_bound(text: str) -> int:
    from ossbrowse.transfer.plan import parse_size

    return parse_size(text)


def storage_class_name(text: str) -> str:
    """The table's spelling of a class name typed in any case (`ia` -> `IA`)."""
    for name in CLASSES:
        if name.lower() == text.strip().lower():
            return name
    raise UsageError(
        f"{text!r} is not a storage class.", hint="Use one of: " + ", ".join(CLASSES) + "."
    )


@dataclass(frozen=True)
class Filter:
    """A selection; the empty Filter selects everything (`active` is False)."""

    rules: tuple[Rule, ...] = ()
    min_size: int | None = None
    max_size: int | None = None
    newer: float | None = None  # seconds since the epoch; the item's time is >= this
    older: float | None = None  # the item's time is <= this
    classes: frozenset[str] = frozenset()
    name: str | None = None  # find --name: a glob on the last path segment
    regex: re.Pattern[str] | None = None  # find --regex: searched in the relative path
    _name_regex: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.name is not None and self._name_regex is None:
            object.__setattr__(self, "_name_regex", re.compile(_glob_body(self.name), re.DOTALL))

    @property
    def active(self) -> bool:
        return bool(
            self.rules
            or self.classes
            or self.name is not None
            or self.regex is not None
            or any(v is not None for v in (self.min_size, self.max_size, self.newer, self.older))
        )

    @property
    def has_includes(self) -> bool:
        return any(rule.include for rule in self.rules)

    def matches_path(self, relative: str) -> bool:
        """The include/exclude rules, --name and --regex on a path below the URL."""
        for rule in self.rules:
            if rule.regex.fullmatch(relative):
                if not rule.include:
                    return False
                break
        else:
            if self.has_includes:
                return False
        if self._name_regex is not None:
            base = relative.rstrip("/").rsplit("/", 1)[-1]
            if not self._name_regex.fullmatch(base):
                return False
        return self.regex is None or self.regex.search(relative) is not None

    def matches_facts(self, size: int, when: float | None, storage_class: str | None) -> bool:
        if self.min_size is not None and size < self.min_size:
            return False
        if self.max_size is not None and size > self.max_size:
            return False
        if self.newer is not None and (when is None or when < self.newer):
            return False
        if self.older is not None and (when is None or when > self.older):
            return False
        return not self.classes or storage_class in self.classes

    def matches(self, item: ObjectRecord | Facts, relative: str | None = None) -> bool:
        """Whether a file or object is selected. `relative` defaults to a record's key (or a
        row's name, which a walk sets to the path below the walked folder)."""
        if isinstance(item, ObjectRecord):
            path = item.key if relative is None else relative
            when = item.last_modified
        else:
            path = relative if relative is not None else str(getattr(item, "name", ""))
            when = item.mtime
        return self.matches_facts(item.size, when, item.storage_class) and self.matches_path(path)

    def matches_folder(self, relative: str) -> bool:
        """Whether a folder row is shown in a one-level listing: only a rule that matches the
        folder itself (`cache/`, `**`) hides it; sizes, times, classes and the implicit
        exclude of --include are about files."""
        path = relative if relative.endswith("/") else relative + "/"
        for rule in self.rules:
            if rule.regex.fullmatch(path):
                return rule.include
        return True

    def select(self, relative: str, item: ObjectRecord | Facts) -> bool:
        """The walks' question (relative path, item): `matches`, and never the walked folder's
        own marker or a folder marker (`dir/`): those are folders, not files."""
        return bool(relative) and not relative.endswith("/") and self.matches(item, relative)

    def describe(self) -> list[str]:
        """The filter in words, one item a condition (for a price or a dialog's summary)."""
        words = [f"{'include' if r.include else 'exclude'} {r.pattern}" for r in self.rules]
        if self.name is not None:
            words.append(f"name {self.name}")
        if self.regex is not None:
            words.append(f"regex {self.regex.pattern}")
        if self.min_size is not None:
            words.append(f"at least {self.min_size:,} bytes")
        if self.max_size is not None:
            words.append(f"at most {self.max_size:,} bytes")
        if self.newer is not None:
            words.append(f"modified since {_iso(self.newer)}")
        if self.older is not None:
            words.append(f"modified before {_iso(self.older)}")
        if self.classes:
            words.append("class " + " or ".join(sorted(self.classes)))
        return words


EVERYTHING = Filter()


def _iso(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _RuleAction(argparse.Action):
    """Appends (include?, pattern) to one shared list, so the command line's order is kept
    across --include, --exclude, --filter and the rule files."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        # Kept as given; `from_args` reads them (an error there is one line, never argparse's).
        rules = list(getattr(namespace, RULES_DEST, None) or [])
        rules.append((self.const, str(values)))
        setattr(namespace, RULES_DEST, rules)


def _expand_rules(given: Sequence[tuple[object, str]]) -> list[tuple[bool, str]]:
    """(include?, pattern) in command-line order from what the options recorded."""
    rules: list[tuple[bool, str]] = []
    for kind, text in given:
        if kind == "filter":
            rules.append(parse_filter_rule(text))
        elif kind in ("include-from", "exclude-from"):
            rules.extend((kind == "include-from", p) for p in read_rule_file(text))
        else:
            rules.append((bool(kind), text))
    return rules


def parse_filter_rule(text: str) -> tuple[bool, str]:
    """ossutil's `--filter "+ GLOB"` (include) or `"- GLOB"` (exclude)."""
    sign, _, pattern = text.strip().partition(" ")
    if sign not in ("+", "-") or not pattern.strip():
        raise UsageError(
            f"{text!r} is not a filter rule.",
            hint='Write "+ GLOB" to include or "- GLOB" to exclude.',
        )
    return sign == "+", pattern.strip()


def read_rule_file(path: str) -> list[str]:
    """The patterns of an --include-from/--exclude-from file, one a line; blank lines and
    lines starting with # or ; are comments (as ossutil reads them)."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise UsageError(f"Cannot read the rule file {path}: {exc.strerror}.") from exc
    return [line.strip() for line in lines if line.strip() and line.strip()[0] not in "#;"]


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter options, spelled the same on every verb."""
    group = parser.add_argument_group(
        "filters", "select files by path, size, time and storage class (rules in order)"
    )
    group.set_defaults(**{RULES_DEST: []})
    group.add_argument(
        "--include",
        action=_RuleAction,
        const=True,
        metavar="GLOB",
        help="select paths matching GLOB (repeatable; the first matching rule decides; with "
        "any --include, paths no rule matches are left out)",
    )
    group.add_argument(
        "--exclude",
        action=_RuleAction,
        const=False,
        metavar="GLOB",
        help="leave out paths matching GLOB (repeatable; /GLOB is anchored at the top, "
        "a GLOB ending in / names a folder)",
    )
    group.add_argument(
        "--filter",
        action=_RuleAction,
        const="filter",
        metavar="RULE",
        help='a rule in order with the others: "+ GLOB" includes, "- GLOB" excludes',
    )
    group.add_argument(
        "--include-from",
        action=_RuleAction,
        const="include-from",
        metavar="FILE",
        help="--include each pattern of FILE (one a line; # and ; start comments)",
    )
    group.add_argument(
        "--exclude-from",
        action=_RuleAction,
        const="exclude-from",
        metavar="FILE",
        help="--exclude each pattern of FILE",
    )
    group.add_argument(
        "--min-size", metavar="SIZE", help="at least SIZE: 1024, 10K, 5MiB (binary), 5MB"
    )
    group.add_argument("--max-size", metavar="SIZE", help="at most SIZE")
    group.add_argument(
        "--newer",
        "--max-age",
        "--min-mtime",
        dest="newer",
        metavar="WHEN",
        help="modified at or after WHEN: 2026-01-31T12:00:00Z, or an age such as 30d, 12h",
    )
    group.add_argument(
        "--older",
        "--min-age",
        "--max-mtime",
        dest="older",
        metavar="WHEN",
        help="modified at or before WHEN (a time or an age, as --newer)",
    )
    group.add_argument(
        "--class",
        dest="storage_classes",
        action="append",
        default=[],
        metavar="CLASS",
        help="storage class (repeatable): " + ", ".join(CLASSES),
    )


def from_args(
    args: argparse.Namespace,
    *,
    now: float | None = None,
    name: str | None = None,
    regex: str | None = None,
) -> Filter:
    """The Filter of a verb's parsed options (ages counted back from `now`, default: now)."""
    import time

    moment = time.time() if now is None else now
    given = getattr(args, RULES_DEST, None) or ()
    rules = tuple(make_rule(inc, pat) for inc, pat in _expand_rules(given))
    min_text, max_text = getattr(args, "min_size", None), getattr(args, "max_size", None)
    newer_text, older_text = getattr(args, "newer", None), getattr(args, "older", None)
    compiled = None
    if regex is not None:
        try:
            compiled = re.compile(regex)
        except re.error as exc:
            raise UsageError(f"{regex!r} is not a valid regular expression: {exc}.") from exc
    filt = Filter(
        rules=rules,
        min_size=parse_size_bound(min_text) if min_text else None,
        max_size=parse_size_bound(max_text) if max_text else None,
        newer=parse_time(newer_text, moment) if newer_text else None,
        older=parse_time(older_text, moment) if older_text else None,
        classes=frozenset(
            storage_class_name(c) for c in getattr(args, "storage_classes", ()) or ()
        ),
        name=name,
        regex=compiled,
    )
    if filt.min_size is not None and filt.max_size is not None and filt.min_size > filt.max_size:
        raise UsageError("--min-size is larger than --max-size: nothing could match.")
    return filt


def refuse_classes_locally(filt: Filter, where: str) -> None:
    """A class filter on a local tree would silently select nothing: say so instead."""
    if filt.classes:
        raise UsageError(
            f"--class selects OSS objects by storage class; {where} is a local folder, whose "
            "files have none.",
            hint="Drop --class, or give an oss:// URL.",
        )


def predicate(filt: Filter) -> Callable[[str, ObjectRecord | Facts], bool] | None:
    """The (relative, item) test a walk takes, or None when the filter selects everything
    (so an unfiltered walk costs nothing)."""
    return filt.select if filt.active else None
