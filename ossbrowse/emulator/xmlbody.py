"""XML documents in and out: tiny builders for OSS's response bodies, a guarded parser for
request bodies, and the date and key encodings OSS uses in them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.utils import formatdate
from urllib.parse import quote
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from ossbrowse.emulator.errors import malformed_xml

# (tag, text) or (tag, [children...]); None text leaves the element empty. In a list of
# children, a plain str is a fragment already rendered (the listing builds its own, faster).
Node = tuple[str, "str | int | Sequence[Node | str] | None"]


def render(tag: str, content: str | int | Sequence[Node | str] | None) -> str:
    if isinstance(content, list):
        inner = "".join(child if isinstance(child, str) else render(*child) for child in content)
    elif content is None:
        inner = ""
    else:
        inner = escape(str(content))
    return f"<{tag}>{inner}</{tag}>"


def document(tag: str, content: str | Sequence[Node | str]) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + render(tag, content)).encode("utf-8")


def parse(body: bytes) -> ElementTree.Element:
    """The root of a request's XML body, parsed by defusedxml whatever its encoding.

    The one place request XML is read: a DOCTYPE, any entity declaration and external
    references are refused (MalformedXML) by the parser itself, so a UTF-16 or otherwise
    encoded body cannot carry them past a byte-level check.
    """
    try:
        root: ElementTree.Element = defused_fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        return root
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        raise malformed_xml() from None


def iso8601(ts: float) -> str:
    """The form OSS uses in XML: 2024-01-02T03:04:05.000Z (always .000: oss2 insists)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(ts))


def http_date(ts: float) -> str:
    """RFC 1123, as in Last-Modified and the restore expiry-date."""
    return formatdate(ts, usegmt=True)


def encode_name(name: str, url: bool) -> str:
    """A key or prefix as a listing shows it: URL-encoded when the client asked for it."""
    return quote(name, safe="") if url else name
