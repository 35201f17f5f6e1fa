"""What the user types as a place to go: a folder URL or a local path, other schemes refused."""

from __future__ import annotations

import os

from ossbrowse.fs.url import refuse_other_schemes
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
