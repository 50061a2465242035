"""Importing a plan's task annex (a table in a .docx, or an .xlsx sheet): read, match, preview, confirm.

Nothing is written to tasks before the clerk confirms. `import_prepare` reads the file (reading.py)
and keeps the rows it found in an ImportBatch (status preview); `build_preview` (preview.py) matches
them against the plan's departments, reform areas (matching.py) and existing tasks each time the
preview is shown; `import_confirm` (batch.py) claims the batch atomically and writes every row in one
transaction through tasks.services, so a failure leaves nothing half imported and a double submit
imports once. `measure_import` (measure.py) times the whole path for the benchmark.

Task numbers: the number is the TT value as written ("1", "2.3"). A row with content but no TT value
gets the number of the row before it in its section with a sub-number ("2" → "2.1", "2.2"). Annexes
that restart the numbering in every section (1, 2, 3 under I; 1, 2 under II) would repeat numbers, so
when any number repeats across sections every task number is prefixed with its section's numeral
("I.1", "II.2"). The rule depends only on the file, so importing the same file again gives the same
numbers and updates the same tasks.
"""

from tasks.importing.batch import (
    AlreadyImported,
    import_choose,
    import_confirm,
    import_discard,
    import_prepare,
)
from tasks.importing.matching import ALL, SKIP, DepartmentMatcher, department_key, match_area
from tasks.importing.measure import measure_import, sample_annex
from tasks.importing.preview import Preview, PreviewRow, build_preview
from tasks.importing.reading import MAX_BYTES, MAX_TASK_ROWS, AnnexError, read_annex

__all__ = [
    "ALL",
    "MAX_BYTES",
    "MAX_TASK_ROWS",
    "SKIP",
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
    "match_area",
    "measure_import",
    "read_annex",
    "sample_annex",
]
