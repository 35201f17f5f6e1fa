"""Moved to `ossbrowse.fs.gateway.http`; kept so older imports keep working."""

from ossbrowse.fs.gateway.http import copy_object, environment_matters, make_session

__all__ = ["copy_object", "environment_matters", "make_session"]
