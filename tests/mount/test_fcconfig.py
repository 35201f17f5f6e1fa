"""Function Compute ossMountConfig from s.yaml (fc3 and fc 2.0 layouts) and function JSON."""

import json

import pytest

from ossbrowse.errors import UsageError
from ossbrowse.mount.fcconfig import load_mount_points, mount_points_from_document

# Serverless Devs 3.x (component fc3): ossMountConfig under a resource's props.
FC3_YAML = """
edition: 3.0.0
name: app
vars:
  region: cn-hangzhou
resources:
  worker:
    component: fc3
    props:
      region: ${vars.region}
      functionName: worker
      ossMountConfig:
        mountPoints:
          - bucketName: my-bucket
            bucketPath: /files
            endpoint: http://oss-cn-hangzhou-internal.aliyuncs.com
            mountDir: /mnt/oss
            readOnly: false
          - bucketName: models
            bucketPath: /
            endpoint: http://oss-cn-hangzhou-internal.aliyuncs.com
            mountDir: /mnt/models
            readOnly: true
          - bucketName: ${vars.bucket}
            mountDir: /mnt/var
"""

# Serverless Devs 2.x (component fc, edition 1.0.0): under the service's props.
FC2_YAML = """
edition: 1.0.0
services:
  svc:
    component: fc
    props:
      region: cn-shanghai
      service:
        name: svc
        ossMountConfig:
          mountPoints:
            - bucketName: logs-bucket
              bucketPath: /app/logs
              endpoint: http://oss-cn-shanghai.aliyuncs.com
              mountDir: /home/logs
              readOnly: true
"""

# GetFunction's JSON (FC 3.0 API, camelCase) and an older SDK's capitalised form.
FUNCTION_JSON = {
    "functionName": "worker",
    "ossMountConfig": {
        "mountPoints": [
            {
                "bucketName": "my-bucket",
                "bucketPath": "/out",
                "endpoint": "http://oss-cn-hangzhou.aliyuncs.com",
                "mountDir": "/mnt/out",
                "readOnly": False,
            }
        ]
    },
}
CAPITALISED = {
    "OssMountConfig": {
        "MountPoints": [{"BucketName": "cap-bucket", "BucketPath": "", "MountDir": "/data/x"}]
    }
}


def test_fc3_yaml(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(FC3_YAML)
    points = load_mount_points(str(path))
    assert [(p.mount_dir, p.bucket, p.prefix, p.read_only) for p in points] == [
        ("/mnt/oss", "my-bucket", "files/", False),
        ("/mnt/models", "models", "", True),
    ]  # the `${vars.bucket}` entry cannot be resolved here and is skipped
    assert points[0].endpoint == "http://oss-cn-hangzhou-internal.aliyuncs.com"
    assert "resources.worker.props.ossMountConfig" in points[0].where


def test_fc2_yaml(tmp_path):
    path = tmp_path / "s.yml"
    path.write_text(FC2_YAML)
    (point,) = load_mount_points(str(path))
    assert (point.mount_dir, point.bucket, point.prefix, point.read_only) == (
        "/home/logs",
        "logs-bucket",
        "app/logs/",
        True,
    )


def test_function_json_both_spellings(tmp_path):
    path = tmp_path / "function.json"
    path.write_text(json.dumps(FUNCTION_JSON))
    (point,) = load_mount_points(str(path))
    assert (point.bucket, point.prefix, point.mount_dir) == ("my-bucket", "out/", "/mnt/out")
    (cap,) = mount_points_from_document(CAPITALISED)
    assert (cap.bucket, cap.prefix, cap.read_only) == ("cap-bucket", "", False)


def test_auto_and_garbage_are_skipped():
    assert mount_points_from_document({"ossMountConfig": "auto"}) == []
    assert mount_points_from_document({"ossMountConfig": {"mountPoints": "x"}}) == []
    assert mount_points_from_document(["a", 1, None]) == []


def test_bad_files_say_what_to_do(tmp_path):
    with pytest.raises(UsageError, match="Cannot read"):
        load_mount_points(str(tmp_path / "missing.yaml"))
    bad = tmp_path / "s.yaml"
    bad.write_text("a: [unclosed\n")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_mount_points(str(bad))
    bad_json = tmp_path / "f.json"
    bad_json.write_text("{nope")
    with pytest.raises(UsageError, match="not valid JSON"):
        load_mount_points(str(bad_json))
