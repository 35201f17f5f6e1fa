"""mountinfo parsing and OSS mount detection, on sample lines of each kind."""

from ossbrowse.mount import mountinfo
from ossbrowse.mount.mountinfo import guess_from_source, oss_kind, parse_line, parse_mountinfo

# ossfs 1.x, as `mount` showed it in Alibaba's OSS CSI driver issues ("ossfs on /data type
# fuse.ossfs (rw,nosuid,nodev,relatime,user_id=0,group_id=0,allow_other)"), in mountinfo form.
OSSFS_RW = (
    "812 790 0:97 / /data rw,nosuid,nodev,relatime shared:402 - fuse.ossfs ossfs "
    "rw,user_id=0,group_id=0,allow_other"
)
# ossfs 1.x mounted read-only (a read-only Function Compute or CSI mount): `ro` on the mount.
OSSFS_RO = (
    "813 790 0:98 / /mnt/oss ro,nosuid,nodev,relatime - fuse.ossfs ossfs "
    "ro,user_id=0,group_id=0,allow_other"
)
# ossfs 2.0 whose source is `bucket.endpoint:/prefix`, as `df -T` showed one in a public note
# ("mtp-temp.oss-cn-beijing-internal.aliyuncs.com:/GW00357265/model fuse.ossfs2 ... /mnt/model").
OSSFS2_SOURCE = (
    "901 27 0:120 / /mnt/model rw,nosuid,nodev,relatime - fuse.ossfs2 "
    "mtp-temp.oss-cn-beijing-internal.aliyuncs.com:/GW00357265/model "
    "rw,user_id=0,group_id=0,default_permissions,allow_other"
)
# ossfs 2.0 with the plain program name as source (`ossfs2 /app/... fuse.ossfs2` in /proc/mounts).
OSSFS2_PLAIN = "902 27 0:121 / /app/work rw,relatime - fuse.ossfs2 ossfs2 rw,user_id=0,group_id=0"
# s3fs on OSS's S3 endpoint: fstype fuse.s3fs, source s3fs (s3fs-fuse's default fsname).
S3FS = "903 27 0:122 / /mnt/s3 rw,nosuid,nodev,relatime - fuse.s3fs s3fs rw,user_id=0,group_id=0"
# A mount point with a space, octal-escaped as proc(5) says.
ESCAPED = r"904 27 0:123 / /mnt/my\040oss rw,relatime - fuse.ossfs ossfs rw,user_id=0,group_id=0"
# Not OSS: the root file system, a tmpfs, a NAS mount (Function Compute's other mount kind).
OTHERS = [
    "22 27 0:21 / /proc rw,relatime - proc proc rw",
    "25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684084k",
    "300 27 0:50 / /mnt/nas rw,relatime - nfs 0123-abc.cn-hangzhou.nas.aliyuncs.com:/ "
    "rw,vers=3,proto=tcp",
]


def test_fields_of_an_ossfs_line():
    info = parse_line(OSSFS_RW)
    assert info.mount_point == "/data"
    assert info.fstype == "fuse.ossfs"
    assert info.source == "ossfs"
    assert info.root == "/"
    assert not info.read_only
    assert oss_kind(info) == "ossfs"


def test_read_only_from_mount_or_super_options():
    assert parse_line(OSSFS_RO).read_only
    super_only = OSSFS_RW.replace(" rw,user_id", " ro,user_id")
    assert parse_line(super_only).read_only


def test_ossfs2_source_names_bucket_endpoint_and_prefix():
    info = parse_line(OSSFS2_SOURCE)
    assert oss_kind(info) == "ossfs2"
    guess = guess_from_source(info.source)
    assert guess.bucket == "mtp-temp"
    assert guess.prefix == "GW00357265/model/"
    assert guess.endpoint == "oss-cn-beijing-internal.aliyuncs.com"


def test_ossfs2_plain_source_says_nothing_of_the_bucket():
    info = parse_line(OSSFS2_PLAIN)
    assert oss_kind(info) == "ossfs2"
    assert guess_from_source(info.source).bucket is None


def test_s3fs_is_a_candidate_until_its_command_line_says_otherwise():
    assert oss_kind(parse_line(S3FS)) == "s3fs"


def test_octal_escapes_are_undone():
    assert parse_line(ESCAPED).mount_point == "/mnt/my oss"


def test_other_mounts_are_not_oss():
    for line in OTHERS:
        assert oss_kind(parse_line(line)) is None


def test_fstab_style_and_url_sources():
    assert guess_from_source("ossfs#my-bucket:/logs/app").bucket == "my-bucket"
    assert guess_from_source("ossfs#my-bucket:/logs/app").prefix == "logs/app/"
    assert guess_from_source("oss://my-bucket/a/b").prefix == "a/b/"
    endpoint_only = guess_from_source("oss-cn-hangzhou.aliyuncs.com:/my-bucket/x")
    assert (endpoint_only.bucket, endpoint_only.prefix) == ("my-bucket", "x/")
    assert guess_from_source("ossfs").bucket is None


def test_whole_text_skips_garbage_and_finds_the_containing_mount():
    text = "\n".join([*OTHERS, "garbage line", "", OSSFS_RW, OSSFS_RO, OSSFS2_SOURCE])
    mounts = parse_mountinfo(text)
    assert len(mounts) == 6
    root = parse_line("1 0 8:1 / / rw - ext4 /dev/sda1 rw")
    mounts.insert(0, root)
    assert mountinfo.mount_containing("/mnt/oss/a/b", mounts).mount_point == "/mnt/oss"
    assert mountinfo.mount_containing("/mnt/ossx", mounts).mount_point == "/"
    assert mountinfo.mount_containing("/data", mounts).mount_point == "/data"


def test_reading_this_machine_does_not_fail():
    assert isinstance(mountinfo.read_mountinfo(), list)
    assert mountinfo.read_mountinfo("/nonexistent/mountinfo") == []
