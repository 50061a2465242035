"""Logging helpers named by cchc.settings.LOGGING."""

import logging


class ExpectedErrorsOnOneLine(logging.Filter):
    """django.request logs every refused request (403 PermissionDenied, 400 BadRequest) with the traceback
    of the exception that refused it. A refusal is the application working as designed, so it keeps its one
    line ("Forbidden (Permission denied): /ke-hoach/5/sua/"); a 5xx keeps its traceback, which is what
    someone reading the log needs to fix it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
