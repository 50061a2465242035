"""A plan whose annex is written in sections, for the tests of what is exported and printed from it:

    I. Công tác chỉ đạo, điều hành cải cách hành chính   task 1
    II. Cải cách thể chế                                  (no task)
    III. Cải cách thủ tục hành chính                      task 1
        III.1. Kiểm soát thủ tục hành chính               task 1 (led by Bộ Nội vụ), task 2
            III.1.1. Rà soát thủ tục nội bộ               task 1
        III.2. Thực hiện cơ chế một cửa                   task 1 (deadline that names no date)
    IV. … VIII.                                           (IV and V have a task each)
    IX. Kinh phí thực hiện (no reform area)               task 1

Numbers restart in each section, as real plans write them, and sections are created in the written
order (IX after V: the order of the plan, not of the labels' letters)."""

from plans import services as plan_services
from plans.models import ReformArea
from tasks import services
from tasks.deadlines import Deadline

TOP = [
    ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", 0),
    ("II", "Cải cách thể chế", 1),
    ("III", "Cải cách thủ tục hành chính", 2),
    ("IV", "Cải cách tổ chức bộ máy hành chính nhà nước", 3),
    ("V", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức", 4),
    ("VI", "Cải cách tài chính công", 5),
    ("VII", "Hiện đại hóa hành chính", 6),
    ("VIII", "Công tác thi đua, khen thưởng", None),
    ("IX", "Kinh phí thực hiện", None),
]
OUTSIDE_LEAD = "Bộ Nội vụ"
OUTSIDE_COORDINATORS = "Bộ Công an; Bộ Tài chính"
UNSET_TEXT = "Theo lộ trình của Trung ương"


def sectioned_plan(plan, clerk, *, office, department, coordinating_department) -> dict:
    """Sections and tasks as in the module's docstring; returns the sections by label and the tasks
    by "label/number"."""
    areas = {area.position: area for area in ReformArea.objects.filter(area_set=plan.area_set)}
    sections = {}
    for label, title, position in TOP:
        area = areas[position] if position is not None else None
        sections[label] = plan_services.section_create(
            plan=plan, by=clerk, label=label, title=title, area=area
        )
    for label, title, parent in [
        ("III.1", "Kiểm soát thủ tục hành chính", "III"),
        ("III.1.1", "Rà soát thủ tục nội bộ", "III.1"),
        ("III.2", "Thực hiện cơ chế một cửa", "III"),
    ]:
        sections[label] = plan_services.section_create(
            plan=plan, by=clerk, label=label, title=title, parent=sections[parent]
        )

    def task(label, number, lead=department, *, coordinating=(), deadline_text="Quý II/2019", **fields):
        # the task's reform area is its section's (none for IX)
        return services.task_create(
            plan=plan,
            by=clerk,
            number=number,
            section=sections[label],
            lead_department=lead,
            coordinating_departments=list(coordinating),
            deadline_text=deadline_text,
            expected_output=fields.pop("expected_output", "Báo cáo kết quả"),
            **fields,
        )

    tasks = {
        "I/1": task(
            "I", "1", office, content="Xây dựng, ban hành Kế hoạch CCHC năm 2019", deadline_text="Quý I/2019"
        ),
        "III/1": task("III", "1", content="Công khai thủ tục hành chính trên Cổng thông tin điện tử"),
        "III.1/1": task(
            "III.1",
            "1",
            office,
            content="Hướng dẫn rà soát quy định, thủ tục hành chính nội bộ",
            lead_name=OUTSIDE_LEAD,
            outside_coordinators=OUTSIDE_COORDINATORS,
            coordinating=[coordinating_department],
            deadline_text="Tháng 9/2019",
            notes="Sở theo dõi, đôn đốc",
        ),
        "III.1/2": task("III.1", "2", content="Đơn giản hóa thủ tục đăng ký doanh nghiệp"),
        "III.1.1/1": task("III.1.1", "1", content="Rà soát thủ tục hành chính nội bộ của Sở"),
        "IV/1": task("IV", "1", content="Rà soát chức năng, nhiệm vụ của các phòng"),
        "V/1": task("V", "1", content="Đánh giá, xếp loại công chức, viên chức"),
        "IX/1": task(
            "IX", "1", office, content="Bố trí kinh phí thực hiện Kế hoạch", deadline_text="Năm 2019"
        ),
    }
    (tasks["III.2/1"],) = services.tasks_bulk_create(
        plan=plan,
        by=clerk,
        items=[
            {
                "number": "1",
                "section": sections["III.2"],
                "area": sections["III.2"].effective_area,
                "content": "Thực hiện cơ chế một cửa liên thông",
                "lead_department": department,
                "deadline": Deadline.unset(UNSET_TEXT),
                "expected_output": "Báo cáo kết quả",
            }
        ],
    )
    return {"sections": sections, "tasks": tasks}
