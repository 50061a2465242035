"""Parts of pages rendered once and kept in Django's cache, under a key that names their version.

The key names everything the part shows together with a version that one place counts up whenever the
data changes (Task.revision for a task's timeline, Agency.data_version for the dashboards), so a change
gives a new key and the old copy is never read again (it expires on its own). The part is rendered
without the request: nothing in it may depend on who reads it. The cache is an optimisation: when it
cannot be reached, the part is rendered afresh and the page still shows.
"""

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 60 * 60


def cached(key: str, build: Callable[[], object], timeout: int = TIMEOUT):
    """The value kept under `key`, or `build()`'s, kept for next time; built afresh when the cache
    cannot be reached."""
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; building %s afresh.", key, exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("The cache is unreachable; not keeping %s.", key, exc_info=True)
    return value


def render_cached(key: str, template_name: str, context: Callable[[], dict], timeout: int = TIMEOUT) -> str:
    """`template_name` rendered with `context()`, which is called only when the cache holds no copy
    under `key`. The result is the template's own output, printed as it is by `{{ part }}`."""
    return cached(key, lambda: render_to_string(template_name, context()), timeout)
