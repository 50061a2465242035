"""Zip containers that users upload (.docx, .xlsx, .odt, .ods), opened without letting them unpack into
something huge.

An archive states how large each member is once unpacked; `opened` refuses it by those declared sizes
before anything is unpacked: too many members, more than the caller's limit in total or for one member,
a member that expands more than MAX_RATIO times (a "zip bomb": 1 MB of compressed spaces unpacks into
1 GiB), a compression method other than the two office files use. Members are then read through a
capped stream (`Archive.read`, `Archive.verify`) that unpacks in small chunks and stops a chunk past
the declared size, so an archive whose headers lie is refused as damaged without ever holding more
than a chunk of it. Once `verify` has passed, a library (openpyxl, python-docx) may open the file: each
member unpacks into no more than it declares, and all of them into no more than the limit.

Every refusal is an ArchiveError whose message names the file and says why, in Vietnamese.
"""

import copy
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cchc.formatting import vn_number

MIB = 1024 * 1024
CHUNK = 64 * 1024
# Office files stay far below (a Word table of identical cells: about 200); deflate's own limit is ~1,030.
MAX_RATIO = 500
RATIO_FLOOR = MIB  # a member smaller than this once unpacked may compress as well as it likes
MAX_MEMBERS = 10_000
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what Word, Excel and LibreOffice write
RESAVE = "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu lại rồi tải lên."
# What zipfile raises on a damaged central directory or member (a bad UTF-8 name is a ValueError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError, KeyError)


class ArchiveError(Exception):
    """The archive is refused; the message names the file and says why, in Vietnamese."""


class ArchiveTooLarge(ArchiveError):
    """It would unpack into more than allowed, or expand as no document does."""


class ArchiveDamaged(ArchiveError):
    """It does not unpack as it says it will."""


class NotAnArchive(ArchiveDamaged):
    """It does not open as a zip archive at all."""


@dataclass(frozen=True)
class Limits:
    total: int  # bytes: every member unpacked
    advice: str = (
        "hãy lưu lại tệp gọn hơn rồi tải lên"  # what to do about a file too large, in the caller's words
    )
    member: int | None = None  # bytes: one member unpacked
    ratio: int = MAX_RATIO
    members: int = MAX_MEMBERS


def _megabytes(size: int) -> str:
    return vn_number(size / MIB)


class Archive:
    """An opened archive whose declared sizes are within its limits."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self._zip = archive
        self.name = name
        self.infos = archive.infolist()
        self.names = {info.filename for info in self.infos}

    def size(self, member: str) -> int:
        """The declared size of `member` once unpacked."""
        return self._zip.getinfo(member).file_size

    def read(self, member: str | zipfile.ZipInfo, *, limit: int | None = None) -> bytes:
        """The member unpacked through the capped stream; refused when it declares more than `limit`
        or unpacks into more than it declares."""
        info = member if isinstance(member, zipfile.ZipInfo) else self._zip.getinfo(member)
        if limit is not None and info.file_size > limit:
            raise ArchiveTooLarge(
                f"Tệp “{self.name}” có phần “{info.filename}” lớn bất thường "
                f"({_megabytes(info.file_size)} MB khi giải nén). {RESAVE}"
            )
        return b"".join(self._stream(info))

    def verify(self) -> None:
        """Unpack every member through the capped stream, keeping nothing: after this, the file unpacks
        as it declares (a library may open it)."""
        for info in self.infos:
            for _chunk in self._stream(info):
                pass

    def _stream(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        capped = copy.copy(info)
        # zipfile stops at the size it is given, then checks the CRC: room to see a lie for what it is
        capped.file_size = info.file_size + 2 * CHUNK
        unpacked = 0
        try:
            with self._zip.open(capped) as stream:
                while chunk := stream.read(CHUNK):
                    unpacked += len(chunk)
                    if unpacked > info.file_size:
                        raise ArchiveDamaged(
                            f"Tệp “{self.name}” bị hỏng: phần “{info.filename}” giải nén ra nhiều hơn kích "
                            f"thước ghi trong tệp. {RESAVE}"
                        )
                    yield chunk
        except (*ZIP_ERRORS, RuntimeError, NotImplementedError) as error:
            raise ArchiveDamaged(f"Tệp “{self.name}” bị hỏng, không mở được. {RESAVE}") from error
        if unpacked != info.file_size:
            raise ArchiveDamaged(
                f"Tệp “{self.name}” bị hỏng: phần “{info.filename}” ngắn hơn kích thước ghi trong tệp. {RESAVE}"
            )


def _check_declared(archive: zipfile.ZipFile, limits: Limits, name: str) -> None:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise ArchiveTooLarge(
            f"Tệp “{name}” gồm hơn {vn_number(limits.members)} phần, bất thường với một tài liệu; {limits.advice}."
        )
    total = 0
    for info in infos:
        if info.compress_type not in METHODS:
            raise ArchiveDamaged(
                f"Tệp “{name}” được nén theo cách Word, Excel và LibreOffice không dùng. {RESAVE}"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise ArchiveTooLarge(
                f"Tệp “{name}” có phần “{info.filename}” nén bất thường: giải nén ra gấp hơn "
                f"{limits.ratio} lần ({_megabytes(info.file_size)} MB). Tệp như vậy không phải tài liệu "
                f"bình thường nên không được nhận. {RESAVE}"
            )
        if limits.member is not None and info.file_size > limits.member:
            raise ArchiveTooLarge(
                f"Tệp “{name}” có phần “{info.filename}” lớn hơn {_megabytes(limits.member)} MB khi giải nén, "
                f"vượt giới hạn; {limits.advice}."
            )
        total += info.file_size
        if total > limits.total:
            raise ArchiveTooLarge(
                f"Tệp “{name}” lớn hơn {_megabytes(limits.total)} MB khi giải nén, vượt giới hạn; {limits.advice}."
            )


@contextmanager
def opened(upload, limits: Limits) -> Iterator[Archive]:
    """The uploaded archive, refused (ArchiveError) by its declared sizes before anything is unpacked;
    the upload is at its start again afterwards."""
    name = getattr(upload, "name", None) or "tệp"
    upload.seek(0)
    try:
        try:
            archive = zipfile.ZipFile(upload)
        except ZIP_ERRORS as error:
            raise NotAnArchive(f"Tệp “{name}” bị hỏng, không mở được. {RESAVE}") from error
        with archive:
            _check_declared(archive, limits, name)
            yield Archive(archive, name)
    finally:
        upload.seek(0)
