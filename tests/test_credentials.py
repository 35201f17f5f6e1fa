"""The refreshing cache: when it asks its source again, and what threads do meanwhile.

Pure logic with a clock the test moves; the sources' HTTP is in test_credentials_sources.py.
"""

from __future__ import annotations

import threading

import pytest

from ossbrowse.credentials import (
    REFRESH_MARGIN,
    Credentials,
    RefreshingCredentials,
    refresh_time,
)
from ossbrowse.errors import CredentialsError, OssBrowseError

T0 = 1_700_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


class Source:
    """Hands out numbered credentials valid for `lifetime` seconds from the clock's now."""

    def __init__(self, clock: Clock, lifetime: float) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.calls = 0
        self.fail: OssBrowseError | None = None

    def __call__(self) -> Credentials:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        return Credentials(
            f"id{self.calls}", "secret", f"token{self.calls}", self.clock() + self.lifetime
        )


def test_refresh_margin_is_five_minutes_or_a_quarter_of_the_lifetime():
    assert refresh_time(0, 3600) == 3600 - REFRESH_MARGIN  # an hour: 5 minutes before
    assert refresh_time(0, 6 * 3600) == 6 * 3600 - 300
    assert refresh_time(0, 900) == 900 - 225  # 15 minutes (STS's shortest): a quarter
    assert refresh_time(0, 40) == 30


def test_held_until_the_margin_then_fetched_again():
    clock = Clock()
    source = Source(clock, 3600)
    creds = RefreshingCredentials(source, "a test source", clock=clock)
    first = creds.get()
    assert first.access_key_id == "id1" and source.calls == 1
    clock.now = T0 + 3600 - 301
    assert creds.get() is first and source.calls == 1
    clock.now = T0 + 3600 - 300
    assert creds.get().access_key_id == "id2" and source.calls == 2
    assert creds.expiration() == clock.now + 3600


def test_credentials_without_expiration_are_fetched_once():
    calls = []
    creds = RefreshingCredentials(
        lambda: calls.append(1) or Credentials("id", "secret"), "fixed", clock=Clock()
    )
    for _ in range(5):
        creds.get()
    assert len(calls) == 1


def test_a_failed_refresh_keeps_valid_credentials_and_asks_again_later():
    clock = Clock()
    source = Source(clock, 3600)
    creds = RefreshingCredentials(source, "a test source", clock=clock)
    first = creds.get()
    source.fail = CredentialsError("The source is down.")
    clock.now = T0 + 3600 - 100  # in the margin, still valid
    assert creds.get() is first and source.calls == 2
    assert creds.get() is first and source.calls == 2  # not asked again at once
    assert creds.last_error == "The source is down."
    clock.now += 30
    assert creds.get() is first and source.calls == 3  # asked again after a while
    clock.now = T0 + 3600  # expired: the failure reaches the caller
    with pytest.raises(CredentialsError, match=r"The source is down\."):
        creds.get()


def test_a_source_failing_at_first_reaches_the_caller():
    clock = Clock()
    source = Source(clock, 3600)
    source.fail = CredentialsError("Could not reach the credentials URI http://127.0.0.1:9/.")
    creds = RefreshingCredentials(source, "a test source", clock=clock)
    with pytest.raises(CredentialsError, match="Could not reach"):
        creds.get()


def test_credentials_expired_on_arrival_are_refused_with_a_sentence():
    clock = Clock()
    source = Source(clock, -10)
    creds = RefreshingCredentials(source, "the credentials URI http://x/", clock=clock)
    with pytest.raises(CredentialsError) as info:
        creds.get()
    assert str(info.value).startswith("The credentials URI http://x/ gave credentials that expired")
    assert "clock" in str(info.value)


def test_one_refresh_at_a_time_while_other_threads_keep_signing():
    """Thread A refreshes (its fetch is held open by an Event); B, C and D ask meanwhile and
    get the still-valid credentials at once, without a second fetch."""
    clock = Clock()
    source = Source(clock, 3600)
    entered, release = threading.Event(), threading.Event()

    def fetch() -> Credentials:
        if source.calls >= 1:  # the refresh, not the first fetch
            entered.set()
            assert release.wait(30)
        return source()

    creds = RefreshingCredentials(fetch, "a slow source", clock=clock)
    first = creds.get()
    clock.now = T0 + 3600 - 10  # due, still valid
    result: list[Credentials] = []
    refresher = threading.Thread(target=lambda: result.append(creds.get()))
    refresher.start()
    assert entered.wait(30)
    others = [creds.get() for _ in range(3)]
    assert all(c is first for c in others)
    assert source.calls == 1  # nobody else fetched while A was fetching
    release.set()
    refresher.join(30)
    assert result[0].access_key_id == "id2"
    assert creds.get() is result[0] and source.calls == 2


def test_threads_wait_for_the_refresh_when_nothing_valid_is_held():
    """Expired credentials are not handed out: a second thread waits for the fetch under way."""
    clock = Clock()
    source = Source(clock, 100)
    entered, release = threading.Event(), threading.Event()

    def fetch() -> Credentials:
        if source.calls >= 1:
            entered.set()
            assert release.wait(30)
        return source()

    creds = RefreshingCredentials(fetch, "a slow source", clock=clock)
    creds.get()
    clock.now = T0 + 100  # expired
    results: list[Credentials] = []
    threads = [threading.Thread(target=lambda: results.append(creds.get())) for _ in range(2)]
    threads[0].start()
    assert entered.wait(30)
    threads[1].start()
    release.set()
    for thread in threads:
        thread.join(30)
    assert [c.access_key_id for c in results] == ["id2", "id2"]
    assert source.calls == 2


def test_repr_hides_the_secret_and_token():
    text = repr(Credentials("LTAIabcdefghijkl1234", "very-secret-value", "token-value", 5.0))
    assert "very-secret" not in text and "token-value" not in text and "1234" in text


def test_invalidate_fetches_again_once_per_refused_pair():
    clock = Clock()
    source = Source(clock, 3600)
    creds = RefreshingCredentials(source, "a test source", clock=clock)
    first = creds.get()
    creds.invalidate(first.access_key_id)  # OSS said "expired" (clocks apart)
    second = creds.get()
    assert second.access_key_id == "id2"
    creds.invalidate(first.access_key_id)  # a late part refused with the old pair: no refetch
    assert creds.get() is second and source.calls == 2
    creds.invalidate()
    assert creds.get().access_key_id == "id3"
