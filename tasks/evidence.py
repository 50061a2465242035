"""Evidence files: recognised by their content, limited in size, stored under a random name in the
private storage (cchc.storage: never publicly served), and read back only through an access-checked view."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from cchc import archives, storage

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

ALLOWED_LABEL = "pdf, doc, docx, xls, xlsx, odt, ods, jpg, png"


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


KINDS = {
    "pdf": FileKind("pdf", "application/pdf"),
    "doc": FileKind("doc", "application/msword"),
    "xls": FileKind("xls", "application/vnd.ms-excel"),
    "docx": FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text"),
    "ods": FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "jpg": FileKind("jpg", "image/jpeg"),
    "png": FileKind("png", "image/png"),
}


ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
MIMETYPE_BYTES = 256  # an OpenDocument's "mimetype" member holds its type alone (about 46 bytes)
UNPACKED_FACTOR = 10  # an office file may unpack into ten times the upload limit, no more


def archive_limits() -> archives.Limits:
    return archives.Limits(
        total=UNPACKED_FACTOR * settings.EVIDENCE_MAX_BYTES,
        advice="hãy lưu lại tài liệu gọn hơn (bớt hình ảnh, trang không cần) rồi tải lên",
    )


def _zip_kind(upload) -> str | None:
    """The office kind of a zip container by its members, or None (None too when it does not open).
    One that would unpack into too much, or whose headers lie, raises archives.ArchiveError before any
    member is read whole."""
    try:
        with archives.opened(upload, archive_limits()) as archive:
            names = archive.names
            if "mimetype" in names and archive.size("mimetype") <= MIMETYPE_BYTES:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return ODF_TYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                if any(name.startswith("word/") for name in names):
                    return "docx"
                if any(name.startswith("xl/") for name in names):
                    return "xlsx"
    except archives.NotAnArchive:
        return None
    return None


def sniff(upload) -> str | None:
    """The kind of the file by its first bytes (and, for zip containers, their contents), or None;
    archives.ArchiveError for a zip container that would unpack into too much or is damaged."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(OLE2):
        # Word and Excel 97–2003 share the container; the name tells them apart, the content vouches for both.
        return "xls" if Path(upload.name or "").suffix.lower() in (".xls", ".xlt") else "doc"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


def check(upload) -> FileKind:
    """The file's kind, or a ValidationError that names the reason in Vietnamese."""
    name = upload.name or "tệp"
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Tệp “{name}” nặng {upload.size / 1_048_576:.1f} MB, vượt giới hạn {limit / 1_048_576:.0f} MB."
        )
    if upload.size == 0:
        raise ValidationError(f"Tệp “{name}” rỗng.")
    try:
        kind = sniff(upload)
    except archives.ArchiveError as error:
        raise ValidationError(str(error)) from error
    if kind is None:
        raise ValidationError(
            f"Tệp “{name}” không phải loại được nhận ({ALLOWED_LABEL}) theo nội dung của nó."
        )
    return KINDS[kind]


def save(upload, kind: FileKind) -> str:
    """Write the upload under a random name; returns that name (the original stays in the database)."""
    stored_name = f"{secrets.token_hex(16)}.{kind.extension}"
    upload.seek(0)
    storage.write(name_of(stored_name), upload)
    return stored_name


def name_of(stored_name: str) -> str:
    """The file's name in the private storage."""
    return f"evidence/{stored_name[:2]}/{stored_name}"


def delete(stored_name: str) -> None:
    storage.delete(name_of(stored_name))


# Only images preview in the browser, and then under a policy that runs nothing and loads nothing else;
# a PDF may hold JavaScript (the browser's viewer runs some), so it is always saved, like the rest.
INLINE_TYPES = ("image/jpeg", "image/png")
INLINE_POLICY = "sandbox; default-src 'none'; img-src 'self'"


def response(request, item):
    """The stored file of an evidence record (anything with stored_name, original_name, content_type)
    for a request whose access is already checked: a download, or for an image with ?inline=1 shown in
    the browser under a sandboxing policy (with signed URLs, on the object store's origin instead, away
    from the site's). Never kept by a browser's or a proxy's cache."""
    inline = item.content_type in INLINE_TYPES and request.GET.get("inline") == "1"
    return storage.download(
        name_of(item.stored_name),
        filename=item.original_name,
        content_type=item.content_type,
        as_attachment=not inline,
        policy=INLINE_POLICY if inline else "",
    )


def size_problem(upload, limit: int, what: str) -> str | None:
    """Why an upload is refused by its size before it is opened (`what`: "tệp phụ lục"…), or None."""
    name = upload.name or "tệp"
    if upload.size > limit:
        size = f"{upload.size / 1_048_576:.1f}".replace(".", ",")
        return f"Tệp “{name}” nặng {size} MB, vượt giới hạn {limit // 1_048_576} MB của {what}."
    if upload.size == 0:
        return f"Tệp “{name}” rỗng."
    return None
