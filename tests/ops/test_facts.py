"""Storage-class facts and the restore header, as the OSS documentation gives them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from ossbrowse.errors import ReadOnlyError, UsageError
from ossbrowse.fs.base import RestoreStatus
from ossbrowse.fs.restore_state import describe_restore, restore_state
from ossbrowse.fs.storage_classes import MINIMUM_DAYS, restore_options
from ossbrowse.ops.guard import ensure_writable
from ossbrowse.ops.restore import check_choice, fit_choice


def test_minimum_durations():
    assert MINIMUM_DAYS == {"IA": 30, "Archive": 60, "ColdArchive": 180, "DeepColdArchive": 180}


def test_restore_options_per_class():
    archive = restore_options("Archive")
    assert (archive.min_days, archive.max_days, archive.tiers) == (1, 7, ())
    assert archive.expected_wait() == "about 1 minute"
    cold = restore_options("ColdArchive")
    assert cold.max_days == 365
    assert [t.name for t in cold.tiers] == ["Expedited", "Standard", "Bulk"]
    assert cold.expected_wait("expedited") == "within 1 hour"
    assert cold.expected_wait("Bulk") == "5 to 12 hours"
    deep = restore_options("DeepColdArchive")
    assert [t.name for t in deep.tiers] == ["Expedited", "Standard"]
    assert deep.expected_wait("Expedited") == "within 12 hours"
    assert deep.expected_wait(None) == "within 48 hours"
    assert restore_options("IA") is None


def test_choices_are_checked_and_fitted():
    with pytest.raises(UsageError, match="1 to 7 days"):
        check_choice(restore_options("Archive"), 8, None)
    with pytest.raises(UsageError, match="Expedited, Standard"):
        check_choice(restore_options("DeepColdArchive"), 3, "Bulk")
    assert check_choice(restore_options("ColdArchive"), 365, "bulk") == (365, "Bulk")
    assert check_choice(restore_options("Archive"), 7, "Bulk") == (7, None)
    assert fit_choice(restore_options("Archive"), 30, "Bulk") == (7, None)
    assert fit_choice(restore_options("DeepColdArchive"), 30, "Bulk") == (30, "Standard")


def test_restore_header_states():
    assert restore_state("Standard", None).status is RestoreStatus.NOT_NEEDED
    assert restore_state("Archive", None).status is RestoreStatus.NOT_RESTORED
    assert restore_state("Archive", 'ongoing-request="true"').status is RestoreStatus.IN_PROGRESS
    later = datetime.now(timezone.utc) + timedelta(days=1)
    header = f'ongoing-request="false", expiry-date="{format_datetime(later, usegmt=True)}"'
    state = restore_state("ColdArchive", header)
    assert state.status is RestoreStatus.RESTORED
    assert abs((state.expires - later).total_seconds()) < 1
    assert describe_restore(state).startswith("restored until ")
    earlier = datetime.now(timezone.utc) - timedelta(days=1)
    expired = f'ongoing-request="false", expiry-date="{format_datetime(earlier, usegmt=True)}"'
    assert restore_state("Archive", expired).status is RestoreStatus.NOT_RESTORED


def test_read_only_guard_says_what_was_refused():
    ensure_writable(False, "delete objects")
    with pytest.raises(ReadOnlyError, match="Refused to delete objects: ossbrowse is running"):
        ensure_writable(True, "delete objects")
