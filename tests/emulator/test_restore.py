"""Storage classes and the restore life cycle through oss2 (restore delay shortened)."""

import time
from email.utils import parsedate_to_datetime

import oss2
import pytest
from oss2.models import RestoreConfiguration, RestoreJobParameters

from tests.restore_helpers import finish_restore


def test_archive_restore_life_cycle(oss_bucket, oss_server, long_restore):
    oss_bucket.put_object("cold", b"frozen", headers={"x-oss-storage-class": "Archive"})
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.get_object("cold")
    assert (info.value.status, info.value.code) == (403, "InvalidObjectState")
    assert "x-oss-restore" not in oss_bucket.head_object("cold").headers
    assert oss_bucket.restore_object("cold").status == 202
    assert oss_bucket.head_object("cold").headers["x-oss-restore"] == 'ongoing-request="true"'
    with pytest.raises(oss2.exceptions.RestoreAlreadyInProgress):
        oss_bucket.restore_object("cold")
    with pytest.raises(oss2.exceptions.ServerError):
        oss_bucket.get_object("cold")
    header = finish_restore(oss_server, oss_bucket, "cold")
    expiry = header.split('expiry-date="')[1].rstrip('"')
    assert parsedate_to_datetime(expiry).timestamp() > time.time() + 3600  # RFC 1123 date
    got = oss_bucket.get_object("cold")
    assert got.read() == b"frozen" and got.headers["x-oss-restore"] == header
    assert oss_bucket.restore_object("cold").status == 200  # extend
    listed = oss_bucket.list_objects_v2(prefix="cold").object_list[0]
    assert listed.storage_class == "Archive"


@pytest.mark.parametrize("storage_class", ["ColdArchive", "DeepColdArchive"])
def test_cold_restore_with_tier(oss_bucket, oss_server, long_restore, storage_class):
    oss_bucket.put_object("c", b"ice", headers={"x-oss-storage-class": storage_class})
    config = RestoreConfiguration(days=2, job_parameters=RestoreJobParameters("Expedited"))
    assert oss_bucket.restore_object("c", input=config).status == 202
    finish_restore(oss_server, oss_bucket, "c")
    assert oss_bucket.get_object("c").read() == b"ice"


def test_restore_rejects_bad_days_tier_and_standard_objects(oss_bucket):
    oss_bucket.put_object("a", b"x", headers={"x-oss-storage-class": "Archive"})
    with pytest.raises(oss2.exceptions.InvalidArgument):
        oss_bucket.restore_object("a", input=RestoreConfiguration(days=8))
    oss_bucket.put_object("c", b"x", headers={"x-oss-storage-class": "ColdArchive"})
    bad_tier = RestoreConfiguration(days=1, job_parameters=RestoreJobParameters("Fast"))
    with pytest.raises(oss2.exceptions.InvalidArgument):
        oss_bucket.restore_object("c", input=bad_tier)
    oss_bucket.put_object("s", b"x")
    with pytest.raises(oss2.exceptions.OperationNotSupported):
        oss_bucket.restore_object("s")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        oss_bucket.restore_object("missing")


def test_unrestored_archive_cannot_be_copied(oss_bucket):
    oss_bucket.put_object("a", b"x", headers={"x-oss-storage-class": "Archive"})
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.copy_object(oss_bucket.bucket_name, "a", "b")
    assert info.value.code == "InvalidObjectState"


@pytest.mark.parametrize(
    ("storage_class", "tier"),
    [("ColdArchive", "Expedited"), ("ColdArchive", "Bulk"), ("DeepColdArchive", "Standard")],
)
def test_cold_restore_answers_its_priority(
    oss_bucket, oss_server, long_restore, storage_class, tier
):
    """Issue 13.11: the answer names the tier (x-oss-object-restore-priority); HEAD of the
    restoring object shows ongoing-request="true", whatever the tier."""
    import alibabacloud_oss_v2 as oss

    from tests.emulator.sdk_v2 import v2_client

    oss_bucket.put_object("c", b"ice", headers={"x-oss-storage-class": storage_class})
    config = RestoreConfiguration(days=2, job_parameters=RestoreJobParameters(tier))
    result = oss_bucket.restore_object("c", input=config)
    assert result.status == 202
    assert result.headers["x-oss-object-restore-priority"] == tier
    assert oss_bucket.head_object("c").headers["x-oss-restore"] == 'ongoing-request="true"'
    oss_bucket.put_object("d", b"ice", headers={"x-oss-storage-class": storage_class})
    answer = v2_client(oss_server).restore_object(
        oss.RestoreObjectRequest(bucket=oss_bucket.bucket_name, key="d")  # no tier: Standard
    )
    assert answer.restore_priority == "Standard"


def test_archive_restore_with_job_parameters_is_malformed(oss_bucket):
    """Issue 13.11: OSS refuses a tier for an Archive object with MalformedXML."""
    oss_bucket.put_object("a", b"x", headers={"x-oss-storage-class": "Archive"})
    config = RestoreConfiguration(days=1, job_parameters=RestoreJobParameters("Expedited"))
    with pytest.raises(oss2.exceptions.ServerError) as info:
        oss_bucket.restore_object("a", input=config)
    assert (info.value.status, info.value.code) == (400, "MalformedXML")
    result = oss_bucket.restore_object("a", input=RestoreConfiguration(days=1))
    assert result.status == 202 and "x-oss-object-restore-priority" not in result.headers


def test_deep_cold_archive_has_no_bulk_tier(oss_bucket):
    oss_bucket.put_object("d", b"x", headers={"x-oss-storage-class": "DeepColdArchive"})
    bulk = RestoreConfiguration(days=1, job_parameters=RestoreJobParameters("Bulk"))
    with pytest.raises(oss2.exceptions.InvalidArgument):
        oss_bucket.restore_object("d", input=bulk)
