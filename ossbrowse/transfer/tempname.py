"""Names of the temporary files transfers write beside their destination.

A temporary name has a fixed length (27 bytes), whatever the final name: it used to be the final
name plus ~31 bytes, so a name of 225 to 255 bytes (85 Chinese characters are 255) could not
be downloaded or copied ("File name too long"). It is derived only from the destination and the
transfer's id, never read from a checkpoint's content: an edited checkpoint cannot make a
clean-up delete a path of its choosing, and a damaged one still leads to its temporary file.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading

PREFIX = ".ossb-"
SUFFIX = ".part"
_HEX = 16
_counter = itertools.count(1)


def _digest(*fields: str) -> str:
    text = "\0".join(fields).encode("utf-8", "surrogateescape")
    return hashlib.sha256(text).hexdigest()[:_HEX]


def transfer_temp_path(dest: str, ident: str) -> str:
    """The temporary file of the transfer `ident` to `dest`: the same in every run, so a re-run
    finds it to resume (and its lock, see `destlock`)."""
    dest = os.path.abspath(dest)
    folder = os.path.dirname(dest)
    return os.path.join(folder, f"{PREFIX}{_digest(dest, ident)}{SUFFIX}")


def private_temp_path(dest: str) -> str:
    """A temporary name for one write that nobody resumes (a local copy): unique to this
    process, thread and call, so two copies to one destination never share it."""
    dest = os.path.abspath(dest)
    unique = f"{os.getpid()}.{threading.get_ident()}.{next(_counter)}"
    return os.path.join(os.path.dirname(dest), f"{PREFIX}{_digest(dest, unique)}{SUFFIX}")


def is_temp_name(name: str) -> bool:
    """Whether a file name has the shape of our temporary names (for clean-ups and listings)."""
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return False
    middle = name[len(PREFIX) : -len(SUFFIX)]
    return len(middle) == _HEX and all(c in "0123456789abcdef" for c in middle)
