"""JSON Lines output for the verbs' `--json`: one JSON object a line, flushed as it is written.

A reader on a pipe (jq, a script) sees each record as soon as the verb has it; field names are
the verb's documented ones. Text outside ASCII is escaped (`\u00e9`), as every JSON reader
understands: a control character in a hostile key cannot drive a terminal, and a local file
name that is not UTF-8 (a lone surrogate) cannot fail the write.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any, TextIO


def write_json_line(record: Mapping[str, Any], out: TextIO | None = None) -> None:
    """Write `record` as one line of JSON and flush."""
    out = out or sys.stdout
    out.write(json.dumps(record) + "\n")
    out.flush()


def write_json_lines(records: Iterable[Mapping[str, Any]], out: TextIO | None = None) -> None:
    """Write each record as one line of JSON, flushing after each."""
    for record in records:
        write_json_line(record, out)
