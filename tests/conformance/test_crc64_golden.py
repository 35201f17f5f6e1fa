"""CRC-64 checked against an implementation this project did not write: crcmod, which oss2
itself uses for `x-oss-hash-crc64ecma`. The client and the local server share
ossbrowse.crc64, so a test comparing them with each other could pass with both wrong."""

from __future__ import annotations

import random

import crcmod
import oss2
import pytest

from ossbrowse.crc64 import Crc64, crc64, crc64_combine

# CRC-64/XZ (OSS's crc64ecma), the parameters oss2.utils.Crc64 gives crcmod.
_reference = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, xorOut=0xFFFFFFFFFFFFFFFF, rev=True)

# Seeded, so every run checks the same bytes; the sizes straddle word and table boundaries.
_rng = random.Random(20261206)
SAMPLES = [_rng.randbytes(n) for n in (0, 1, 7, 8, 9, 63, 64, 65, 1000, 4096, 65537, 1 << 20)]


def test_catalogue_check_value():
    # The CRC-64/XZ check value of "123456789" (the CRC catalogue's test vector).
    assert _reference(b"123456789") == 0x995DC9BBDF1939FA
    assert crc64(b"123456789") == 0x995DC9BBDF1939FA


@pytest.mark.parametrize("data", SAMPLES, ids=[str(len(s)) for s in SAMPLES])
def test_crc64_matches_crcmod(data):
    assert crc64(data) == _reference(data)
    running = Crc64()
    for start in range(0, len(data), 4093):
        running.update(data[start : start + 4093])
    assert running.value == _reference(data) and running.length == len(data)


def test_crc64_matches_oss2s_own_class():
    data = SAMPLES[-1]
    theirs = oss2.utils.Crc64(0)
    theirs.update(data)
    assert crc64(data) == theirs.crc


@pytest.mark.parametrize("seed", range(8))
def test_combine_matches_crcmod_over_the_joined_data(seed):
    rng = random.Random(seed)
    pieces = [rng.randbytes(rng.choice((0, 1, 17, 4096, 100_003))) for _ in range(4)]
    combined = 0
    for piece in pieces:
        combined = crc64_combine(combined, _reference(piece), len(piece))
    assert combined == _reference(b"".join(pieces))


def test_server_reports_crcmods_value(oss_bucket):
    """What the local server puts in x-oss-hash-crc64ecma, for a plain, an appended and a
    multipart object, equals crcmod's CRC of the bytes."""
    data = SAMPLES[-1]  # 1 MiB: two parts, the first at OSS's 100 KiB minimum
    assert int(oss_bucket.put_object("plain", data).crc) == _reference(data)
    position = 0
    for piece in (data[:1000], data[1000:]):
        position = oss_bucket.append_object("appended", position, piece).next_position
    head = oss_bucket.head_object("appended")
    assert int(head.headers["x-oss-hash-crc64ecma"]) == _reference(data)
    upload = oss_bucket.init_multipart_upload("multi").upload_id
    parts = [
        oss2.models.PartInfo(n + 1, oss_bucket.upload_part("multi", upload, n + 1, chunk).etag)
        for n, chunk in enumerate((data[:102400], data[102400:]))
    ]
    oss_bucket.complete_multipart_upload("multi", upload, parts)
    assert int(oss_bucket.head_object("multi").headers["x-oss-hash-crc64ecma"]) == _reference(data)
