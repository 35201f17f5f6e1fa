"""Hostile keys: never written outside the destination, never printed raw (verbs' bytes)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from ossbrowse.text import safe_text
from stress import fuzz, scenarios
from stress.hostile import CORPUS, control_bytes, hostile_keys
from tests.campaign.conftest import run_verb, verb_env


@given(hostile_keys())
def test_safe_text_leaves_no_control_character(key):
    shown = safe_text(key)
    assert control_bytes(shown.encode("utf-8", "surrogateescape")) == []
    assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in shown)


def test_corpus_download_stays_in_destination(oss_server, oss_faults, tmp_path):
    h = scenarios.Harness(oss_server, tmp_path, 7)
    outcome = fuzz.hostile_download(h, CORPUS, tmp_path / "parent" / "dest")
    assert outcome.survived, outcome


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(keys=hostile_keys().flatmap(lambda k: __import__("hypothesis").strategies.just([k])))
def test_generated_keys_download_stays_in_destination(oss_server, tmp_path_factory, keys):
    base = tmp_path_factory.mktemp("gen")
    h = scenarios.Harness(oss_server, base, 11)
    outcome = fuzz.hostile_download(h, keys, base / "parent" / "dest")
    assert outcome.survived, outcome


@pytest.mark.parametrize("verb", ["ls", "ls-r", "stat", "cp-r"])
def test_verbs_print_no_raw_escape(oss_server, oss_bucket, tmp_path, verb):
    for key in CORPUS:
        try:
            oss_bucket.put_object("h/" + key, b"x", headers={"x-oss-meta-note": "plain"})
        except Exception:
            pass  # a few keys oss2 cannot send
    env = verb_env(oss_server, tmp_path)
    top = f"oss://{oss_bucket.bucket_name}/h/"
    args = {
        "ls": ["ls", top],
        "ls-r": ["ls", "-r", top] if verb == "ls-r" else [],
        "stat": ["stat", top + "title/\x1b]0;owned\x07.txt"],
        "cp-r": ["cp", "-r", top, str(tmp_path / "out")],
    }[verb]
    done = run_verb(env, *args)
    for stream in (done.stdout, done.stderr):
        assert control_bytes(stream) == [], stream[:400]
    assert b"Traceback" not in done.stderr
