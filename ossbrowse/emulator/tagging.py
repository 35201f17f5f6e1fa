"""Object tagging: the `x-oss-tagging` header of writes, `x-oss-tagging-count` on reads, and
GetObjectTagging / PutObjectTagging / DeleteObjectTagging (`?tagging` on an object).

Limits follow the OSS reference ("Object tagging", error 0010-00000216 and 0010-00000219): at
most 10 tags, unique keys, a key 1 to 128 characters, a value at most 256; the header is
`k1=v1&k2=v2`, URL-encoded.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from ossbrowse.emulator import xmlbody
from ossbrowse.emulator.call import Call, Response
from ossbrowse.emulator.errors import OssError, malformed_xml

MAX_TAGS = 10
MAX_KEY = 128
MAX_VALUE = 256
_XML = {"Content-Type": "application/xml"}


def invalid_tag(message: str) -> OssError:
    return OssError(400, "InvalidTag", message)


def check_tags(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The tag set `pairs` as a dict, or InvalidTag when it breaks one of OSS's limits."""
    if len(pairs) > MAX_TAGS:
        raise invalid_tag(f"Object tags cannot be greater than {MAX_TAGS}.")
    tags: dict[str, str] = {}
    for key, value in pairs:
        if not key or len(key) > MAX_KEY:
            raise invalid_tag(f"The tag key must be 1 to {MAX_KEY} characters long.")
        if len(value) > MAX_VALUE:
            raise invalid_tag(f"The tag value must be at most {MAX_VALUE} characters long.")
        if key in tags:
            raise invalid_tag("Cannot provide multiple tags with the same key.")
        tags[key] = value
    return tags


def tags_from_header(call: Call) -> dict[str, str]:
    """The tags of `x-oss-tagging` (`k1=v1&k2`): empty when the header is absent."""
    text = call.header("x-oss-tagging")
    if not text:
        return {}
    pairs = []
    for item in text.split("&"):
        if not item:
            continue
        if item.count("=") > 1:
            # OSS: "aa=bb=cc" is not in the key or key=value format (0010-00000219).
            raise invalid_tag(
                "The x-oss-tagging header must be in the form key1=value1&key2=value2."
            )
        key, _, value = item.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return check_tags(pairs)


def tag_header(tags: dict[str, str]) -> dict[str, str]:
    """`x-oss-tagging-count` for GET and HEAD; OSS leaves it out when there are no tags."""
    return {"x-oss-tagging-count": str(len(tags))} if tags else {}


def encode_tags(tags: dict[str, str]) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in tags.items())


def get_object_tagging(call: Call) -> Response:
    meta = call.store.get(call.bucket, call.key, call.params.get("versionId"))
    tag_nodes: list[xmlbody.Node | str] = [
        ("Tag", [("Key", k), ("Value", v)]) for k, v in meta.tags.items()
    ]
    body = xmlbody.document("Tagging", [("TagSet", tag_nodes)])
    return Response(headers=dict(_XML), body=body)


def _tags_from_body(body: bytes) -> dict[str, str]:
    root = xmlbody.parse(body)
    if root.tag != "Tagging":
        raise malformed_xml()
    tag_set = root.find("TagSet")
    if tag_set is None:
        raise malformed_xml()
    pairs = []
    for node in tag_set.findall("Tag"):
        key = node.findtext("Key")
        if key is None:
            raise malformed_xml()
        pairs.append((key, node.findtext("Value") or ""))
    return check_tags(pairs)


def put_object_tagging(call: Call) -> Response:
    call.store.get(
        call.bucket, call.key, call.params.get("versionId")
    )  # NoSuchKey before the body is judged, as OSS
    tags = _tags_from_body(call.read_xml_body())
    set_tags(call, tags)
    return Response()


def delete_object_tagging(call: Call) -> Response:
    set_tags(call, {})
    return Response(status=204)


def set_tags(call: Call, tags: dict[str, str]) -> None:
    with call.store.lock:
        meta = call.store.get(call.bucket, call.key, call.params.get("versionId"))
        meta.tags = tags
        call.store.update(call.bucket, meta)


HANDLERS = {
    "get_object_tagging": get_object_tagging,
    "put_object_tagging": put_object_tagging,
    "delete_object_tagging": delete_object_tagging,
}
