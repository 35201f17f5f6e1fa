"""The UI tests' fixtures, for the compare-mode Pilot test: the app as `ossbrowse` builds it."""

from tests.ui.conftest import _no_user_config, make_app, oss_settings  # noqa: F401
