"""Reading golden answers: the OSS API reference's own response examples, kept in golden/.

The reference writes a namespace on some roots (`xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"`);
OSS's answers carry none (oss2 and our parser look elements up by bare name, and both work
against OSS), so it is dropped when a golden file is loaded.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden(name: str) -> bytes:
    return re.sub(rb'\s+xmlns="[^"]*"', b"", (GOLDEN / name).read_bytes(), count=1)


def element_paths(body: bytes) -> set[str]:
    """Every element of a document as a path from the root (`ListBucketResult/Contents/Key`)."""
    root = ElementTree.fromstring(re.sub(rb'\s+xmlns="[^"]*"', b"", body, count=1))
    found: set[str] = set()

    def walk(node: ElementTree.Element, above: str) -> None:
        path = f"{above}/{node.tag}" if above else node.tag
        found.add(path)
        for child in node:
            walk(child, path)

    walk(root, "")
    return found


def golden_headers(name: str) -> dict[str, str]:
    """A sample response's header block (status line dropped), names lower-cased."""
    lines = (GOLDEN / name).read_text().splitlines()[1:]
    pairs = (line.split(":", 1) for line in lines if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}
