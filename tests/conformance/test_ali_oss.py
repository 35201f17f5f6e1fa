"""The Node SDK ali-oss against the local server, when it is installed (`npm install ali-oss`
in a folder named by ALI_OSS_DIR, or resolvable by node): skipped otherwise. It checks that
the default server answers ali-oss given an IP endpoint, which sends
`Host: <bucket>.oss-<region>.aliyuncs.com` and the key alone as the path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

_SCRIPT = r"""
const OSS = require('ali-oss');
const [endpoint, id, secret, bucket] = process.argv.slice(1);
(async () => {
  const out = {};
  for (const v4 of [false, true]) {
    const c = new OSS({endpoint, accessKeyId: id, accessKeySecret: secret, bucket,
                       authorizationV4: v4, region: 'oss-cn-hangzhou'});
    await c.put('dir/a b.txt', Buffer.from('hello ali'));
    const got = (await c.get('dir/a b.txt')).content.toString();
    const listed = (await c.listV2({prefix: 'dir/'})).objects.map(o => o.name);
    const mpu = await c.multipartUpload('mp/manual', Buffer.alloc(200 * 1024, 1),
                                        {partSize: 102400});
    await c.delete('dir/a b.txt');
    out[v4 ? 'v4' : 'v1'] = {got, listed, mpu: mpu.res.status};
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.log(JSON.stringify({error: `${e.code}: ${e.message}`})); });
"""


def _node_with_ali_oss() -> tuple[str, str] | None:
    node = shutil.which("node")
    if node is None:
        return None
    folder = os.environ.get("ALI_OSS_DIR", os.getcwd())
    probe = subprocess.run([node, "-e", "require.resolve('ali-oss')"], cwd=folder,
                           capture_output=True, timeout=30)  # fmt: skip
    return (node, folder) if probe.returncode == 0 else None


def test_ali_oss_core_calls_with_an_ip_endpoint(oss_server, oss_bucket):
    found = _node_with_ali_oss()
    if found is None:
        pytest.skip("ali-oss is not installed (npm install ali-oss; ALI_OSS_DIR=that folder)")
    node, folder = found
    run = subprocess.run(
        [node, "-e", _SCRIPT, oss_server.endpoint, oss_server.access_key_id,
         oss_server.access_key_secret, oss_bucket.bucket_name],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    result = json.loads(run.stdout.strip().splitlines()[-1])
    expected = {"got": "hello ali", "listed": ["dir/a b.txt"], "mpu": 200}
    assert result == {"v1": expected, "v4": expected}
