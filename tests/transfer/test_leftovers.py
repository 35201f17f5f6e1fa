"""Giving up unfinished transfers: every clean-up goes through the transfer's lock, so none
removes or aborts what a running transfer is still using.

A running transfer is made deterministic by holding its requests at the server: while held it
certainly holds its lock.
"""

from __future__ import annotations

import threading

import pytest

from ossbrowse.emulator import FaultRule
from ossbrowse.transfer.destlock import TransferBusy
from tests.transfer.conftest import random_file, wait_for


def test_engine_clean_leaves_a_running_upload_alone(make_engine, oss_bucket, oss_faults, tmp_path):
    state = tmp_path / "state"
    data = random_file(tmp_path / "big.bin", 3 * 102_400)
    running = make_engine(threads=1, state_dir=state)
    gate = threading.Event()
    held = oss_faults.add(FaultRule("upload_part", hold=gate, attempts=(1, 1)))
    job = running.submit(str(tmp_path / "big.bin"), f"oss://{oss_bucket.bucket_name}/big.bin")
    cleaner = make_engine(state_dir=state)  # another window's engine, the same checkpoints
    try:
        assert wait_for(lambda: held.fired >= 1 and cleaner.unfinished())
        [info] = cleaner.unfinished()
        with pytest.raises(TransferBusy) as refused:
            cleaner.clean_unfinished(info)
        assert "Stop that transfer first" in refused.value.hint
        assert [u.upload_id for u in oss_bucket.list_multipart_uploads().upload_list] == [
            info.upload_id
        ]
    finally:
        gate.set()
    assert job.wait(60) and job.state.name == "DONE", job.error
    assert oss_bucket.get_object("big.bin").read() == data
