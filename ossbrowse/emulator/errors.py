"""OSS error responses: the exception handlers raise and the XML body OSS sends for it.

Codes, statuses and messages follow the OSS API reference ("Error codes" and each operation's
page); where oss2 maps a (status, code) pair to an exception class, the pair here matches it.
"""

from __future__ import annotations

from xml.sax.saxutils import escape


class OssError(Exception):
    """An OSS error answer: HTTP status, `Code`, `Message`, plus extra fields OSS adds."""

    def __init__(self, status: int, code: str, message: str, **fields: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers: dict[str, str] = {}

    def to_xml(self, request_id: str, host_id: str) -> bytes:
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n',
            f"  <Code>{escape(self.code)}</Code>\n",
            f"  <Message>{escape(self.message)}</Message>\n",
            f"  <RequestId>{escape(request_id)}</RequestId>\n",
            f"  <HostId>{escape(host_id)}</HostId>\n",
        ]
        for name, value in self.fields.items():
            parts.append(f"  <{name}>{escape(str(value))}</{name}>\n")
        parts.append("</Error>\n")
        return "".join(parts).encode("utf-8")


def no_such_bucket(bucket: str) -> OssError:
    return OssError(404, "NoSuchBucket", "The specified bucket does not exist.", BucketName=bucket)


def no_such_key(key: str) -> OssError:
    return OssError(404, "NoSuchKey", "The specified key does not exist.", Key=key)


def no_such_upload(upload_id: str) -> OssError:
    return OssError(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, "
        "or the upload may have been aborted or completed.",
        UploadId=upload_id,
    )


def invalid_argument(message: str, name: str = "", value: str = "") -> OssError:
    fields = {"ArgumentName": name, "ArgumentValue": value} if name else {}
    return OssError(400, "InvalidArgument", message, **fields)


def access_denied(message: str = "You have no right to access this object.") -> OssError:
    return OssError(403, "AccessDenied", message)


def malformed_xml() -> OssError:
    return OssError(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published "
        "schema.",
    )
