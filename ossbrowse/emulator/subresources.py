"""The query parameters OSS treats as sub-resources: the ones a V1 signature covers, and the
ones that name an operation without being signed.

Signed: the union of oss2's `ProviderAuth._subresource_key_set` (2.19) and
alibabacloud-oss-v2's V1 signer list plus every operation's own `sub-resource` metadata, so a
V1 signature from either SDK covers the same parameters the server checks (issue 13.4).
Routing treats every name here as "selects an operation": a request carrying one the server
does not implement answers 501 NotImplemented instead of falling through to a listing.
"""

from __future__ import annotations

SIGNED = frozenset(
    """response-content-type response-content-language response-cache-control logging
    response-content-encoding acl uploadId uploads partNumber group link delete website location
    objectInfo objectMeta response-expires response-content-disposition cors lifecycle restore
    qos referer stat bucketInfo append position security-token live comp status vod startTime
    endTime x-oss-process symlink callback callback-var tagging encryption versions versioning
    versionId policy requestPayment x-oss-traffic-limit qosInfo asyncFetch x-oss-request-payer
    sequential inventory inventoryId continuation-token worm wormId wormExtend replication
    replicationLocation replicationProgress transferAcceleration cname metaQuery
    x-oss-ac-source-ip x-oss-ac-subnet-mask x-oss-ac-vpc-id x-oss-ac-forward-allow resourceGroup
    style styleName x-oss-async-process regionList x-oss-write-get-object-response
    bucketArchiveDirectRead httpsConfig redundancyTransition x-oss-target-redundancy-type
    x-oss-redundancy-transition-taskid accessPoint accessPointPolicy publicAccessBlock
    x-oss-access-point-name requesterQosInfo qosRequester resourcePoolInfo resourcePool
    resourcePoolBuckets cloudboxes MetaQuery cleanRestoredObject dataPipeline legalHold
    metadataConfiguration metadataInventoryTable metadataJournalTable objectWorm
    overwriteConfig policyStatus quota retention rtc seal userDefinedLogFieldsConfig""".split()  # noqa: SIM905
)

# Operation-selecting parameters OSS does not sign (DescribeRegions, access monitor, ...).
UNSIGNED = frozenset(
    """regions accessMonitor responseHeader eventNotification dataAccelerator
    accessPointForObjectProcess accessPointConfigForObjectProcess
    publicAccessBlockConfiguration""".split()  # noqa: SIM905
)

OPERATION_SELECTING = SIGNED | UNSIGNED
