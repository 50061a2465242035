"""Illustrative tasks for the demo plans and their history, written through tasks.services.

The seed article does not list the tasks of Kế hoạch 14/KH-SKHĐT: every task here is illustrative
(its notes say so), written in the style of real CCHC plans: sections I, II… as the plan writes them,
one per reform area (the current year's with sub-sections III.1, III.2), a few bodies outside the
agency named as written (a lead followed up by one of the Sở's departments, coordinators). Their 2019
history is fixed by a seeded random generator, so every load writes the same story: reports by the
lead department's staff, approvals by its head, a return and a resubmission, late completions,
deadline changes with reasons, a cancellation, leaders' directions and coordinating departments'
contributions, each backdated to the day it happened.

The current year's plan gets tasks in every status relative to the day the demo is loaded, so the
app is alive on the day it is started.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Department, User
from cchc.formatting import roman
from plans import services as plan_services
from plans.models import Plan, PlanSection
from tasks import services
from tasks.deadlines import parse_deadline
from tasks.models import Task

ILLUSTRATIVE = "Nhiệm vụ minh họa (dữ liệu mẫu)."

# Stories: what happens to a task during its year.
ON_TIME = "on_time"  # completed and approved by its deadline
LATE = "late"  # completed after its deadline
RETURNED = "returned"  # completion returned once with a reason, then resubmitted and approved
OVERDUE = "overdue"  # reported on, never completed
OPEN = "open"  # in progress, deadline still ahead
NOT_STARTED = "not_started"  # no report yet
PENDING = "pending"  # completion reported, awaiting the head's approval
RETURNED_OPEN = "returned_open"  # completion returned, not yet resubmitted
CANCELLED = "cancelled"
YEAR_END = "year_end"  # 2019: completed in the last fortnight of December
LAST_MINUTE = "last_minute"  # 2019: first report after the 14/12 cut-off, completed by year end


@dataclass(frozen=True)
class DemoTask:
    number: str
    content: str
    lead: str  # department code
    deadline: (
        str | tuple
    )  # text ("{year}" is the plan's year) or ("date" | "month" | "before", days from today)
    output: str
    story: str
    coordinating: tuple = ()
    assignee: str | None = None  # username from the lead department
    change: tuple | None = None  # (decided this many days before the first due date, new deadline, reason)
    direction: str = ""
    completed: datetime.date | None = None  # 2019: the completing report's date, when the story fixes it
    approved: datetime.date | None = None
    section: str = ""  # the label of its section; empty: the section its number starts with (3.1: III)
    lead_name: str = ""  # an outside body that leads, as written; `lead` then follows the task up
    outside: str = ""  # outside coordinating bodies, as written ("Sở Tài chính; Bưu điện tỉnh")

    @property
    def section_label(self) -> str:
        return self.section or roman(int(self.number.split(".")[0]))


@dataclass(frozen=True)
class DemoSection:
    """A group of the plan's annex as the plan writes it; its tasks take its reform area."""

    label: str
    title: str
    area: int | None = None  # the position of its reform area in the plan's set; None: its parent's
    parent: str = ""  # the label of the section it is in


D = datetime.date
ALL_DEPARTMENTS = ("TTr", "THQH", "KTN", "ĐKKD", "KTĐN", "ĐTTĐ", "KGVX")

# The groups of 14/KH-SKHĐT's annex: one per reform area of Nghị quyết 30c/NQ-CP, as 2019 plans wrote them.
SECTIONS_2019 = [
    DemoSection("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 0),
    DemoSection("II", "Cải cách thể chế", 1),
    DemoSection("III", "Cải cách thủ tục hành chính", 2),
    DemoSection("IV", "Cải cách tổ chức bộ máy hành chính nhà nước", 3),
    DemoSection("V", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", 4),
    DemoSection("VI", "Cải cách tài chính công", 5),
    DemoSection("VII", "Hiện đại hóa hành chính", 6),
]
# The current year's plan (Nghị quyết 76/NQ-CP), its administrative-procedure group in two sub-groups.
CURRENT_SECTIONS = [
    DemoSection("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 0),
    DemoSection("II", "Cải cách thể chế", 1),
    DemoSection("III", "Cải cách thủ tục hành chính", 2),
    DemoSection("III.1", "Kiểm soát, rà soát, đơn giản hóa thủ tục hành chính", parent="III"),
    DemoSection(
        "III.2",
        "Thực hiện cơ chế một cửa, một cửa liên thông; nâng cao chất lượng giải quyết thủ tục hành chính",
        parent="III",
    ),
    DemoSection("IV", "Cải cách tổ chức bộ máy hành chính nhà nước", 3),
    DemoSection("V", "Cải cách chế độ công vụ", 4),
    DemoSection("VI", "Cải cách tài chính công", 5),
    DemoSection("VII", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", 6),
]
# Sở Tài chính's plan has no task of the fourth area of 30c (tổ chức bộ máy): its groups are numbered on.
STC_SECTIONS = [
    DemoSection("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 0),
    DemoSection("II", "Cải cách thể chế", 1),
    DemoSection("III", "Cải cách thủ tục hành chính", 2),
    DemoSection("IV", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", 4),
    DemoSection("V", "Cải cách tài chính công", 5),
    DemoSection("VI", "Hiện đại hóa hành chính", 6),
]

# fmt: off
PLAN_2019 = [
    # I. Công tác chỉ đạo, điều hành cải cách hành chính
    DemoTask("1.1", "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2019 của Sở", "VP", "Trước 31/01/2019", "Kế hoạch CCHC năm 2019 của Sở được Giám đốc Sở phê duyệt", ON_TIME, ("THQH",)),
    DemoTask("1.2", "Xây dựng, triển khai Kế hoạch tuyên truyền cải cách hành chính năm 2019", "VP", "Quý I/2019", "Kế hoạch tuyên truyền CCHC năm 2019; tin, bài trên Cổng thông tin điện tử của Sở", ON_TIME, ("KGVX",)),
    DemoTask("1.3", "Báo cáo định kỳ kết quả thực hiện công tác cải cách hành chính quý, 6 tháng, năm gửi Sở Nội vụ", "VP", "Hàng quý", "Báo cáo CCHC quý I, 6 tháng, quý III và năm 2019", YEAR_END, ("THQH",)),
    DemoTask("1.4", "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị thuộc Sở", "TTr", "Quý III/2019", "Thông báo kết quả kiểm tra công tác CCHC", LATE, ("VP",), direction="Thanh tra Sở khẩn trương hoàn thành kiểm tra, báo cáo kết quả trong tháng 10/2019."),
    DemoTask("1.5", "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2019 của Sở theo Quyết định số 2757/QĐ-UBND", "VP", "Tháng 11/2019", "Báo cáo tự đánh giá kèm tài liệu kiểm chứng gửi Sở Nội vụ", ON_TIME, ("THQH", "ĐKKD")),
    DemoTask("1.6", "Gắn kết quả thực hiện nhiệm vụ cải cách hành chính với bình xét thi đua, khen thưởng năm 2019", "VP", "Tháng 12/2019", "Biên bản họp Hội đồng Thi đua - Khen thưởng Sở", LAST_MINUTE),
    DemoTask("1.7", "Tổ chức Hội nghị đối thoại giữa Lãnh đạo Sở với doanh nghiệp về thủ tục hành chính", "ĐKKD", "Quý II/2019", "Hội nghị đối thoại; báo cáo tổng hợp ý kiến doanh nghiệp", ON_TIME, ("VP", "KTĐN")),
    # II. Cải cách thể chế
    DemoTask("2.1", "Tham mưu xây dựng văn bản quy phạm pháp luật thuộc lĩnh vực quản lý của Sở theo Chương trình năm 2019 của UBND tỉnh", "THQH", "Năm 2019", "Dự thảo quyết định trình UBND tỉnh", ON_TIME, ("VP",)),
    DemoTask("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý nhà nước của Sở", "TTr", "Quý I/2019", "Báo cáo kết quả rà soát, hệ thống hóa văn bản", ON_TIME, ("VP",)),
    DemoTask("2.3", "Theo dõi tình hình thi hành pháp luật về đầu tư, doanh nghiệp trên địa bàn tỉnh", "TTr", "Quý III/2019", "Báo cáo theo dõi thi hành pháp luật", ON_TIME, ("ĐKKD",)),
    DemoTask("2.4", "Tham mưu UBND tỉnh ban hành quy định quản lý, sử dụng vốn ODA và vốn vay ưu đãi của các nhà tài trợ nước ngoài", "KTĐN", "Quý II/2019", "Dự thảo quyết định của UBND tỉnh", ON_TIME, ("THQH",), change=(20, "Quý III/2019", "Chờ Nghị định sửa đổi Nghị định số 16/2016/NĐ-CP về quản lý, sử dụng vốn ODA có hiệu lực.")),
    DemoTask("2.5", "Tham mưu sửa đổi quy định phân cấp thẩm định dự án đầu tư công trên địa bàn tỉnh", "ĐTTĐ", "Tháng 9/2019", "Dự thảo quyết định sửa đổi quy định phân cấp", LATE, ("THQH",)),
    DemoTask("2.6", "Tham mưu chính sách hỗ trợ doanh nghiệp nhỏ và vừa trên địa bàn tỉnh theo Luật Hỗ trợ doanh nghiệp nhỏ và vừa", "KTN", "Quý II/2019", "Dự thảo Nghị quyết trình HĐND tỉnh", OVERDUE, ("ĐKKD",), direction="Phòng Kinh tế ngành chủ động làm việc với Sở Tài chính để thống nhất nguồn kinh phí, trình UBND tỉnh trong quý IV.", outside="Sở Tài chính"),
    # III. Cải cách thủ tục hành chính
    DemoTask("3.1", "Rà soát, đánh giá, đơn giản hóa thủ tục hành chính lĩnh vực đăng ký doanh nghiệp", "ĐKKD", "Quý II/2019", "Báo cáo rà soát và phương án đơn giản hóa TTHC", RETURNED, ("VP",), assignee="chuyenvien"),
    DemoTask("3.2", "Rà soát, đánh giá thủ tục hành chính lĩnh vực đầu tư tại Việt Nam (quyết định chủ trương đầu tư, cấp Giấy chứng nhận đăng ký đầu tư)", "KTĐN", "Quý III/2019", "Báo cáo rà soát TTHC lĩnh vực đầu tư", ON_TIME, ("VP",)),
    DemoTask("3.3", "Cập nhật, trình công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của Sở khi có văn bản mới", "VP", "Thường xuyên", "Quyết định công bố TTHC của Chủ tịch UBND tỉnh", YEAR_END, ("ĐKKD", "KTĐN")),
    DemoTask("3.4", "Công khai thủ tục hành chính trên Cổng thông tin điện tử của Sở và tại Bộ phận tiếp nhận và trả kết quả", "VP", "Tháng 3/2019", "100% TTHC được công khai đầy đủ, đúng quy định", ON_TIME, ("ĐKKD",)),
    DemoTask("3.5", "Thực hiện cơ chế một cửa, một cửa liên thông tại Bộ phận tiếp nhận và trả kết quả của Sở theo Nghị định số 61/2018/NĐ-CP", "VP", "Thường xuyên", "Báo cáo kết quả giải quyết TTHC theo cơ chế một cửa", ON_TIME, ("ĐKKD", "KTĐN")),
    DemoTask("3.6", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính", "TTr", "Hàng quý", "Báo cáo kết quả xử lý phản ánh, kiến nghị", ON_TIME, ("VP",)),
    DemoTask("3.7", "Rút ngắn thời gian giải quyết hồ sơ đăng ký doanh nghiệp còn 02 ngày làm việc", "ĐKKD", "6 tháng đầu năm 2019", "100% hồ sơ đăng ký doanh nghiệp giải quyết trước hạn", ON_TIME, assignee="chuyenvien"),
    DemoTask("3.8", "Đẩy mạnh đăng ký doanh nghiệp qua mạng điện tử, phấn đấu đạt trên 50% số hồ sơ", "ĐKKD", "Năm 2019", "Báo cáo tỷ lệ hồ sơ đăng ký qua mạng", ON_TIME),
    DemoTask("3.9", "Khảo sát, đo lường mức độ hài lòng của tổ chức, cá nhân đối với dịch vụ hành chính công của Sở", "VP", "Quý IV/2019", "Báo cáo kết quả khảo sát mức độ hài lòng", ON_TIME, ("ĐKKD",)),
    DemoTask("3.10", "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực đấu thầu, thẩm định dự án đầu tư", "ĐTTĐ", "Tháng 8/2019", "Báo cáo rà soát, phương án đơn giản hóa", ON_TIME),
    DemoTask("3.11", "Niêm yết công khai địa chỉ tiếp nhận phản ánh, kiến nghị về quy định hành chính", "VP", "Trước 15/3/2019", "Bảng niêm yết tại Bộ phận tiếp nhận và trả kết quả", ON_TIME, ("TTr",)),
    DemoTask("3.12", "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực thành lập và hoạt động của hợp tác xã", "KTN", "Quý III/2019", "Báo cáo rà soát TTHC lĩnh vực hợp tác xã", ON_TIME, ("ĐKKD",)),
    # IV. Cải cách tổ chức bộ máy hành chính nhà nước
    DemoTask("4.1", "Rà soát chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của các phòng, đơn vị thuộc Sở", "VP", "Quý II/2019", "Quyết định quy định chức năng, nhiệm vụ của các phòng", LATE, ("THQH",), direction="Văn phòng Sở hoàn thiện dự thảo, trình Giám đốc Sở trước ngày 15/7/2019."),
    DemoTask("4.2", "Xây dựng Đề án vị trí việc làm và cơ cấu ngạch công chức của Sở", "VP", "Quý III/2019", "Đề án vị trí việc làm trình Sở Nội vụ thẩm định", ON_TIME),
    DemoTask("4.3", "Sắp xếp, kiện toàn các phòng chuyên môn theo Nghị quyết số 18-NQ/TW, giảm đầu mối", "VP", "Năm 2019", "Đề án sắp xếp tổ chức bộ máy", CANCELLED, ("THQH",)),
    DemoTask("4.4", "Ban hành Quy chế phối hợp giữa Phòng Đăng ký kinh doanh và Thanh tra Sở trong hậu kiểm doanh nghiệp sau đăng ký thành lập", "ĐKKD", "Tháng 5/2019", "Quy chế phối hợp được Giám đốc Sở ban hành", LATE, ("TTr",), completed=D(2019, 7, 5)),
    DemoTask("4.5", "Thực hiện phân cấp, ủy quyền giải quyết công việc cho các phòng, đơn vị thuộc Sở", "VP", "Quý I/2019", "Quyết định ủy quyền của Giám đốc Sở", ON_TIME),
    DemoTask("4.6", "Kiểm tra công vụ, việc thực hiện chức năng, nhiệm vụ được giao tại các phòng, đơn vị", "TTr", "Quý IV/2019", "Thông báo kết luận kiểm tra công vụ", ON_TIME, ("VP",)),
    DemoTask("4.7", "Tham mưu sắp xếp, đổi mới và nâng cao hiệu quả hoạt động của doanh nghiệp nhà nước do tỉnh quản lý", "KTN", "Quý IV/2019", "Báo cáo, đề xuất phương án sắp xếp", ON_TIME, ("ĐKKD",)),
    # V. Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức
    DemoTask("5.1", "Đánh giá, xếp loại công chức, viên chức năm 2019", "VP", "Trước 15/12/2019", "Quyết định công nhận kết quả đánh giá, xếp loại CCVC", ON_TIME, completed=D(2019, 12, 12), approved=D(2019, 12, 16)),
    DemoTask("5.2", "Xây dựng Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm 2019", "VP", "Quý I/2019", "Kế hoạch đào tạo, bồi dưỡng năm 2019", ON_TIME),
    DemoTask("5.3", "Cử công chức tham gia lớp bồi dưỡng kỹ năng giao tiếp, ứng xử với người dân, doanh nghiệp", "VP", "Quý III/2019", "Danh sách công chức được cử đi bồi dưỡng, chứng chỉ", ON_TIME, ("ĐKKD",)),
    DemoTask("5.4", "Thực hiện Quy tắc ứng xử của công chức, viên chức; kiểm tra kỷ luật, kỷ cương hành chính theo Chỉ thị số 26/CT-TTg", "TTr", "Thường xuyên", "Báo cáo kết quả kiểm tra kỷ luật, kỷ cương hành chính", ON_TIME, ("VP",)),
    DemoTask("5.5", "Bồi dưỡng kiến thức đấu thầu qua mạng cho công chức và chủ đầu tư", "ĐTTĐ", "Tháng 6/2019", "Lớp bồi dưỡng; danh sách học viên", LATE),
    DemoTask("5.6", "Tuyển dụng công chức theo vị trí việc làm còn thiếu", "VP", "Quý IV/2019", "Quyết định tuyển dụng công chức", OVERDUE),
    DemoTask("5.7", "Bồi dưỡng nghiệp vụ đăng ký doanh nghiệp cho công chức Phòng Đăng ký kinh doanh", "ĐKKD", "Quý II/2019", "Báo cáo kết quả bồi dưỡng", ON_TIME),
    # VI. Cải cách tài chính công
    DemoTask("6.1", "Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về sử dụng biên chế và kinh phí quản lý hành chính theo Nghị định số 130/2005/NĐ-CP và Nghị định số 117/2013/NĐ-CP", "VP", "Năm 2019", "Báo cáo kết quả thực hiện cơ chế tự chủ", YEAR_END),
    DemoTask("6.2", "Xây dựng, sửa đổi Quy chế chi tiêu nội bộ năm 2019", "VP", "Quý I/2019", "Quy chế chi tiêu nội bộ năm 2019", LATE, completed=D(2019, 6, 21), direction="Văn phòng Sở khẩn trương hoàn thiện Quy chế, lấy ý kiến Công đoàn cơ quan, trình ký trước ngày 30/6/2019."),
    DemoTask("6.3", "Thực hiện cơ chế tự chủ tài chính theo Nghị định số 16/2015/NĐ-CP đối với đơn vị sự nghiệp công lập trực thuộc Sở", "KGVX", "Quý III/2019", "Phương án tự chủ tài chính được phê duyệt", ON_TIME, ("VP",)),
    DemoTask("6.4", "Tham mưu giao chi tiết kế hoạch vốn đầu tư công năm 2019 đúng thời hạn", "THQH", "Quý I/2019", "Quyết định giao kế hoạch vốn của UBND tỉnh", ON_TIME, ("ĐTTĐ",)),
    DemoTask("6.5", "Theo dõi, đôn đốc giải ngân vốn đầu tư công; báo cáo tiến độ giải ngân", "THQH", "Hàng quý", "Báo cáo tiến độ giải ngân hằng quý", ON_TIME, ("ĐTTĐ", "KTN")),
    DemoTask("6.6", "Quản lý, sử dụng tài sản công theo Luật Quản lý, sử dụng tài sản công năm 2017", "VP", "Năm 2019", "Báo cáo kê khai tài sản công", ON_TIME),
    DemoTask("6.7", "Tham mưu bố trí vốn cho các lĩnh vực giáo dục, y tế, văn hóa theo hướng đẩy mạnh xã hội hóa", "KGVX", "Tháng 10/2019", "Báo cáo đề xuất cơ chế xã hội hóa", OVERDUE, ("THQH",), direction="Phòng Khoa giáo - Văn xã phối hợp Phòng Tổng hợp, Quy hoạch hoàn thành báo cáo, trình trước ngày 20/12/2019."),
    DemoTask("6.8", "Kiểm tra việc quản lý, sử dụng vốn ODA tại các chủ dự án", "KTĐN", "Quý IV/2019", "Thông báo kết quả kiểm tra", ON_TIME, ("TTr",)),
    # VII. Hiện đại hóa hành chính
    DemoTask("7.1", "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "VP", "Năm 2019", "Quyết định công bố Hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015", ON_TIME, ALL_DEPARTMENTS[:2]),
    DemoTask("7.2", "Cung cấp dịch vụ công trực tuyến mức độ 3, 4 đối với thủ tục hành chính lĩnh vực đăng ký doanh nghiệp, đầu tư", "ĐKKD", "Quý III/2019", "Danh mục dịch vụ công trực tuyến mức độ 3, 4 được công bố", LATE, ("VP", "KTĐN"), assignee="chuyenvien"),
    DemoTask("7.3", "Sử dụng phần mềm quản lý văn bản và điều hành, chữ ký số trong gửi, nhận văn bản điện tử", "VP", "Thường xuyên", "Trên 90% văn bản đi được ký số, gửi trên môi trường điện tử", ON_TIME),
    DemoTask("7.4", "Áp dụng đấu thầu qua mạng đối với tối thiểu 30% số gói thầu", "ĐTTĐ", "Năm 2019", "Báo cáo tỷ lệ gói thầu qua mạng", OVERDUE),
    DemoTask("7.5", "Cập nhật, chuẩn hóa dữ liệu trên Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp", "ĐKKD", "Thường xuyên", "Dữ liệu doanh nghiệp được chuẩn hóa", ON_TIME, assignee="chuyenvien"),
    DemoTask("7.6", "Nâng cấp Cổng thông tin điện tử của Sở", "VP", "Tháng 9/2019", "Cổng thông tin điện tử được nâng cấp, vận hành", ON_TIME, ("KGVX",)),
    DemoTask("7.7", "Ứng dụng phần mềm theo dõi, giám sát dự án đầu tư công", "THQH", "Quý III/2019", "Phần mềm được đưa vào sử dụng", OVERDUE, ("ĐTTĐ",), change=(10, "Tháng 11/2019", "Nhà thầu chậm bàn giao phần mềm; Giám đốc Sở đồng ý lùi thời hạn."), direction="Phòng Tổng hợp, Quy hoạch làm việc với nhà thầu, đưa phần mềm vào sử dụng trong tháng 12/2019."),
    DemoTask("7.8", "Xây dựng cơ sở dữ liệu các dự án FDI, ODA trên địa bàn tỉnh", "KTĐN", "Tháng 11/2019", "Cơ sở dữ liệu dự án FDI, ODA", ON_TIME),
    DemoTask("7.9", "Tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích theo Quyết định số 45/2016/QĐ-TTg", "VP", "Quý II/2019", "Báo cáo số hồ sơ tiếp nhận, trả kết quả qua bưu chính", ON_TIME, ("ĐKKD",), outside="Bưu điện tỉnh Vĩnh Phúc"),
]
# fmt: on

# The current year's plan: deadlines relative to the day of loading, written as real plans write them.
# fmt: off
CURRENT_YEAR = [
    DemoTask("1.1", "Xây dựng, triển khai Kế hoạch tuyên truyền cải cách hành chính năm {year}", "VP", "Quý I/{year}", "Kế hoạch tuyên truyền CCHC năm {year}", ON_TIME, ("KGVX",)),
    DemoTask("1.2", "Báo cáo định kỳ kết quả thực hiện công tác cải cách hành chính quý, 6 tháng, năm", "VP", "Hàng quý", "Báo cáo CCHC định kỳ gửi Sở Nội vụ", OPEN, ("THQH",)),
    DemoTask("1.3", "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị thuộc Sở", "TTr", ("date", -25), "Thông báo kết quả kiểm tra", OVERDUE, ("VP",), direction="Thanh tra Sở hoàn thành kiểm tra, báo cáo Giám đốc Sở trong tuần tới."),
    DemoTask("1.4", "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính của Sở, giải trình với Hội đồng thẩm định", "VP", ("before", -150), "Báo cáo tự đánh giá kèm tài liệu kiểm chứng", LATE, ("THQH",)),
    DemoTask("2.1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý của Sở", "TTr", "6 tháng đầu năm {year}", "Báo cáo kết quả rà soát, hệ thống hóa", ON_TIME, ("VP",)),
    DemoTask("2.2", "Tham mưu UBND tỉnh ban hành quy định quản lý dự án đầu tư theo phương thức đối tác công tư", "ĐTTĐ", ("date", -5), "Dự thảo quyết định của UBND tỉnh", OPEN, ("THQH",), change=(35, ("month", 35), "Chờ ý kiến thẩm định của Sở Tư pháp."), outside="Sở Tư pháp"),
    DemoTask("2.3", "Theo dõi tình hình thi hành pháp luật về doanh nghiệp trên địa bàn tỉnh", "ĐKKD", ("date", 25), "Báo cáo theo dõi thi hành pháp luật", NOT_STARTED, ("TTr",), assignee="chuyenvien"),
    DemoTask("3.1", "Rà soát, đánh giá, đơn giản hóa thủ tục hành chính lĩnh vực đăng ký doanh nghiệp", "ĐKKD", ("date", 12), "Báo cáo rà soát và phương án đơn giản hóa TTHC", PENDING, ("VP",), assignee="chuyenvien", section="III.1"),
    DemoTask("3.2", "Cập nhật, công khai thủ tục hành chính trên Cổng Dịch vụ công quốc gia và Cổng thông tin điện tử của Sở", "VP", "Tháng 6/{year}", "100% TTHC được công khai đúng quy định", ON_TIME, ("ĐKKD",), section="III.1"),
    DemoTask("3.3", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính lĩnh vực đăng ký doanh nghiệp", "ĐKKD", ("date", 7), "100% kết quả giải quyết TTHC còn hiệu lực được số hóa", RETURNED_OPEN, assignee="chuyenvien", section="III.2"),
    DemoTask("3.4", "Thực hiện cơ chế một cửa, một cửa liên thông tại Trung tâm Phục vụ hành chính công tỉnh", "VP", "Thường xuyên", "Báo cáo kết quả giải quyết TTHC", OPEN, ("ĐKKD", "KTĐN"), section="III.2", lead_name="Trung tâm Phục vụ hành chính công tỉnh", outside="Bưu điện tỉnh Vĩnh Phúc"),
    DemoTask("3.5", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính", "TTr", ("date", -60), "Báo cáo kết quả xử lý phản ánh, kiến nghị", LATE, ("VP",), section="III.1"),
    DemoTask("3.6", "Khảo sát, đo lường mức độ hài lòng của người dân, doanh nghiệp đối với dịch vụ hành chính công của Sở", "VP", "Quý IV/{year}", "Báo cáo kết quả khảo sát", NOT_STARTED, ("ĐKKD",), section="III.2"),
    DemoTask("3.7", "Rút ngắn thời gian giải quyết thủ tục hành chính lĩnh vực đầu tư tại Việt Nam", "KTĐN", ("month", -40), "Quyết định phê duyệt quy trình nội bộ rút gọn", OVERDUE, ("VP",), direction="Phòng Kinh tế đối ngoại báo cáo rõ nguyên nhân chậm, đề xuất giải pháp.", section="III.1"),
    DemoTask("3.8", "Giải quyết hồ sơ đăng ký hộ kinh doanh, hợp tác xã đúng và trước hạn", "ĐKKD", ("date", -30), "Báo cáo tỷ lệ hồ sơ giải quyết đúng hạn", ON_TIME, assignee="chuyenvien", section="III.2"),
    DemoTask("3.9", "Hướng dẫn tổ chức, cá nhân đăng ký doanh nghiệp qua mạng điện tử", "ĐKKD", ("date", 15), "Tài liệu hướng dẫn đăng tải trên Cổng thông tin điện tử của Sở", PENDING, ("VP",), section="III.2"),
    DemoTask("4.1", "Rà soát, sắp xếp các phòng chuyên môn theo hướng tinh gọn, giảm đầu mối", "VP", "Quý III/{year}", "Đề án sắp xếp tổ chức bộ máy", CANCELLED, ("THQH",)),
    DemoTask("4.2", "Cập nhật Đề án vị trí việc làm của Sở", "VP", ("date", -80), "Đề án vị trí việc làm được phê duyệt", ON_TIME),
    DemoTask("4.3", "Ban hành Quy chế phối hợp giữa các phòng trong thẩm định dự án đầu tư", "ĐTTĐ", ("date", 20), "Quy chế phối hợp được Giám đốc Sở ban hành", PENDING, ("THQH", "KTN")),
    DemoTask("5.1", "Đánh giá, xếp loại chất lượng công chức, viên chức năm {year}", "VP", "Tháng 12/{year}", "Quyết định công nhận kết quả xếp loại", NOT_STARTED),
    DemoTask("5.2", "Xây dựng Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm {year}", "VP", "Quý I/{year}", "Kế hoạch đào tạo, bồi dưỡng", ON_TIME),
    DemoTask("5.3", "Kiểm tra kỷ luật, kỷ cương hành chính, thực hiện văn hóa công vụ", "TTr", "Thường xuyên", "Báo cáo kết quả kiểm tra", OPEN, ("VP",)),
    DemoTask("5.4", "Tổ chức bồi dưỡng kỹ năng chuyển đổi số cho công chức, viên chức", "KGVX", ("date", -12), "Lớp bồi dưỡng; danh sách học viên", OVERDUE, ("VP",)),
    DemoTask("6.1", "Xây dựng Quy chế chi tiêu nội bộ năm {year}; thực hiện cơ chế tự chủ kinh phí quản lý hành chính", "VP", "Quý I/{year}", "Quy chế chi tiêu nội bộ", ON_TIME),
    DemoTask("6.2", "Theo dõi, đôn đốc giải ngân vốn đầu tư công năm {year}", "THQH", "Năm {year}", "Báo cáo tiến độ giải ngân", OPEN, ("ĐTTĐ", "KTN")),
    DemoTask("6.3", "Thực hiện cơ chế tự chủ tài chính theo Nghị định số 60/2021/NĐ-CP đối với đơn vị sự nghiệp công lập thuộc Sở", "KGVX", ("month", -70), "Phương án tự chủ tài chính được phê duyệt", LATE, ("VP",)),
    DemoTask("6.4", "Quản lý, sử dụng tài sản công; kê khai, báo cáo tài sản công năm {year}", "VP", ("date", 30), "Báo cáo kê khai tài sản công", OPEN),
    DemoTask("7.1", "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "VP", "Năm {year}", "Quyết định công bố Hệ thống quản lý chất lượng", OPEN, ALL_DEPARTMENTS[:2]),
    DemoTask("7.2", "Cung cấp dịch vụ công trực tuyến toàn trình đối với thủ tục hành chính lĩnh vực đăng ký doanh nghiệp", "ĐKKD", ("date", -18), "Danh mục dịch vụ công trực tuyến toàn trình", OVERDUE, ("VP",), assignee="chuyenvien"),
    DemoTask("7.3", "Kết nối, chia sẻ dữ liệu đăng ký doanh nghiệp với Cơ sở dữ liệu quốc gia về dân cư", "ĐKKD", ("month", 20), "Dữ liệu được kết nối, chia sẻ", OPEN, ("KTĐN",), assignee="chuyenvien", outside="Công an tỉnh"),
    DemoTask("7.4", "Thực hiện 100% gói thầu qua Hệ thống mạng đấu thầu quốc gia", "ĐTTĐ", ("date", -45), "Báo cáo tỷ lệ gói thầu qua mạng", ON_TIME),
    DemoTask("7.5", "Sử dụng hệ thống quản lý văn bản và điều hành, ký số văn bản điện tử", "VP", "6 tháng đầu năm {year}", "Trên 95% văn bản đi được ký số", ON_TIME),
    DemoTask("7.6", "Xây dựng cơ sở dữ liệu dự án đầu tư trực tiếp nước ngoài trên địa bàn tỉnh", "KTĐN", ("month", 25), "Cơ sở dữ liệu dự án FDI", NOT_STARTED),
    DemoTask("7.7", "Cập nhật số liệu kinh tế ngành trên Hệ thống thông tin báo cáo của tỉnh", "KTN", ("date", 9), "Số liệu được cập nhật đầy đủ", PENDING, ("THQH",)),
]
# fmt: on

# Sở Tài chính's plan, so that another agency's tasks are there to be kept apart; its numbers restart in
# each group, as many plans write them.
# fmt: off
STC_2019 = [
    DemoTask("1", "Xây dựng, ban hành Kế hoạch cải cách hành chính năm 2019 của Sở Tài chính", "VP", "Tháng 1/2019", "Kế hoạch CCHC năm 2019", ON_TIME, section="I"),
    DemoTask("1", "Rà soát văn bản quy phạm pháp luật lĩnh vực tài chính do HĐND, UBND tỉnh ban hành", "TTr", "Quý II/2019", "Báo cáo kết quả rà soát", NOT_STARTED, section="II"),
    DemoTask("1", "Công khai thủ tục hành chính lĩnh vực tài chính trên Cổng thông tin điện tử của Sở", "VP", "Quý I/2019", "100% TTHC được công khai", ON_TIME, section="III"),
    DemoTask("1", "Đánh giá, xếp loại công chức, viên chức năm 2019", "VP", "Trước 15/12/2019", "Quyết định công nhận kết quả xếp loại", ON_TIME, section="IV"),
    DemoTask("1", "Hướng dẫn các đơn vị sự nghiệp công lập xây dựng phương án tự chủ tài chính theo Nghị định số 16/2015/NĐ-CP", "NS", "Quý III/2019", "Văn bản hướng dẫn", NOT_STARTED, ("GCS",), section="V"),
    DemoTask("1", "Duy trì, cải tiến Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", "VP", "Năm 2019", "Quyết định công bố Hệ thống quản lý chất lượng", ON_TIME, section="VI"),
]
# fmt: on

PROGRESS_NOTES = [
    (30, "Đã triển khai, phân công công chức thực hiện; đang thu thập, tổng hợp tài liệu."),
    (50, "Đã xây dựng dự thảo, đang lấy ý kiến các phòng, đơn vị liên quan."),
    (70, "Đã tiếp thu ý kiến góp ý, hoàn thiện dự thảo; trình Lãnh đạo Sở xem xét."),
    (90, "Đã trình Lãnh đạo Sở; đang hoàn thiện theo ý kiến chỉ đạo."),
]
PERIODIC_NOTES = "Thực hiện đầy đủ, đúng quy định trong kỳ báo cáo; không phát sinh vướng mắc."
CONTRIBUTION_NOTES = [
    "Đã có văn bản góp ý dự thảo, gửi đơn vị chủ trì tổng hợp.",
    "Đã cung cấp số liệu thuộc lĩnh vực phụ trách theo đề nghị của đơn vị chủ trì.",
    "Đã cử công chức tham gia tổ công tác và dự các cuộc họp liên quan.",
]
RETURN_REASON = (
    "Báo cáo chưa kèm phương án đơn giản hóa đối với từng thủ tục hành chính; đề nghị bổ sung bảng tổng hợp "
    "thời gian giải quyết trước và sau khi cắt giảm."
)
RETURN_REASON_CURRENT = (
    "Tài liệu kiểm chứng chưa có danh mục hồ sơ đã số hóa; đề nghị bổ sung trước khi trình duyệt."
)
CANCEL_REASON = (
    "Thực hiện theo chỉ đạo của UBND tỉnh, việc sắp xếp tổ chức bộ máy chờ hướng dẫn của Bộ Kế hoạch và Đầu tư; "
    "nhiệm vụ chuyển sang kế hoạch năm sau."
)


def pdf_bytes(*lines: str) -> bytes:
    """A small valid one-page PDF with the given lines (ASCII: diacritics dropped, Helvetica has none)."""

    def ascii_text(text: str) -> str:
        text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        text = "".join(char for char in text if unicodedata.category(char) != "Mn")
        text = text.encode("ascii", "replace").decode("ascii")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = "".join(f"({ascii_text(line)}) Tj 0 -20 Td " for line in lines)
    stream = f"BT /F1 12 Tf 56 780 Td {rows}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(body)


def evidence_file(task: Task, title: str) -> SimpleUploadedFile:
    name = title.replace("/", "-").replace(":", " ")[:80].rstrip(" ,;.") + ".pdf"
    body = pdf_bytes(
        title,
        f"Nhiem vu {task.number} - Ke hoach so {task.plan.number_symbol}",
        "Tai lieu minh hoa (du lieu mau)",
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@dataclass(order=True)
class Step:
    """One thing that happened to a task, on a day; executed in order through the services."""

    day: datetime.date
    action: str = field(compare=False)  # report | approve | return | deadline | cancel | direct | contribute
    percent: int = field(default=0, compare=False)
    text: str = field(default="", compare=False)
    deadline: str = field(default="", compare=False)


@dataclass
class People:
    """Who acts for each department: its head (approves) and its staff member (reports, contributes)."""

    clerk: User
    leader: User | None
    heads: dict[int, User]
    staff: dict[int, User]
    by_username: dict[str, User]

    def reporter(self, task: Task, spec: DemoTask) -> User:
        if spec.assignee:
            return self.by_username[spec.assignee]
        return self.staff[task.lead_department_id]


def weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Friday before a weekend."""
    return day - datetime.timedelta(days=max(day.weekday() - 4, 0))


def next_weekday(day: datetime.date) -> datetime.date:
    """The day itself, or the Monday after a weekend."""
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _progress(rng: random.Random, count: int) -> list[tuple[int, str]]:
    chosen = sorted(rng.sample(range(len(PROGRESS_NOTES)), count))
    return [PROGRESS_NOTES[index] for index in chosen]


def _completion_steps(start, completed, rng, *, returned=False, approved=None, periodic=False) -> list[Step]:
    """Progress reports from `start`, a completing report on `completed` and its approval."""
    completed = weekday(completed)
    steps = []
    if periodic:
        steps += [
            Step(weekday(day), "report", pct, PERIODIC_NOTES)
            for day, pct in (
                (D(start.year, 3, 14), 25),
                (D(start.year, 6, 14), 50),
                (D(start.year, 9, 13), 75),
            )
            if day < completed
        ]
    else:
        span = (completed - start).days
        notes = _progress(rng, 1 if span < 40 else 2)
        steps += [
            Step(weekday(start + datetime.timedelta(days=span * i // (len(notes) + 1))), "report", pct, text)
            for i, (pct, text) in enumerate(notes)
        ]
    if returned:
        first = completed - datetime.timedelta(days=9)
        steps += [
            Step(weekday(first), "report", 100, "Đã hoàn thành nhiệm vụ, trình duyệt kết quả."),
            Step(next_weekday(first + datetime.timedelta(days=2)), "return", text=RETURN_REASON),
        ]
    steps.append(Step(completed, "report", 100, "Đã hoàn thành nhiệm vụ theo Kế hoạch."))
    approved = approved or next_weekday(completed + datetime.timedelta(days=rng.randint(1, 3)))
    steps.append(Step(approved, "approve"))
    return steps


def steps_2019(spec: DemoTask, task: Task, rng: random.Random) -> list[Step]:
    """The task's 2019, in the taxonomy's terms as of 14/12/2019 (the annual report's cut-off)."""
    due = task.due_date
    changed_due = parse_deadline(spec.change[1], year=2019).due_date if spec.change else due
    periodic = task.deadline_kind != Task.Kind.ONCE
    steps = []
    if spec.change:
        steps.append(
            Step(
                weekday(due - datetime.timedelta(days=spec.change[0])),
                "deadline",
                text=spec.change[2],
                deadline=spec.change[1],
            )
        )
        due = changed_due
    start = max(D(2019, 1, 21), due - datetime.timedelta(days=rng.randint(35, 100)))
    if periodic:
        start = D(2019, 2, 15)
    if spec.story in (ON_TIME, RETURNED):
        completed = spec.completed or (
            D(2019, 12, 10) if periodic else due - datetime.timedelta(days=rng.randint(1, 12))
        )
        if completed > D(2019, 12, 10):  # year-end tasks are done before the annual report's cut-off, 14/12
            completed = D(2019, 12, rng.randint(2, 10))
        completed = weekday(max(completed, start + datetime.timedelta(days=7)))
        steps += _completion_steps(
            start,
            completed,
            rng,
            returned=spec.story == RETURNED,
            approved=spec.approved,
            periodic=periodic,
        )
    elif spec.story == LATE:
        completed = spec.completed or weekday(
            min(due + datetime.timedelta(days=rng.randint(8, 35)), D(2019, 12, 10))
        )
        steps += _completion_steps(start, completed, rng)
    elif spec.story == YEAR_END:
        steps += _completion_steps(start, D(2019, 12, 18), rng, approved=D(2019, 12, 20), periodic=periodic)
    elif spec.story == LAST_MINUTE:
        steps += [Step(D(2019, 12, 20), "report", 60, PROGRESS_NOTES[1][1])]
        steps += _completion_steps(D(2019, 12, 23), D(2019, 12, 27), rng, approved=D(2019, 12, 30))[-2:]
    elif spec.story == OVERDUE:
        notes = _progress(rng, 3)
        days = [start, start + (due - start) / 2, min(due + datetime.timedelta(days=12), D(2019, 12, 6))]
        steps += [
            Step(weekday(day), "report", pct, text) for day, (pct, text) in zip(days, notes, strict=True)
        ]
    elif spec.story == CANCELLED:
        steps += [
            Step(D(2019, 3, 20), "report", 20, PROGRESS_NOTES[0][1]),
            Step(D(2019, 9, 10), "cancel", text=CANCEL_REASON),
        ]
    if spec.direction:
        when = due + datetime.timedelta(days=5) if spec.story in (LATE, OVERDUE) else start
        steps.append(Step(weekday(min(when, D(2019, 12, 13))), "direct", text=spec.direction))
    return steps


def steps_current(spec: DemoTask, task: Task, today: datetime.date, rng: random.Random) -> list[Step]:
    """The task's year so far, relative to `today`: every step lies in the past."""
    due = task.due_date
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    steps = []
    if spec.change:
        text = relative_deadline(spec.change[1], today)
        if text != task.deadline_text:
            steps.append(
                Step(
                    due - datetime.timedelta(days=spec.change[0]),
                    "deadline",
                    text=spec.change[2],
                    deadline=text,
                )
            )
            due = parse_deadline(text, year=today.year).due_date
    if spec.story == ON_TIME:
        completed = min(due, today) - datetime.timedelta(days=rng.randint(3, 12))
        steps += _completion_steps(completed - datetime.timedelta(days=rng.randint(25, 60)), completed, rng)
    elif spec.story == LATE:
        completed = min(due + datetime.timedelta(days=rng.randint(6, 15)), ago(3))
        steps += _completion_steps(due - datetime.timedelta(days=40), completed, rng)
    elif spec.story == OPEN:
        steps += [
            Step(ago(45), "report", 30, PROGRESS_NOTES[0][1]),
            Step(ago(9), "report", 60, PROGRESS_NOTES[1][1]),
        ]
    elif spec.story == OVERDUE:
        steps += [Step(due - datetime.timedelta(days=30), "report", 40, PROGRESS_NOTES[0][1])]
        steps += [Step(min(due + datetime.timedelta(days=4), ago(2)), "report", 70, PROGRESS_NOTES[2][1])]
    elif spec.story == PENDING:
        steps += [
            Step(ago(20), "report", 50, PROGRESS_NOTES[1][1]),
            Step(ago(1), "report", 100, "Đã hoàn thành nhiệm vụ, trình Trưởng phòng duyệt."),
        ]
    elif spec.story == RETURNED_OPEN:
        steps += [
            Step(ago(25), "report", 60, PROGRESS_NOTES[1][1]),
            Step(ago(8), "report", 100, "Đã hoàn thành số hóa, trình duyệt kết quả."),
            Step(ago(6), "return", text=RETURN_REASON_CURRENT),
        ]
    elif spec.story == CANCELLED:
        steps += [
            Step(ago(60), "report", 20, PROGRESS_NOTES[0][1]),
            Step(ago(30), "cancel", text=CANCEL_REASON),
        ]
    if spec.direction:
        steps.append(Step(ago(3), "direct", text=spec.direction))
    return steps


def relative_deadline(spec, today: datetime.date) -> str:
    """A deadline as a plan writes it; (form, days from today) becomes a date of today's year."""
    if isinstance(spec, str):
        return spec.format(year=today.year)
    form, days = spec
    day = today + datetime.timedelta(days=days)
    day = min(max(day, D(today.year, 1, 1)), D(today.year, 12, 31))  # stay in the plan's year
    if form == "month":
        return f"Tháng {day.month}/{day.year}"
    if form == "before":
        return f"Trước {day:%d/%m/%Y}"
    return f"{day:%d/%m/%Y}"


# The time of day each kind of step happens: reports in the morning, reviews in the afternoon.
HOURS = {
    "report": datetime.time(9, 15),
    "direct": datetime.time(10, 30),
    "deadline": datetime.time(14, 0),
    "approve": datetime.time(15, 30),
    "return": datetime.time(15, 30),
    "cancel": datetime.time(16, 0),
}


class HistoryWriter:
    """Runs each task's steps through the services, at increasing times that never pass `now`."""

    def __init__(self, people: People, floor: datetime.datetime, now: datetime.datetime):
        self.people, self.floor, self.now = people, floor, now
        self.by_code: dict[str, Department] = {}

    def department(self, agency_id: int, code: str) -> Department:
        if not self.by_code:
            self.by_code = {
                department.code: department for department in Department.objects.filter(agency_id=agency_id)
            }
        return self.by_code[code]

    def times(self, steps: list[Step]) -> list[datetime.datetime]:
        times, previous = [], self.floor
        for index, step in enumerate(steps):
            at = timezone.make_aware(datetime.datetime.combine(step.day, HOURS[step.action]))
            at = max(at, previous + datetime.timedelta(hours=1))
            at = min(at, self.now - datetime.timedelta(minutes=len(steps) - index))
            times.append(at)
            previous = at
        return times

    def write(self, task: Task, spec: DemoTask, steps: list[Step], rng: random.Random) -> None:
        steps = sorted(steps)  # stable: steps of one day keep their order
        people = self.people
        pending = None
        coordinating = list(spec.coordinating)
        contribution_at = len(steps) // 2 if coordinating and rng.random() < 0.6 else None
        for index, (step, at) in enumerate(zip(steps, self.times(steps), strict=True)):
            if index == contribution_at:
                self.contribute(task, coordinating[0], rng, at - datetime.timedelta(minutes=30))
            if step.action == "report":
                files = (
                    [evidence_file(task, spec.output.format(year=task.plan.year))]
                    if step.percent == 100
                    else []
                )
                if files and rng.random() < 0.25:
                    files.append(evidence_file(task, f"Danh mục tài liệu kèm theo nhiệm vụ {task.number}"))
                result = f"{spec.output.format(year=task.plan.year)}." if step.percent == 100 else ""
                pending = services.progress_report(
                    task=task,
                    by=people.reporter(task, spec),
                    percent=step.percent,
                    narrative=step.text,
                    result=result,
                    files=files,
                    at=at,
                )
            elif step.action == "approve":
                services.progress_approve(report=pending, by=people.heads[task.lead_department_id], at=at)
            elif step.action == "return":
                services.progress_return(
                    report=pending, by=people.heads[task.lead_department_id], reason=step.text, at=at
                )
            elif step.action == "deadline":
                services.task_change_deadline(
                    task=task, by=people.clerk, deadline_text=step.deadline, reason=step.text, at=at
                )
            elif step.action == "cancel":
                services.task_cancel(task=task, by=people.clerk, reason=step.text, at=at)
            elif step.action == "direct" and people.leader:
                services.direction_add(task=task, by=people.leader, text=step.text, at=at)

    def contribute(self, task: Task, department_code: str, rng: random.Random, at: datetime.datetime) -> None:
        department = self.department(task.plan.agency_id, department_code)
        author = self.people.staff.get(department.pk)
        if author is None:
            return
        files = [evidence_file(task, f"Ý kiến phối hợp của {department.name}")] if rng.random() < 0.5 else []
        services.contribution_add(
            task=task,
            by=author,
            department=department,
            note=rng.choice(CONTRIBUTION_NOTES),
            files=files,
            at=at,
        )


def create_sections(plan: Plan, specs: list[DemoSection], clerk: User) -> dict[str, PlanSection]:
    """The groups of the plan's annex, in the written order, by label."""
    areas = list(plan.area_set.areas.order_by("position"))
    sections: dict[str, PlanSection] = {}
    for spec in specs:
        sections[spec.label] = plan_services.section_create(
            plan=plan,
            by=clerk,
            label=spec.label,
            title=spec.title,
            parent=sections[spec.parent] if spec.parent else None,
            area=areas[spec.area] if spec.area is not None else None,
        )
    return sections


def create_tasks(
    plan: Plan,
    specs: list[DemoTask],
    sections: dict[str, PlanSection],
    people: People,
    at: datetime.datetime,
    today,
) -> list[Task]:
    """Create the plan's tasks in their sections (each takes its section's reform area) as its clerk
    did after the plan was issued; heads assign their people."""
    departments = {d.code: d for d in Department.objects.filter(agency=plan.agency)}
    tasks = []
    for spec in specs:
        task = services.task_create(
            plan=plan,
            by=people.clerk,
            number=spec.number,
            section=sections[spec.section_label],
            content=spec.content.format(year=plan.year),
            lead_department=departments[spec.lead],
            lead_name=spec.lead_name,
            outside_coordinators=spec.outside,
            deadline_text=relative_deadline(spec.deadline, today),
            coordinating_departments=[departments[code] for code in spec.coordinating],
            expected_output=spec.output.format(year=plan.year),
            notes=ILLUSTRATIVE,
            start_date=plan.issued_on,
            at=at,
        )
        if spec.assignee:
            assignee = people.by_username[spec.assignee]
            head = people.heads[task.lead_department_id]
            services.task_assign(
                task=task, by=head, assignees=[assignee], at=at + datetime.timedelta(minutes=30)
            )
        tasks.append(task)
    return tasks


def load_plan_history(
    plan: Plan,
    specs: list[DemoTask],
    people: People,
    *,
    sections: list[DemoSection],
    now: datetime.datetime,
) -> None:
    """Write the plan's sections, its tasks and their history, once: a plan that already has tasks is
    left alone.

    A plan of the current year gets a history relative to today, a 2019 plan the story of its year."""
    if plan.tasks.exists():
        return
    today = timezone.localdate(now)
    rng = random.Random(plan.year)  # noqa: S311 - a fixed story, not security
    created = timezone.make_aware(datetime.datetime.combine(plan.issued_on, datetime.time(8, 0)))
    created = min(created + datetime.timedelta(days=1), now - datetime.timedelta(hours=2))
    tasks = create_tasks(plan, specs, create_sections(plan, sections, people.clerk), people, created, today)
    if plan_services.can_seal_snapshot(plan):
        # The clerk fixes the plan as signed once its annex is entered, before any task is cancelled
        # or re-dated: the plan reprints as issued (tasks.documents).
        plan_services.plan_seal_snapshot(plan=plan, by=people.clerk)
    writer = HistoryWriter(people, created + datetime.timedelta(hours=1), now)
    for task, spec in zip(tasks, specs, strict=True):
        if plan.year == today.year:
            steps = steps_current(spec, task, today, rng)
        else:
            steps = steps_2019(spec, task, rng)
        writer.write(task, spec, steps, rng)
