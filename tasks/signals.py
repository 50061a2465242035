"""What happened to a task, told to whoever listens (the notifications app) without tasks importing it.

`task_happened` is sent by tasks.services inside the write's transaction, after the write, so that a
write that rolls back tells nobody. Its arguments:

- `kind`: what happened, one of
  - "report_pending": a completion report waits for approval (`target`: the ProgressUpdate);
  - "report_approved", "report_returned": a completion report was approved or returned (`target`: the
    ProgressUpdate, its return_reason set);
  - "assigned": people were assigned (`target`: the newly assigned users, a list);
  - "direction": a leader wrote a direction (`target`: the Direction);
  - "direction_replied": someone carrying the task reported on a direction (`target`: the
    DirectionReply, its `direction` the Direction answered);
  - "deadline_changed", "lead_changed": the deadline or the lead department changed (`target`: None;
    the task holds the new deadline or lead department, and its TaskEvent is recorded);
  - "contribution_asked": departments were added to the coordinating ones (`target`: the newly
    coordinating departments, a list);
- `task`: the Task (None for a batch, see below);
- `actor`: the User who did it;
- `target`: the object concerned, as above;
- `batch` (optional): many tasks at once, one signal for a whole import rather than one per task —
  "contribution_asked": [(task, newly coordinating departments), …] (tasks_bulk_create,
  tasks_bulk_update); "deadline_changed", "lead_changed": [(task, its TaskEvent), …] (tasks_bulk_update,
  the annex re-import).
"""

import django.dispatch

task_happened = django.dispatch.Signal()
