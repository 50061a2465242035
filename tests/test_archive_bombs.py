"""Archive bombs: office files (zip containers) that unpack into far more than they weigh are refused
with a Vietnamese message, quickly and without the memory they ask for, wherever a user uploads one
(evidence of a report, a plan's annex, a rubric), and nothing is saved."""

import datetime
import io
import struct
import time
import tracemalloc
import zipfile
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc import archives
from evaluations.spreadsheet import read_rubric
from tasks.models import Evidence, ImportBatch, ProgressUpdate
from tests.annexes import SKHDT_ROWS, build_xlsx
from tests.conftest import client_for

GIB = 1024**3
MIB = 1024**2
MEMORY_LIMIT = 50 * MIB
TIME_LIMIT = 1.0
IN_TIME = datetime.datetime(2019, 5, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def _stream_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of `size` spaces, written a mebibyte at a time (never held whole)."""
    chunk = b" " * MIB
    with archive.open(name, "w") as member:
        for _ in range(size // MIB):
            member.write(chunk)


def office_zip(bomb_member: str, size: int, others: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in others.items():
            archive.writestr(name, data)
        _stream_member(archive, bomb_member, size)
    return buffer.getvalue()


DOCX_MEMBERS = {
    "[Content_Types].xml": b"<Types/>",
    "word/document.xml": b"<w:document/>",
}
XLSX_MEMBERS = {
    "[Content_Types].xml": b"<Types/>",
    "xl/workbook.xml": b"<workbook/>",
}


@pytest.fixture(scope="module")
def mimetype_bomb() -> bytes:
    """A .docx of about 1 MB whose member `mimetype` holds 1 GiB of spaces, as the attacker sent."""
    return office_zip("mimetype", GIB, DOCX_MEMBERS)


def lying(content: bytes, member: str, declared: int) -> bytes:
    """The archive with `member`'s unpacked size written as `declared` in its local header and in the
    central directory: its headers lie, the data is unchanged."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    patched = bytearray(content)
    struct.pack_into("<I", patched, archive.getinfo(member).header_offset + 22, declared)
    entry = archive.start_dir
    while patched[entry : entry + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", patched, entry + 28)
        if patched[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<I", patched, entry + 24, declared)
        entry += 46 + name_length + extra_length + comment_length
    return bytes(patched)


@pytest.fixture(scope="module")
def lying_bomb(mimetype_bomb) -> bytes:
    """The same 1 GiB of spaces, its `mimetype` member declaring 46 bytes (an OpenDocument's type)."""
    content = lying(mimetype_bomb, "mimetype", 46)
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo("mimetype").file_size == 46
    return content


def measured(action):
    """(result, seconds, peak bytes allocated above the start) of action(), run twice: timed on its own,
    then under tracemalloc (which slows every allocation down)."""
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        start_memory = tracemalloc.get_traced_memory()[0]
        result = action()
        peak = tracemalloc.get_traced_memory()[1] - start_memory
    finally:
        tracemalloc.stop()
    return result, seconds, peak


def assert_cheap(seconds: float, peak: int) -> None:
    assert seconds < TIME_LIMIT, f"took {seconds:.2f} s"
    assert peak < MEMORY_LIMIT, f"allocated {peak / MIB:.0f} MB"


def test_the_bomb_is_what_the_issue_describes(mimetype_bomb):
    assert len(mimetype_bomb) < 1.1 * MIB
    assert zipfile.ZipFile(io.BytesIO(mimetype_bomb)).getinfo("mimetype").file_size == GIB


# Evidence of a progress report --------------------------------------------------------------------


@pytest.fixture
def report_url(task):
    return reverse("tasks:progress", args=[task.pk])


@pytest.fixture(autouse=True)
def _within_the_plan_year():
    with time_machine.travel(IN_TIME, tick=True):
        yield


def post_evidence(client, url, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(url, {"percent": 40, "narrative": "Đã rà soát 12 thủ tục", "files": [upload]})


def stored_files(private_storage) -> list:
    return [path for path in private_storage.rglob("*") if path.is_file()] if private_storage.exists() else []


def assert_nothing_saved(private_storage):
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files(private_storage) == []


def test_a_bomb_as_evidence_is_refused_quickly_and_nothing_is_saved(
    staff, report_url, mimetype_bomb, private_storage
):
    user_client = client_for(staff)
    response, seconds, peak = measured(
        lambda: post_evidence(user_client, report_url, "bao-cao.docx", mimetype_bomb)
    )
    assert_cheap(seconds, peak)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp “bao-cao.docx” có phần “mimetype” nén bất thường: giải nén ra gấp hơn 500 lần" in page
    assert "Đã rà soát 12 thủ tục" in page  # the report is kept for the user to send again
    assert_nothing_saved(private_storage)


def test_a_bomb_whose_headers_lie_is_refused_as_damaged(staff, report_url, lying_bomb, private_storage):
    user_client = client_for(staff)
    response, seconds, peak = measured(
        lambda: post_evidence(user_client, report_url, "bao-cao.odt", lying_bomb)
    )
    assert_cheap(seconds, peak)
    page = response.content.decode()
    assert (
        "Tệp “bao-cao.odt” bị hỏng: phần “mimetype” giải nén ra nhiều hơn kích thước ghi trong tệp." in page
    )
    assert_nothing_saved(private_storage)


def test_a_real_opendocument_is_still_accepted(staff, report_url, private_storage):
    user_client = client_for(staff)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>" + " " * (5 * MIB))
    response = post_evidence(user_client, report_url, "bao-cao.odt", buffer.getvalue())
    assert response.status_code == 302
    assert Evidence.objects.get().content_type == "application/vnd.oasis.opendocument.text"


# The annex of a plan ------------------------------------------------------------------------------


def post_annex(client, plan, name, content):
    url = reverse("tasks:import", args=[plan.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def annex_refusal(response) -> str:
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    return response.context["form"].errors["file"][0]


def test_a_bomb_as_an_annex_is_refused_quickly_and_nothing_is_saved(
    clerk, plan, mimetype_bomb, private_storage
):
    user_client = client_for(clerk)
    response, seconds, peak = measured(lambda: post_annex(user_client, plan, "phu-luc.docx", mimetype_bomb))
    assert_cheap(seconds, peak)
    assert annex_refusal(response).startswith(
        "Tệp “phu-luc.docx” có phần “mimetype” nén bất thường: giải nén ra gấp hơn 500 lần"
    )
    assert stored_files(private_storage) == []


def test_an_annex_whose_headers_lie_is_refused_before_a_library_opens_it(clerk, plan, lying_bomb):
    user_client = client_for(clerk)
    response, seconds, peak = measured(lambda: post_annex(user_client, plan, "phu-luc.docx", lying_bomb))
    assert_cheap(seconds, peak)
    assert "bị hỏng: phần “mimetype” giải nén ra nhiều hơn kích thước ghi trong tệp" in annex_refusal(
        response
    )


def test_an_annex_whose_sheet_lies_about_its_size_is_refused_before_openpyxl_reads_it(clerk, plan):
    user_client = client_for(clerk)
    content = office_zip("xl/worksheets/sheet1.xml", 128 * MIB, XLSX_MEMBERS)
    content = lying(content, "xl/worksheets/sheet1.xml", 1000)
    response, seconds, peak = measured(lambda: post_annex(user_client, plan, "phu-luc.xlsx", content))
    assert_cheap(seconds, peak)
    assert "phần “xl/worksheets/sheet1.xml” giải nén ra nhiều hơn" in annex_refusal(response)


def test_a_real_annex_still_imports(clerk, plan, department, office):
    user_client = client_for(clerk)
    response = post_annex(user_client, plan, "phu-luc.xlsx", build_xlsx(SKHDT_ROWS))
    assert response.status_code == 302
    assert ImportBatch.objects.count() == 1


# A rubric ------------------------------------------------------------------------------------------


def test_a_rubric_whose_sheet_is_a_bomb_is_refused_quickly():
    content = office_zip("xl/worksheets/sheet1.xml", 128 * MIB, XLSX_MEMBERS)
    upload = SimpleUploadedFile("bo-tieu-chi.xlsx", content)

    def read():
        with pytest.raises(ValidationError) as refused:
            read_rubric(upload)
        return refused.value.messages

    messages, seconds, peak = measured(read)
    assert_cheap(seconds, peak)
    assert messages == [
        "Tệp “bo-tieu-chi.xlsx” có phần “xl/worksheets/sheet1.xml” nén bất thường: giải nén ra gấp hơn "
        "500 lần (128 MB). Tệp như vậy không phải tài liệu bình thường nên không được nhận. "
        "Hãy mở tệp bằng Word, Excel hoặc LibreOffice, lưu lại rồi tải lên."
    ]


# The reader itself ---------------------------------------------------------------------------------


def test_a_compression_no_office_file_uses_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", b" " * MIB)
    upload = SimpleUploadedFile("bao-cao.docx", buffer.getvalue())
    limits = archives.Limits(total=40 * MIB)
    with (
        pytest.raises(archives.ArchiveDamaged, match="nén theo cách Word, Excel và LibreOffice không dùng"),
        archives.opened(upload, limits),
    ):
        pass


def test_a_file_over_the_total_is_refused_by_its_declared_sizes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.xml", bytes(range(256)) * (4 * 4096))  # 4 MiB that compresses little
        archive.writestr("b.xml", bytes(range(256)) * (4 * 4096))
    upload = SimpleUploadedFile("lon.xlsx", buffer.getvalue())
    limits = archives.Limits(total=6 * MIB, advice="hãy lưu lại phụ lục chỉ gồm bảng nhiệm vụ rồi tải lên")
    with pytest.raises(archives.ArchiveTooLarge) as refused, archives.opened(upload, limits):
        pass
    assert str(refused.value) == (
        "Tệp “lon.xlsx” lớn hơn 6 MB khi giải nén, vượt giới hạn; hãy lưu lại phụ lục chỉ gồm bảng nhiệm vụ "
        "rồi tải lên."
    )


def test_a_member_is_read_whole_only_within_its_limit():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"x" * 2000)
    upload = SimpleUploadedFile("van-ban.odt", buffer.getvalue())
    with archives.opened(upload, archives.Limits(total=MIB)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        with pytest.raises(archives.ArchiveTooLarge, match="phần “content.xml” lớn bất thường"):
            archive.read("content.xml", limit=1000)
        archive.verify()
