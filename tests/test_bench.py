"""`manage.py bench` on a tiny province built inside the test database (--in-place)."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cchc.management.commands.bench import PAGES

TINY = {"agencies": 2, "departments": 2, "users": 3, "years": 2, "repeat": 2}


def run_bench(**options) -> str:
    out = io.StringIO()
    call_command("bench", stdout=out, **{**TINY, **options})
    return out.getvalue()


@pytest.mark.django_db
def test_it_prints_every_page_with_its_time_ratio_and_query_count():
    output = run_bench(in_place=True)

    assert (
        "Quy mô: 4 cơ quan (2 + 1 cơ quan đối chứng + tỉnh), 5 phòng, 8 người dùng, 5 kế hoạch (2025–2026)"
        in output
    )
    assert "Gấp sàn" in output and "Truy vấn" in output
    for page in PAGES:
        assert page.label in output
    floor_row = next(line for line in output.splitlines() if line.startswith(PAGES[0].label))
    assert "1.00×" in floor_row


@pytest.mark.django_db
def test_query_counts_do_not_grow_from_the_small_agency_to_the_full_one():
    output = run_bench(in_place=True)

    comparison = output.split("Số truy vấn không được tăng theo dữ liệu")[1]
    assert "TĂNG" not in comparison
    assert sum(page.label in comparison for page in PAGES) == len(PAGES)


@pytest.mark.django_db
def test_it_refuses_to_build_in_place_outside_the_test_suite(monkeypatch):
    monkeypatch.delattr(mail, "outbox")

    with pytest.raises(CommandError, match="only for the test suite"):
        run_bench(in_place=True)


@pytest.mark.django_db
def test_it_refuses_nonsense_scales():
    with pytest.raises(CommandError, match="at least 1"):
        run_bench(in_place=True, agencies=0)
