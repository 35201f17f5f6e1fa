"""Buckets through oss2: ListBuckets pages and GetBucketInfo, as the product's bucket record."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime
from typing import Any


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


def list_buckets(service: Any, *, marker: str, max_keys: int) -> BucketsPage:
    """One ListBuckets page of an oss2 Service (gateway.client.OssClient.service())."""
    result = service.list_buckets(marker=marker, max_keys=max_keys)
    buckets = [
        BucketRecord(info.name, _seconds(info.creation_date), info.storage_class, _region(info))
        for info in result.buckets
    ]
    return BucketsPage(buckets, (result.next_marker or None) if result.is_truncated else None)


def bucket_info(bucket: Any, name: str) -> BucketRecord:
    """GetBucketInfo of `bucket` (named `name`)."""
    info = bucket.get_bucket_info()
    location = getattr(info, "location", None) or ""
    return BucketRecord(
        name,
        _seconds(getattr(info, "creation_date", None)),
        getattr(info, "storage_class", None),
        str(location).removeprefix("oss-") or None,
    )
