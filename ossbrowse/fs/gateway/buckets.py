"""Buckets through oss2: ListBuckets pages and GetBucketInfo, as the product's bucket record."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ossbrowse.fs.gateway.failures import request, translating
from ossbrowse.fs.gateway.handle import BucketHandle, sdk_bucket

if TYPE_CHECKING:
    from ossbrowse.fs.gateway.client import OssClient


@dataclass(frozen=True, slots=True)
class BucketRecord:
    """A bucket as a listing or GetBucketInfo tells it."""

    name: str
    created: float | None  # seconds since the epoch
    storage_class: str | None
    region: str | None  # `cn-hangzhou`, from the region or the `oss-` location


@dataclass(frozen=True, slots=True)
class BucketsPage:
    buckets: list[BucketRecord]
    next_marker: str | None  # None on the last page


def _region(info: Any) -> str | None:
    region = getattr(info, "region", None)
    if region:
        return str(region)
    location = getattr(info, "location", None) or ""
    return str(location).removeprefix("oss-") or None


def _seconds(value: object) -> float | None:
    """A creation date as oss2 gives it: a number, an HTTP date or ISO 8601 text."""
    if value is None:
        return None
    if not isinstance(value, str):
        return float(value)  # type: ignore[arg-type]  # oss2 gives an int
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        pass
    try:  # ISO 8601, as XML bodies write dates
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def list_buckets(client: OssClient, *, marker: str, max_keys: int) -> BucketsPage:
    """One ListBuckets page of the buckets `client`'s credentials own."""
    from ossbrowse.fs.gateway.client import sdk_service

    with translating("oss:ListBuckets", endpoint=client.endpoint):
        result = sdk_service(client).list_buckets(marker=marker, max_keys=max_keys)
    buckets = [
        BucketRecord(info.name, _seconds(info.creation_date), info.storage_class, _region(info))
        for info in result.buckets
    ]
    return BucketsPage(buckets, (result.next_marker or None) if result.is_truncated else None)


@request("oss:GetBucketInfo", key=None)
def bucket_info(handle: BucketHandle) -> BucketRecord:
    """GetBucketInfo of the handle's bucket."""
    info = sdk_bucket(handle).get_bucket_info()
    location = getattr(info, "location", None) or ""
    return BucketRecord(
        handle.bucket_name,
        _seconds(getattr(info, "creation_date", None)),
        getattr(info, "storage_class", None),
        str(location).removeprefix("oss-") or None,
    )
