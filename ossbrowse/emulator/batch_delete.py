"""DeleteMultipleObjects (`POST /?delete`), including keys with control characters.

XML 1.0 cannot carry most control characters, even as character references, yet OSS keys
may hold them and OSS accepts them in this one body written as decimal or hex numeric
character references (`&#07;`, `&#x7;`): alibabacloud-oss-v2 writes every character below
0x20 that way, and the OSS Java SDK does the same. Those references, and only those, are
swapped for a marker before the hardened parser (xmlbody.parse) reads the body, and turned
back into characters in the keys it found. Raw control bytes stay refused (MalformedXML),
as by any XML parser.

An entry may name a version (`VersionId`): that version or delete marker is removed for good.
In a versioned bucket an entry without one adds a delete marker. Each `Deleted` answer says
what happened as OSS does: `VersionId` (the version named), `DeleteMarker` and
`DeleteMarkerVersionId` (the delete marker added or removed).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, malformed_xml
from ossbrowse.emulator.names import check_object_name

MAX_DELETE = 1000
_XML = {"Content-Type": "application/xml"}
_CONTROL_REF = re.compile(rb"&#(?:0*(\d{1,3})|[xX]0*([0-9a-fA-F]{1,2}));")
_LEGAL_IN_XML = {0x9, 0xA, 0xD}


def _control_code(match: re.Match[bytes]) -> int | None:
    decimal, hexa = match.groups()
    code = int(decimal) if decimal is not None else int(hexa, 16)
    return code if code < 0x20 and code not in _LEGAL_IN_XML else None


def parse_delete_body(body: bytes) -> tuple[bool, list[tuple[str, str | None]]]:
    """(quiet, (key, version id or None) pairs) of a Delete document; MalformedXML when it is
    not one."""
    marker = b"ossctl" + os.urandom(6).hex().encode()
    while marker in body:  # never confuse a key's own text with the marker
        marker = b"ossctl" + os.urandom(6).hex().encode()

    def swap(match: re.Match[bytes]) -> bytes:
        code = _control_code(match)
        return match.group(0) if code is None else marker + b"%02d" % code

    root = xmlbody.parse(_CONTROL_REF.sub(swap, body))
    if root.tag != "Delete":
        raise malformed_xml()
    back = re.compile(re.escape(marker.decode()) + r"(\d\d)")
    quiet = (root.findtext("Quiet") or "false").strip().lower() == "true"
    keys = [
        (
            back.sub(lambda m: chr(int(m.group(1))), node.findtext("Key") or ""),
            node.findtext("VersionId"),
        )
        for node in root.findall("Object")
    ]
    return quiet, keys


def delete_multiple_objects(call: Call) -> Response:
    call.store.bucket(call.bucket)
    body = call.read_xml_body()
    expected = call.header("Content-MD5")
    if not expected:
        raise OssError(400, "MissingArgument", "Missing Some Required Arguments.",
                       ArgumentName="Content-MD5")  # fmt: skip
    if expected != base64.b64encode(hashlib.md5(body).digest()).decode():
        raise OssError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.")
    quiet, keys = parse_delete_body(body)
    if not keys or len(keys) > MAX_DELETE:
        raise malformed_xml()
    for key, _ in keys:
        check_object_name(key)
    done = [(key, version, call.store.delete(call.bucket, key, version)) for key, version in keys]
    url = call.params.get("encoding-type") == "url"
    content: list[xmlbody.Node] = []
    if url:
        content.append(("EncodingType", "url"))
    if not quiet:
        for key, version, deleted in done:
            entry: list[xmlbody.Node | str] = [("Key", xmlbody.encode_name(key, url))]
            if version is not None:
                entry.append(("VersionId", version))
            if deleted.delete_marker:
                entry.append(("DeleteMarker", "true"))
                entry.append(("DeleteMarkerVersionId", deleted.version_id or ""))
            content.append(("Deleted", entry))
    return Response(headers=dict(_XML), body=xmlbody.document("DeleteResult", content))
