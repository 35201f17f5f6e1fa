"""The suite's own rules: every test has a time limit, so a hang fails fast with a stack."""

import os

import pytest

from tests.conftest import DEFAULT_TIMEOUT, SLOW_TIMEOUT


def _explicit(config) -> bool:
    return bool(
        config.getoption("timeout", None) is not None
        or config.getini("timeout")
        or os.environ.get("PYTEST_TIMEOUT")
    )


def test_a_test_gets_the_default_limit(request):
    if _explicit(request.config):
        pytest.skip("a limit was given on the command line, in the ini file or the environment")
    marker = request.node.get_closest_marker("timeout")
    assert marker.args == (DEFAULT_TIMEOUT,) and marker.kwargs == {"method": "thread"}


@pytest.mark.slow
def test_a_slow_test_gets_the_slow_limit(request):
    if _explicit(request.config):
        pytest.skip("a limit was given on the command line, in the ini file or the environment")
    assert request.node.get_closest_marker("timeout").args == (SLOW_TIMEOUT,)


@pytest.mark.timeout(7)
def test_a_tests_own_limit_wins(request):
    assert request.node.get_closest_marker("timeout").args == (7,)
