"""Pick the side for a path: `make_filesystem` gives OSS for oss:// URLs, local otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ossbrowse.fs.base import FileSystem
from ossbrowse.fs.url import is_oss_url

if TYPE_CHECKING:
    from ossbrowse.config import ConnectionSettings
    from ossbrowse.fs.gateway.client import OssClient


def make_filesystem(
    path: str,
    settings: ConnectionSettings | None = None,
    *,
    client: OssClient | None = None,
    read_only: bool | None = None,
) -> FileSystem:
    """The file system for `path`. OSS needs `settings` (or a ready `client` to share a pool);
    when neither is given the credential chain is resolved from the environment and files."""
    if is_oss_url(path):
        from ossbrowse.fs.gateway.client import OssClient
        from ossbrowse.fs.oss import OssFileSystem

        if client is None:
            if settings is None:
                from ossbrowse.config import resolve_settings

                settings = resolve_settings()
            client = OssClient(settings)
        return OssFileSystem(client, read_only=read_only)
    from ossbrowse.fs.local import LocalFileSystem

    if read_only is None:
        read_only = bool(settings.read_only) if settings is not None else False
    return LocalFileSystem(read_only=read_only)
