"""Copy one object to another inside OSS, never through this machine.

CopyObject up to 1 GB (its limit); above, a multipart upload whose parts are UploadPartCopy
ranges of the source, in parallel. Both are pinned to the source's ETag
(`x-oss-copy-source-if-match`) -- and to its version, when one is named (`version_id`: every
request's copy source carries it, and the checkpoint records it) -- and the result's CRC64 is
checked against the source's.
"""

from __future__ import annotations

import contextlib

from ossbrowse.errors import NoSuchUpload
from ossbrowse.fs.gateway import multipart, objects
from ossbrowse.fs.gateway.multipart import complete_multipart_upload, list_parts
from ossbrowse.fs.records import ObjectRecord
from ossbrowse.tasks.control import Cancelled, Stopped
from ossbrowse.transfer import plan
from ossbrowse.transfer.checkpoint import checkpoint_id
from ossbrowse.transfer.context import Context, run_parts
from ossbrowse.transfer.download import head, refuse_unrestored, same_source
from ossbrowse.transfer.failures import ChecksumMismatch, SourceChanged, describe
from ossbrowse.transfer.plan import Part, choose_part_size, plan_parts

_IF_MATCH = "x-oss-copy-source-if-match"


def copy_object(
    ctx: Context,
    src_bucket,
    src_key: str,
    dst_bucket,
    dst_key: str,
    info: ObjectRecord | None = None,
    *,
    copy_limit: int | None = None,
    extra_headers: dict[str, str] | None = None,
    version_id: str = "",
) -> ObjectRecord:
    """Copy oss://src/src_key (its version `version_id`, when given) to oss://dst/dst_key
    server-side; returns the source's info.

    `extra_headers` go with the CopyObject or the multipart upload's start (the mover and a
    version's restore keep the storage class). `copy_limit` None: CopyObject's limit
    (`plan.COPY_OBJECT_LIMIT`, read when called, so a test can lower it).
    """
    limit = plan.COPY_OBJECT_LIMIT if copy_limit is None else copy_limit
    info = info or head(ctx, src_bucket, src_key, version_id)
    refuse_unrestored(info, src_bucket.bucket_name, src_key)
    src_url = f"oss://{src_bucket.bucket_name}/{src_key}"
    dst_url = f"oss://{dst_bucket.bucket_name}/{dst_key}"
    shown = f"{src_url} (version {version_id})" if version_id else src_url
    try:
        if info.size <= limit:
            ctx.control.gate()
            ctx.retry.call(
                lambda: objects.copy_object(
                    dst_bucket,
                    (src_bucket.bucket_name, src_key),
                    dst_key,
                    headers={**(extra_headers or {}), _IF_MATCH: info.etag},
                    source_version_id=version_id,
                ),
                ctx.control,
            )
            ctx.meter.add(info.size)
        else:
            _copy_multipart(
                ctx, src_bucket, src_key, dst_bucket, dst_key, info, src_url, dst_url,
                extra_headers, version_id,
            )  # fmt: skip
        copied = ctx.retry.call(lambda: objects.head(dst_bucket, dst_key), ctx.control)
    except (Cancelled, Stopped, ChecksumMismatch):
        raise
    except Exception as exc:
        if getattr(exc, "status", None) == 412:
            raise SourceChanged(
                f"{shown} changed while it was being copied.", hint="Copy it again."
            ) from exc
        raise describe(
            exc, action="oss:CopyObject", bucket=dst_bucket.bucket_name, key=dst_key
        ) from exc
    if info.crc64 is not None and copied.crc64 is not None and copied.crc64 != info.crc64:
        raise ChecksumMismatch(
            f"{dst_url} does not match {shown} after the copy (CRC64 mismatch).",
            hint="Copy it again.",
        )
    return info


def _copy_multipart(
    ctx, src_bucket, src_key, dst_bucket, dst_key, info, src_url, dst_url, extra_headers=None,
    version_id="",
):  # fmt: skip
    import threading

    part_size = choose_part_size(info.size, ctx.part_size)
    parts = plan_parts(info.size, part_size)
    ident = checkpoint_id("copy", src_url, dst_url)
    saved = ctx.store.load(ident) if ctx.store is not None else None
    upload_id = None
    done: dict[int, str] = {}
    if same_source(saved, info, version_id) and saved.get("part_size") == part_size:
        upload_id = saved.get("upload_id")
        try:
            listed = {p.number: p.etag for p in list_parts(dst_bucket, dst_key, upload_id)}
            for n, entry in (saved.get("parts") or {}).items():
                if listed.get(int(n), "").upper() == entry["etag"].upper():
                    done[int(n)] = entry["etag"]
        except NoSuchUpload:
            upload_id = None
    if upload_id is None:
        # Carry the source's content type and user metadata, as CopyObject does by default.
        src_headers = objects.head_headers(src_bucket, src_key, version_id=version_id)
        headers = {
            k: v
            for k, v in src_headers.items()
            if k.startswith("x-oss-meta-") or k == "content-type"
        }
        headers.update(extra_headers or {})
        upload_id = multipart.init_upload(dst_bucket, dst_key, headers)
    record = {
        "kind": "copy",
        "src": src_url,
        "dst": dst_url,
        "bucket": dst_bucket.bucket_name,
        "key": dst_key,
        "upload_id": upload_id,
        "etag": info.etag,
        "size": info.size,
        "version_id": version_id,
        "part_size": part_size,
        "parts": {str(n): {"etag": e, "size": parts[n - 1].size} for n, e in done.items()},
    }
    if ctx.store is not None:
        ctx.store.save(ident, record)
    ctx.meter.add(sum(parts[n - 1].size for n in done))
    lock = threading.Lock()

    def copy_part(part: Part) -> None:
        result = ctx.retry.call(
            lambda: multipart.upload_part_copy(
                dst_bucket,
                dst_key,
                upload_id,
                part.number,
                (src_bucket.bucket_name, src_key),
                (part.offset, part.end - 1),
                headers={_IF_MATCH: info.etag},
                source_version_id=version_id,
            ),
            ctx.control,
        )
        ctx.meter.add(part.size)
        with lock:
            done[part.number] = result.etag
            record["parts"][str(part.number)] = {"etag": result.etag, "size": part.size}
            if ctx.store is not None:
                ctx.store.save(ident, record)

    try:
        run_parts(ctx, [p for p in parts if p.number not in done], copy_part)
        # Safe to repeat: a lost success answer is told apart from a vanished upload by CRC64.
        complete_multipart_upload(
            dst_bucket, dst_key, upload_id, done.items(), expect_crc=info.crc64, policy=ctx.retry,
            control=ctx.control,
        )  # fmt: skip
    except Stopped:
        raise
    except BaseException:
        with contextlib.suppress(Exception):  # retried: a lost abort keeps costing storage
            ctx.retry.call(lambda: multipart.abort_upload(dst_bucket, dst_key, upload_id))
        if ctx.store is not None:
            ctx.store.delete(ident)
        raise
    if ctx.store is not None:
        ctx.store.delete(ident)
