"""Pull the response examples out of the OSS API reference (AlibabaCloudDocs/oss) into
golden files: each sample response's body (XML) or header block, with the reference's
typesetting slips corrected (`<? xml ...? >`, curly quotes, `\\>`) so an XML parser reads them.
Run from a clone of github.com/AlibabaCloudDocs/oss:
    python tests/conformance/golden/extract_from_reference.py
"""

import pathlib
import re
import subprocess

REV = "f68409178447a330ac39eafa05bb44123ea8811f"
API = "intl.en-US/API Reference/"
OUT = pathlib.Path(__file__).resolve().parent


def doc(path):
    return subprocess.run(
        ["git", "show", f"{REV}:{API}{path}"], capture_output=True, text=True, check=True
    ).stdout


def blocks(text):
    return [re.sub(r"(?m)^    ", "", b) for b in re.findall(r"```\n(.*?)```", text, re.S)]


def body(block):
    start = block.find("<?")
    if start < 0:
        start = block.find("<")
    xml = block[start:]
    xml = (
        xml.replace("\\>", ">")
        .replace("<? xml", "<?xml")
        .replace('"? >', '"?>')
        .replace("”", '"')
        .replace("“", '"')
    )
    return xml.strip() + "\n"


def headers(block):
    lines = [line for line in block.strip().splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def save(name, text):
    (OUT / name).write_text(text)
    print(name, len(text))


b = blocks(doc("Bucket operations/Basic operations/GetBucket (ListObjects).md"))
resp = [x for x in b if x.startswith("HTTP/1.1")]
save("list_objects_v1.xml", body(resp[0]))
save("list_objects_v1_prefix_delimiter.xml", body(resp[2]))
save("list_objects_v1_url_marker.xml", body(resp[3]))
b = blocks(doc("Bucket operations/Basic operations/GetBucketV2 (ListObjectsV2).md"))
resp = [x for x in b if x.startswith("HTTP/1.1")]
save("list_objects_v2_url.xml", body(resp[0]))
save("list_objects_v2_url_prefix_delimiter.xml", body(resp[2]))
save("list_objects_v2_url_start_after_owner.xml", body(resp[3]))
b = blocks(doc("Object operations/Multipart upload/ListParts.md"))
save("list_parts.xml", body(next(x for x in b if x.startswith("HTTP/1.1"))))
b = blocks(doc("Object operations/Multipart upload/ListMultipartUploads.md"))
save("list_multipart_uploads.xml", body(next(x for x in b if x.startswith("HTTP/1.1"))))
b = blocks(doc("Object operations/Basic operations/HeadObject.md"))
resp = [x for x in b if x.startswith("HTTP/1.1")]
for x in resp:
    if "x-oss-storage-class: Archive" in x and "versionId" not in x and "x-oss-restore" not in x:
        save("head_object_archive.txt", headers(x))
        break
for x in resp:
    if 'ongoing-request="true"' in x:
        save("head_object_restoring.txt", headers(x))
    if 'ongoing-request="false"' in x:
        save("head_object_restored.txt", headers(x))
for path in (
    "Bucket operations/DeleteBucket.md",
    "Bucket operations/Basic operations/GetBucketInfo.md",
):
    for x in blocks(doc(path)):
        if "<Error>" in x:
            save(
                "error_no_such_bucket" + ("_delete" if "DeleteBucket" in path else "") + ".xml",
                body(x),
            )
            break
b = blocks(doc("Bucket operations/Basic operations/GetBucketInfo.md"))
save(
    "get_bucket_info.xml",
    body(next(x for x in b if x.startswith("HTTP/1.1") and "<BucketInfo>" in x)),
)
b = blocks(doc("Bucket operations/Versioning/GetBucketVersions(ListObjectVersions).md"))
save("list_object_versions_unversioned.xml", body(next(x for x in b if x.startswith("HTTP/1.1"))))
save("list_object_versions_versioned.xml", body([x for x in b if x.startswith("HTTP/1.1")][1]))
b = blocks(doc("Service operations/GetService (ListBuckets).md"))
resp = [x for x in b if x.startswith("HTTP/1.1")]
save("list_buckets.xml", body(resp[0]))
save("list_buckets_prefix_max_keys.xml", body(resp[1]))
