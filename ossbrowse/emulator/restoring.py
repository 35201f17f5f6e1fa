"""RestoreObject (`POST /key?restore`) for Archive, Cold Archive and Deep Cold Archive objects.

As OSS (RestoreObject reference; errors 0016-00000702/703/715): an Archive object takes
`Days` (1-7) only, and a body with `JobParameters` is refused as MalformedXML; a Cold Archive
object takes a tier (Expedited, Standard, Bulk; Standard when none is given) and 1-365 days,
a Deep Cold Archive object Expedited or Standard. The answer to a Cold or Deep Cold Archive
restore names the tier in `x-oss-object-restore-priority`. HEAD shows the state in
`x-oss-restore` (`ongoing-request="true"` while restoring, whatever the tier).
"""

from __future__ import annotations

import time

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, invalid_argument, malformed_xml
from ossbrowse.emulator.model import ARCHIVE_CLASSES
from ossbrowse.emulator.store import restore_state
from ossbrowse.emulator.versions import version_headers

TIERS = {
    "ColdArchive": ("Expedited", "Standard", "Bulk"),
    "DeepColdArchive": ("Expedited", "Standard"),
}
MAX_DAYS = {"Archive": 7, "ColdArchive": 365, "DeepColdArchive": 365}


def _restore_request(call: Call, storage_class: str) -> tuple[int, str | None]:
    """(days, tier) asked by the body; tier None for an Archive object."""
    body = call.read_xml_body()
    days_text, tier = "1", None
    if body.strip():
        root = xmlbody.parse(body)
        if root.tag != "RestoreRequest":
            raise malformed_xml()
        days_text = (root.findtext("Days") or "1").strip()
        job = root.find("JobParameters")
        if job is not None:
            if storage_class == "Archive":
                raise malformed_xml()  # OSS: Archive objects take no restore priority
            tier = (job.findtext("Tier") or "Standard").strip()
    if not days_text.lstrip("-").isdigit():
        raise malformed_xml()
    days = int(days_text)
    top = MAX_DAYS[storage_class]
    if not 1 <= days <= top:
        raise invalid_argument(f"The Days must be between 1 and {top}.", "Days", str(days))
    if storage_class == "Archive":
        return days, None
    tier = tier or "Standard"
    if tier not in TIERS[storage_class]:
        raise invalid_argument("Invalid Tier.", "Tier", tier)
    return days, tier


def restore_object(call: Call) -> Response:
    meta = call.store.get(call.bucket, call.key, call.params.get("versionId"))
    if meta.storage_class not in ARCHIVE_CLASSES:
        # 0016-00000702 in OSS's error centre; oss2's restore_object documents the code as
        # OperationNotSupported (400) and maps it to oss2.exceptions.OperationNotSupported.
        message = "The operation is not supported for this object's storage class."
        raise OssError(400, "OperationNotSupported", message)
    days, tier = _restore_request(call, meta.storage_class)
    headers = {"x-oss-object-restore-priority": tier} if tier else {}
    headers.update(version_headers(call.store.bucket(call.bucket).versioning, meta))
    now = time.time()
    with call.store.lock:
        state = restore_state(meta, now)
        if state == "ongoing":
            raise OssError(409, "RestoreAlreadyInProgress", "The restore operation is in "
                           "progress.")  # fmt: skip
        if state == "done":
            meta.restore_expiry = now + days * 86400  # extend: 200, readable the whole time
            call.store.update(call.bucket, meta)
            return Response(status=200, headers=headers)
        meta.restore_until = now + call.server.restore_delay
        meta.restore_expiry = meta.restore_until + days * 86400
        meta.restore_tier = tier
        call.store.update(call.bucket, meta)
    return Response(status=202, headers=headers)
