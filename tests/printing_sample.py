"""A representative official document built by hand, for the renderers' tests (PDF, DOCX, XLSX).

Kế hoạch 14/KH-SKHĐT of Sở Kế hoạch và Đầu tư Vĩnh Phúc: legal bases, headings of three levels,
text with every kind of Vietnamese diacritic (capitals such as "Ỉ", "Ữ", "Ặ" included), a deputy's
signature, recipients, and one landscape appendix holding the task table with group rows I, II….
"""

import datetime

from cchc.printing.document import (
    Appendix,
    Column,
    GroupRow,
    Heading,
    Margins,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
)

LEGAL_BASES = (
    "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ ban hành Chương trình tổng thể "
    "cải cách hành chính nhà nước giai đoạn 2011 - 2020;",
    "Căn cứ Nghị quyết số 36a/NQ-CP ngày 14/10/2015 của Chính phủ về Chính phủ điện tử;",
    "Căn cứ Quyết định số 2757/QĐ-UBND ngày 18/10/2017 của UBND tỉnh Vĩnh Phúc về việc ban hành "
    "Chỉ số cải cách hành chính tỉnh Vĩnh Phúc;",
    "Căn cứ Kế hoạch số 02/KH-SKHĐT ngày 19/01/2016 của Sở Kế hoạch và Đầu tư về cải cách hành chính "
    "Sở Kế hoạch và Đầu tư giai đoạn 2016 - 2020.",
)

BODY = (
    Paragraph(
        "Sở Kế hoạch và Đầu tư xây dựng Kế hoạch cải cách hành chính năm 2019 với các nội dung "
        "chủ yếu như sau:"
    ),
    Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
    Heading("1. Mục đích", 2),
    Paragraph(
        "Đẩy mạnh cải cách thủ tục hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp; "
        "tạo chuyển biến rõ rệt về kỷ luật, kỷ cương hành chính trong toàn Sở.\n"
        "Ứng dụng công nghệ thông tin, xây dựng Chính phủ điện tử; cải thiện CHỈ SỐ CẢI CÁCH HÀNH "
        "CHÍNH (PAR INDEX) của tỉnh: mọi phản ánh, kiến nghị được trả lời đúng hạn."
    ),
    Heading("2. Yêu cầu", 2),
    Heading("a) Về tổ chức thực hiện", 3),
    Paragraph(
        "Các phòng, đơn vị thuộc Sở xác định cải cách hành chính là nhiệm vụ trọng tâm; người đứng đầu "
        "chịu trách nhiệm trước Giám đốc Sở về kết quả thực hiện; ĐẶC BIỆT chú trọng GIỮ VỮNG kỷ luật, "
        "kỷ cương và quản lý chặt chẽ dữ liệu, hồ sơ công việc."
    ),
    Heading("b) Về kết quả", 3),
    Paragraph(
        "Hoàn thành 100% nhiệm vụ đúng thời hạn; Chỉ số cải cách hành chính của Sở năm 2019 tăng so "
        "với năm 2018; mức độ hài lòng của người dân, doanh nghiệp đạt trên 90%."
    ),
    Heading("II. NHỮNG NHIỆM VỤ ƯU TIÊN, TRỌNG TÂM", 1),
    Paragraph(
        "Các nhiệm vụ cụ thể, đơn vị chủ trì, đơn vị phối hợp và thời hạn hoàn thành được giao tại "
        "Phụ lục kèm theo Kế hoạch này."
    ),
    Heading("III. TỔ CHỨC THỰC HIỆN", 1),
    Paragraph(
        "Văn phòng Sở là đầu mối theo dõi, đôn đốc, tổng hợp kết quả thực hiện; báo cáo Giám đốc Sở "
        "và Sở Nội vụ theo quy định (quý, 6 tháng, năm)./."
    ),
)

RECIPIENTS = (
    "- UBND tỉnh (b/c);",
    "- Sở Nội vụ (b/c);",
    "- Lãnh đạo Sở;",
    "- Các phòng, đơn vị thuộc Sở;",
    "- Lưu: VT, VP.",
)

ANNEX_COLUMNS = (
    Column("TT", 0.06, "center"),
    Column("Nội dung nhiệm vụ", 0.34),
    Column("Đơn vị chủ trì", 0.15, "center"),
    Column("Đơn vị phối hợp", 0.17),
    Column("Thời gian hoàn thành", 0.12, "center"),
    Column("Sản phẩm", 0.16),
)

AREAS = (
    "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "CẢI CÁCH THỂ CHẾ",
    "CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
    "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
    "HIỆN ĐẠI HÓA HÀNH CHÍNH",
)
ROMAN = ("I", "II", "III", "IV", "V")

TASKS = (
    (
        "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2019 của Sở",
        "Văn phòng Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Tháng 01/2019",
        "Kế hoạch được ban hành",
    ),
    (
        "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị:\n- Kiểm tra thực hiện thủ tục "
        "hành chính;\n- Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính",
        "Văn phòng Sở",
        "Thanh tra Sở",
        "Quý III/2019",
        "Báo cáo kết quả kiểm tra",
    ),
    (
        "Rà soát, đánh giá thủ tục hành chính lĩnh vực đầu tư; đề xuất phương án đơn giản hóa",
        "Phòng Đăng ký kinh doanh",
        "Văn phòng Sở; Phòng Tổng hợp, quy hoạch",
        "Trước 30/6/2019",
        "Báo cáo rà soát; phương án đơn giản hóa",
    ),
    (
        "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015; ứng dụng phần mềm "
        "quản lý văn bản và điều hành",
        "Văn phòng Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Thường xuyên",
        "Hệ thống được duy trì; văn bản điện tử đạt trên 90%",
    ),
)


def annex_rows(rows: int) -> tuple:
    """`rows` task rows shared out over the five reform areas, each area opened by its group row."""
    result = []
    written = 0
    for index, area in enumerate(AREAS):
        count = rows // len(AREAS) + (1 if index < rows % len(AREAS) else 0)
        if not count:
            break
        result.append(GroupRow(ROMAN[index], area))
        for number in range(1, count + 1):
            content, lead, coordinating, deadline, output = TASKS[written % len(TASKS)]
            result.append((str(number), content, lead, coordinating, deadline, output))
            written += 1
    return tuple(result)


def sample_document(draft: bool = False, rows: int = 12) -> OfficialDocument:
    """Kế hoạch 14/KH-SKHĐT with `rows` tasks in its appendix; a draft has no number and no date."""
    return OfficialDocument(
        parent_body="UBND TỈNH VĨNH PHÚC",
        agency="SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
        number_line="Số:      /KH-SKHĐT" if draft else "Số: 14/KH-SKHĐT",
        place_name="Vĩnh Phúc",
        date=None if draft else datetime.date(2019, 1, 15),
        year=2019,
        type_name="KẾ HOẠCH",
        summary="Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư",
        legal_bases=LEGAL_BASES,
        body=BODY,
        signature=Signature(authority="KT. GIÁM ĐỐC", position="PHÓ GIÁM ĐỐC", name="Nguyễn Văn Thành"),
        recipients=RECIPIENTS,
        appendices=(
            Appendix(
                label="Phụ lục",
                title="DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019",
                attached_to="(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15/01/2019 của Sở Kế hoạch và Đầu tư)",
                blocks=(Table(columns=ANNEX_COLUMNS, rows=annex_rows(rows)),),
                landscape=True,
            ),
        ),
        draft=draft,
        margins=Margins(top=20, bottom=20, left=30, right=15),
        title="Kế hoạch 14/KH-SKHĐT",
    )
