"""The reform areas of the two national programmes, as data (DOMAIN.md §4)."""

DIRECTING = "Công tác chỉ đạo, điều hành cải cách hành chính"

AREA_SETS = [
    (
        "NQ30C",
        "Nghị quyết 30c/NQ-CP (Chương trình tổng thể CCHC 2011–2020)",
        2011,
        2020,
        [
            DIRECTING,
            "Cải cách thể chế",
            "Cải cách thủ tục hành chính",
            "Cải cách tổ chức bộ máy hành chính nhà nước",
            "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
            "Cải cách tài chính công",
            "Hiện đại hóa hành chính",
        ],
    ),
    (
        "NQ76",
        "Nghị quyết 76/NQ-CP (Chương trình tổng thể CCHC 2021–2030)",
        2021,
        2030,
        [
            DIRECTING,
            "Cải cách thể chế",
            "Cải cách thủ tục hành chính",
            "Cải cách tổ chức bộ máy hành chính nhà nước",
            "Cải cách chế độ công vụ",
            "Cải cách tài chính công",
            "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
        ],
    ),
]


def ensure_area_sets(reform_area_set=None, reform_area=None) -> None:
    """Create or update the area sets (idempotent). Models are passed in by the data migration."""
    if reform_area_set is None:
        from plans.models import ReformArea, ReformAreaSet

        reform_area_set, reform_area = ReformAreaSet, ReformArea
    for code, name, first_year, last_year, areas in AREA_SETS:
        area_set, _ = reform_area_set.objects.update_or_create(
            code=code, defaults={"name": name, "first_year": first_year, "last_year": last_year}
        )
        for position, area_name in enumerate(areas):
            reform_area.objects.update_or_create(
                area_set=area_set, position=position, defaults={"name": area_name}
            )
