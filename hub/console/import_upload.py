"""Reading an upload of the import page: the form streamed part by part (the service's own body
limit is for API requests; a table may be larger), the file at most :data:`LIMIT` bytes, a CSV
or an XLSX by its name and by its content alike. What is wrong is named by a text key
(``import_error_<key>``), and nothing is imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from hub.services.spreadsheets import OLE2, UTF16_BOMS, ZIP

LIMIT = 10 * 1024 * 1024
# What the form carries besides the file: a few short fields.
_FIELDS = 16 * 1024
_CHUNK = 64 * 1024
TYPES = {".csv": "csv", ".xlsx": "xlsx"}


class UploadError(Exception):
    """The upload is refused: ``key`` names why (a text key's end), ``status`` the answer."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


@dataclass(slots=True)
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str = ""
    data: bytes = b""


async def read_upload(request: web.Request) -> Upload:
    """The posted form; UploadError when it is too large or not a form with one file."""
    length = request.content_length
    if length is not None and length > LIMIT + _FIELDS:
        raise UploadError("size", 413)
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError) as exc:  # not multipart/form-data at all
        raise UploadError("form", 400) from exc
    upload = Upload()
    extra = 0
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise UploadError("form", 400)
        if part.filename is not None and part.name == "file":
            # Browsers send the name as it is, some clients percent-encoded.
            name = unquote(part.filename).replace("\\", "/")
            upload.filename = PurePath(name).name[:200]
            upload.data = await _read(request, part, LIMIT, "size", 413)
        else:
            value = await _read(request, part, _FIELDS - extra, "form", 400)
            extra += len(value)
            upload.fields[part.name or ""] = value.decode("utf-8", "replace")
    return upload


async def _read(
    request: web.Request, part: BodyPartReader, limit: int, key: str, status: int
) -> bytes:
    data = bytearray()
    while chunk := await part.read_chunk(_CHUNK):
        data += chunk
        if len(data) > limit:
            await request.release()  # the rest of the body, read and thrown away
            raise UploadError(key, status)
    return bytes(part.decode(bytes(data)))


def file_type(upload: Upload) -> str:
    """``csv`` or ``xlsx``: what the file is by its name, when its content agrees."""
    if not upload.filename or not upload.data:
        raise UploadError("file", 400)
    kind = TYPES.get(PurePath(upload.filename).suffix.lower())
    if kind is None:
        raise UploadError("type", 415)
    head = upload.data[:8192]
    if kind == "xlsx" and not head.startswith(ZIP):
        raise UploadError("content", 415)
    if kind == "csv" and (
        head.startswith((ZIP, OLE2)) or (b"\x00" in head and not head.startswith(UTF16_BOMS))
    ):
        raise UploadError("content", 415)
    return kind
