"""A damaged upload checkpoint: `transfers --clean` aborts the multipart upload it started when
that can be proven (its id is still readable and OSS lists that id for that object), never an
upload it cannot prove is its own (another client's upload of the same object stays), and says
what is left when the id cannot be read."""

from __future__ import annotations

import os

from ossbrowse.transfer.checkpoint import CheckpointStore
from tests.campaign.conftest import run_verb, verb_env
from tests.transfer.conftest import random_file, run


def _leave_an_unfinished_upload(make_engine, oss_bucket, oss_faults, tmp_path):
    """An upload whose parts all fail: its checkpoint and its multipart upload stay."""
    state = tmp_path / "xdg-state" / "ossbrowse"  # where the command line looks
    random_file(tmp_path / "big.bin", 3 * 102_400)
    oss_faults.add("upload_part:status=503")
    engine = make_engine(threads=1, state_dir=state)
    job = run(engine, tmp_path / "big.bin", f"oss://{oss_bucket.bucket_name}/big.bin")
    oss_faults.clear()
    assert job.state.name == "FAILED"
    [info] = engine.unfinished()
    assert info.upload_id
    return info, state / "checkpoints" / f"{info.id}.json"


def _uploads(bucket) -> set[str]:
    return {u.upload_id for u in bucket.list_multipart_uploads().upload_list}


def test_clean_aborts_the_upload_a_damaged_checkpoint_proves_its_own(
    make_engine, oss_bucket, oss_faults, oss_server, tmp_path
):
    info, checkpoint = _leave_an_unfinished_upload(make_engine, oss_bucket, oss_faults, tmp_path)
    theirs = oss_bucket.init_multipart_upload("big.bin").upload_id  # another client's
    text = checkpoint.read_text()
    checkpoint.write_text(text.replace('"size": 307200', '"size": 307201'))  # fails its checksum
    [damaged] = CheckpointStore(checkpoint.parent.parent).list(include_damaged=True)
    assert damaged.damaged and damaged.upload_id == info.upload_id

    env = verb_env(oss_server, tmp_path)
    listed = run_verb(env, "transfers").stdout.decode()
    assert "damaged" in listed and "--clean aborts its upload if OSS still lists it" in listed
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert _uploads(oss_bucket) == {theirs}  # ours aborted, theirs untouched
    assert not checkpoint.exists()


def test_an_unreadable_upload_id_aborts_nothing_and_says_what_is_left(
    make_engine, oss_bucket, oss_faults, oss_server, tmp_path
):
    info, checkpoint = _leave_an_unfinished_upload(make_engine, oss_bucket, oss_faults, tmp_path)
    theirs = oss_bucket.init_multipart_upload("big.bin").upload_id
    text = checkpoint.read_text()
    checkpoint.write_text(text[: text.index('"upload_id"')])  # cut off before the id

    env = verb_env(oss_server, tmp_path)
    listed = run_verb(env, "transfers").stdout.decode()
    assert info.id in listed and "its upload id cannot be read" in listed
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    said = cleaned.stderr.decode()
    assert "too damaged to tell which upload it started, so none was aborted" in said
    assert "has 2 unfinished multipart uploads" in said and "Traceback" not in said
    assert _uploads(oss_bucket) == {info.upload_id, theirs}
    assert not checkpoint.exists()


def test_a_checkpoint_whose_names_do_not_prove_it_aborts_nothing(oss_bucket, oss_server, tmp_path):
    theirs = oss_bucket.init_multipart_upload("big.bin").upload_id
    folder = tmp_path / "xdg-state" / "ossbrowse" / "checkpoints"
    folder.mkdir(parents=True)
    # Names someone else's upload, but its file name is no hash of what it says: not ours.
    (folder / "0123456789abcdef.json").write_text(
        f'{{"kind": "upload", "src": "{tmp_path}/x", '
        f'"dst": "oss://{oss_bucket.bucket_name}/big.bin", "upload_id": "{theirs}"'
    )
    env = verb_env(oss_server, tmp_path)
    cleaned = run_verb(env, "transfers", "--clean", "all")
    assert cleaned.returncode == 0, cleaned.stderr.decode()
    assert _uploads(oss_bucket) == {theirs}
    assert os.listdir(folder) == []
