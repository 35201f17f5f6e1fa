"""Pure logic: part sizes, size parsing, `name (1).ext` names, retry classification."""

import pytest

from ossbrowse.errors import OssBrowseError, UsageError
from ossbrowse.fs.gateway.failures import translate
from ossbrowse.fs.retrying import PartChecksumMismatch, RetryPolicy, is_transient
from ossbrowse.transfer.conflict import free_name, split_name
from ossbrowse.transfer.plan import (
    DEFAULT_PART_SIZE,
    MAX_PARTS,
    MIN_PART_SIZE,
    GiB,
    MiB,
    choose_part_size,
    parse_size,
    plan_parts,
)


def _sdk(exc: Exception) -> OssBrowseError:
    """`exc` as the gateway raises it."""
    return translate(exc, action="oss:UploadPart", bucket="b", key="k")


def test_default_part_size_and_growth():
    assert choose_part_size(10 * MiB) == DEFAULT_PART_SIZE
    huge = 200 * GiB
    size = choose_part_size(huge)
    assert size * MAX_PARTS >= huge and size > DEFAULT_PART_SIZE
    assert len(plan_parts(huge, size)) <= MAX_PARTS
    assert choose_part_size(1000, requested=10) == MIN_PART_SIZE


def test_parts_cover_the_file_exactly():
    parts = plan_parts(250_001, 102_400)
    assert [(p.number, p.offset, p.size) for p in parts] == [
        (1, 0, 102_400),
        (2, 102_400, 102_400),
        (3, 204_800, 45_201),
    ]
    assert plan_parts(0, 100_000)[0].size == 0


@pytest.mark.parametrize(
    ("text", "value"),
    [("8388608", 8 * MiB), ("8MiB", 8 * MiB), ("8M", 8 * MiB), ("8MB", 8_000_000),
     ("1.5G", int(1.5 * GiB)), ("100k", 102_400), ("100KB", 100_000)],
)  # fmt: skip
def test_parse_size(text, value):
    assert parse_size(text) == value


def test_parse_size_refuses_nonsense():
    with pytest.raises(UsageError):
        parse_size("eight megs")


@pytest.mark.parametrize(
    ("name", "split"),
    [("a.txt", ("a", ".txt")), (".bashrc", (".bashrc", "")), ("x.tar.gz", ("x", ".tar.gz")),
     ("noext", ("noext", "")), ("v1.2.pdf", ("v1.2", ".pdf"))],
)  # fmt: skip
def test_split_name(name, split):
    assert split_name(name) == split


def test_free_name_counts_up():
    taken = {"d/file.txt", "d/file (1).txt"}
    assert free_name("d/file.txt", taken.__contains__) == "d/file (2).txt"


def test_transient_classification():
    import oss2.exceptions as oe

    assert is_transient(_sdk(oe.RequestError(ConnectionResetError("reset"))))
    assert is_transient(_sdk(oe.ServerError(503, {}, b"", {})))
    assert is_transient(_sdk(oe.ServerError(500, {}, b"", {})))
    assert not is_transient(_sdk(oe.ServerError(403, {}, b"", {})))
    assert not is_transient(_sdk(oe.ServerError(404, {}, b"", {})))
    assert is_transient(PartChecksumMismatch("part 1"))


def test_retry_gives_up_on_4xx_at_once_and_retries_5xx():
    import oss2.exceptions as oe

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise _sdk(oe.ServerError(503, {}, b"", {}))
        return "ok"

    policy = RetryPolicy(attempts=5, base_delay=0.001)
    assert policy.call(flaky) == "ok" and len(calls) == 3
    calls.clear()

    def denied():
        calls.append(1)
        raise _sdk(oe.ServerError(403, {}, b"", {}))

    with pytest.raises(OssBrowseError):
        policy.call(denied)
    assert len(calls) == 1
