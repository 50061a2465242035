"""Importing a plan's task annex (a table in a .docx, or an .xlsx sheet): read, match, preview, confirm.

Nothing is written to tasks before the clerk confirms. `import_prepare` reads the file (reading.py)
and keeps the rows it found in an ImportBatch (status preview); `build_preview` (preview.py) matches
them against the plan's departments, reform areas (matching.py) and existing tasks each time the
preview is shown; `import_confirm` (batch.py) claims the batch atomically and writes every row in one
transaction through tasks.services, so a failure leaves nothing half imported and a double submit
imports once. `measure_import` (measure.py) times the whole path for the benchmark.

Sections and numbers: the groups of the annex become the plan's sections as written (I, II, III.1
under III, III.1.1 under III.1 — reading.py places each), and a task's number is its TT value as
written, unique within its section ("1" under I and "1" under II are two tasks). A row with content but
no TT value gets the number of the row before it with a sub-number ("2" → "2.1", "2.2"). Importing a
file again finds the same sections (by their labels from the top down) and the same tasks (by section
and number), so nothing is duplicated and an unchanged file changes nothing.

Bodies: a name that is no department's (a ministry, "Các địa phương") is kept as written, and the
department the clerk picks follows it up; names are compared ignoring case, spacing, punctuation and
Unicode form, and the clerk's choices are remembered per agency (tasks.models.BodyName).

A confirmation of more than JOB_ROWS task rows runs as a job (tasks.jobs.start_import_job) whose progress
the preview page shows; without a broker it runs in the request.
"""

from tasks.importing.batch import (
    JOB_ROWS,
    AlreadyImported,
    import_choose,
    import_confirm,
    import_discard,
    import_prepare,
    import_progress,
)
from tasks.importing.matching import DepartmentMatcher, department_key, match_area
from tasks.importing.measure import measure_import, measure_update, sample_annex
from tasks.importing.preview import Preview, PreviewRow, build_preview
from tasks.importing.reading import MAX_BYTES, MAX_TASK_ROWS, AnnexError, read_annex

__all__ = [
    "JOB_ROWS",
    "MAX_BYTES",
    "MAX_TASK_ROWS",
    "AlreadyImported",
    "AnnexError",
    "DepartmentMatcher",
    "Preview",
    "PreviewRow",
    "build_preview",
    "department_key",
    "import_choose",
    "import_confirm",
    "import_discard",
    "import_prepare",
    "import_progress",
    "match_area",
    "measure_import",
    "measure_update",
    "read_annex",
    "sample_annex",
]
