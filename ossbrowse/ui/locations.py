"""What the user types as a place to go: a folder URL or a local path, other schemes refused."""

from __future__ import annotations

import os

from ossbrowse.errors import UsageError
from ossbrowse.text import safe_text
from ossbrowse.ui.sides import is_oss_path


def normalize_location(text: str) -> str:
    """What the user typed in 'go to' as a pane path: a folder URL, or an absolute path.

    Another scheme (http://, s3://) is refused with what to type instead: taken as a local
    path it opened a folder named `http:`."""
    text = text.strip()
    refuse_other_schemes(text)
    if is_oss_path(text) or text.startswith("oss:"):
        from ossbrowse.fs.url import parse_oss_url

        url = parse_oss_url(text)  # raises InvalidURL with the rule it breaks
        if url.bucket is None:
            return "oss://"
        key = url.key if (not url.key or url.key.endswith("/")) else url.key + "/"
        return f"oss://{url.bucket}/{key}"
    return os.path.abspath(os.path.expanduser(text))


def refuse_other_schemes(text: str) -> None:
    scheme, sep, rest = text.partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace("-", "").isalnum():
        return
    if scheme.lower() == "oss":
        return
    if scheme.lower() in ("http", "https"):
        host, _, key = rest.partition("/")
        bucket = host.split(".")[0] if ".oss-" in host or ".aliyuncs.com" in host else ""
        instead = f"oss://{bucket}/{key}" if bucket else "oss://bucket/prefix/"
        raise UsageError(
            f"{safe_text(text)} is a web address, not a place ossbrowse can open.",
            hint=f"Type an OSS URL ({safe_text(instead)}) or a local path.",
        )
    similar = scheme.lower() in ("s3", "gs") and rest
    instead = f"oss://{rest}" if similar else "oss://bucket/prefix/"
    raise UsageError(
        f"{safe_text(scheme)}:// is not a scheme ossbrowse opens.",
        hint=f"Type an OSS URL ({safe_text(instead)}) or a local path.",
    )
