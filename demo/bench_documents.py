"""The benchmark's figures for printed documents (issue: official documents), measured on the bench data.

- the PDF of a 100-task plan beside a naive WeasyPrint render of the same 100 rows as one plain HTML
  table, in the same run (target: at most 0.7 times the naive render, and at most 2 s);
- the PDF of the 1,000-task plan: time, and the peak memory the rendering adds to a process;
- the re-download of an unchanged document through its page (target: at most 50 ms).

The 100-task plan is a copy of the first 100 tasks of the measured plan, made inside a transaction that
is rolled back, so the bench data stays as it was.
"""

import multiprocessing
import re
import resource
import statistics
import tempfile
import time
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse

from cchc.printing import files
from cchc.printing.document import GroupRow, Table
from plans.models import Plan, PlanLegalBasis
from tasks.models import Task

SMALL_PLAN_TASKS = 100
RUNS = 5  # each render timed this many times, the shortest kept (the least disturbed by the machine)
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
PDF_RATIO_TARGET = 0.7
PDF_SECONDS_TARGET = 2.0
REDOWNLOAD_MS_TARGET = 50


@dataclass
class DocumentFigures:
    tasks: int
    pdf_seconds: float
    naive_seconds: float
    pages: int
    big_tasks: int
    big_seconds: float
    big_peak_mb: float
    big_pages: int
    redownload_ms: float

    @property
    def ratio(self) -> float:
        return self.pdf_seconds / self.naive_seconds


def _best_of(runs: int, work) -> tuple[float, object]:
    """The shortest of `runs` timings of `work()` (the least disturbed by the shared machine)."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def naive_html(table: Table) -> str:
    """The rows of `table` as one plain HTML table, as a first attempt with WeasyPrint would print them."""
    rows = [
        {"group": row, "cells": ()} if isinstance(row, GroupRow) else {"group": None, "cells": row}
        for row in table.rows
    ]
    return render_to_string(
        "demo/naive_table.html", {"columns": table.columns, "span": len(table.columns) - 1, "rows": rows}
    )


def _task_table(document) -> Table:
    return next(
        block for appendix in document.appendices for block in appendix.blocks if isinstance(block, Table)
    )


def _pages(pdf: bytes) -> int:
    """The page objects of a PDF, including those packed in compressed object streams."""
    count = len(PAGE_OBJECT.findall(pdf))
    for stream in STREAM.findall(pdf):
        try:
            count += len(PAGE_OBJECT.findall(zlib.decompress(stream)))
        except zlib.error:
            continue
    return count


def _copy_plan(plan: Plan, tasks: int) -> Plan:
    """A draft copy of `plan` with its sections and its first `tasks` tasks, in the written order
    (inside the caller's transaction)."""
    taken = set(Plan.objects.filter(agency_id=plan.agency_id).values_list("number", flat=True))
    copy = Plan.objects.get(pk=plan.pk)
    copy.pk = None
    copy.number = max(taken) + 1
    copy.status = Plan.Status.ISSUED
    copy.save()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=copy, document_id=link.document_id, position=link.position)
        for link in plan.basis_links.all()
    )
    sections = {}  # the plan's sections copied, parents first, by the original's id
    for section in plan.sections.order_by("sort_key"):
        source = section.pk
        section.pk, section.plan = None, copy
        section.parent = sections.get(section.parent_id)
        section.save()
        sections[source] = section
    originals = list(plan.tasks.order_by("sort_key")[:tasks])
    coordinating = Task.coordinating_departments.through.objects.filter(task__in=originals)
    links = {}
    for link in coordinating:
        links.setdefault(link.task_id, []).append(link.department_id)
    for task in originals:
        source = task.pk
        task.pk = None
        task.plan = copy
        task.section = sections.get(task.section_id)
        task.save()
        task.coordinating_departments.set(links.get(source, []))
    return copy


def _render_in_child(document, queue) -> None:
    from cchc.printing.pdf import render_pdf

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    pdf = render_pdf(document)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, (after - before) / 1024, _pages(pdf)))


def _render_big(document) -> tuple[float, float, int]:
    """Time and peak memory growth (MB) of rendering `document`, in a forked process of its own so the
    peak is this render's alone."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_render_in_child, args=(document, queue))
    child.start()
    result = queue.get(timeout=600)
    child.join()
    return result


def measure(plan: Plan, clerk) -> DocumentFigures:
    from cchc.printing.pdf import render_pdf
    from tasks.documents import build_plan_document

    big = build_plan_document(plan)
    big_seconds, big_peak, big_pages = _render_big(big)
    with transaction.atomic():
        small_plan = _copy_plan(plan, SMALL_PLAN_TASKS)
        small = build_plan_document(small_plan)
        small_tasks = small_plan.tasks.count()
        from weasyprint import HTML

        naive_source = naive_html(_task_table(small))
        render_pdf(small)  # warm: fonts and stylesheet loaded once per process
        HTML(string=naive_source).write_pdf()
        naive_seconds, _ = _best_of(RUNS, lambda: HTML(string=naive_source).write_pdf())
        pdf_seconds, pdf = _best_of(RUNS, lambda: render_pdf(small))
        # a folder of its own, whatever the private storage is (never the deployment's bucket)
        folder = {**settings.STORAGES, "private": {"BACKEND": "cchc.storage.PrivateFileSystemStorage"}}
        with (
            tempfile.TemporaryDirectory() as storage,
            override_settings(PRIVATE_STORAGE_ROOT=storage, STORAGES=folder),
        ):
            client = Client()
            client.force_login(clerk)
            url = reverse("plans:print", args=[small_plan.pk, "pdf"])
            files.store(small, "pdf")  # as the first request (or its job) does
            timings = []
            for _ in range(10):
                start = time.perf_counter()
                _consume(client.get(url, secure=True))
                timings.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    return DocumentFigures(
        tasks=small_tasks,
        pdf_seconds=pdf_seconds,
        naive_seconds=naive_seconds,
        pages=_pages(pdf),
        big_tasks=plan.tasks.count(),
        big_seconds=big_seconds,
        big_peak_mb=big_peak,
        big_pages=big_pages,
        redownload_ms=statistics.median(timings) * 1000,
    )


def _consume(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"the print page answered {response.status_code}")
    b"".join(response.streaming_content)
