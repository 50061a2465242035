"""Django's Redis cache, for which an unreachable Redis is an empty cache rather than an error.

The cache is an optimisation: when Redis does not answer, every read is a miss and every write is
dropped, so pages are computed afresh and still shown. The outage is logged once when it starts and
once when it ends, however many requests meet it. While it lasts, Redis is tried again only every
RETRY_SECONDS (one caller per process pays the connection timeout, the others go straight on), and
the keys this process failed to delete are deleted once Redis answers again, so that nothing the
application dropped while Redis was away is read back afterwards.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5
MAX_PENDING_DELETES = 10_000
# Bounded waits unless OPTIONS says otherwise: a Redis that does not answer costs a page one second,
# not the operating system's connection timeout.
DEFAULT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}


class Outage:
    """What one process knows of one Redis server: since when it has been unreachable, when to try it
    again, which keys are waiting to be deleted. Shared by the threads of the process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since: float | None = None
        self.retry_at = 0.0
        self.pending_deletes: set[str] = set()

    def skipping(self) -> bool:
        with self.lock:
            if self.since is None or time.monotonic() >= self.retry_at:
                if self.since is not None:
                    self.retry_at = time.monotonic() + RETRY_SECONDS  # this caller tries, the others wait
                return False
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.since is not None:
                return
            self.since = now
        logger.error(
            "The cache (Redis) is unreachable: pages are computed without it until it answers again (%s).",
            error,
        )

    def catch_up(self, client) -> None:
        """While an outage may be ending, delete the keys this process could not delete during it,
        before anything is read; raises as the client does when Redis is still unreachable."""
        if self.since is None:
            return
        with self.lock:
            keys = list(self.pending_deletes)
        if keys:
            client.delete_many(keys)
            with self.lock:
                self.pending_deletes.difference_update(keys)

    def recovered(self) -> None:
        """Called after each success: logs the end of an outage."""
        if self.since is None:
            return
        with self.lock:
            if self.since is None:
                return
            seconds = time.monotonic() - self.since
            self.since = None
        logger.info("The cache (Redis) answers again, after %d s unreachable.", seconds)

    def remember_delete(self, *keys: str) -> None:
        with self.lock:
            if len(self.pending_deletes) + len(keys) <= MAX_PENDING_DELETES:
                self.pending_deletes.update(keys)


_outages: dict[tuple, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(servers) -> Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), Outage())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {**DEFAULT_OPTIONS, **self._options}
        self._outage = outage_of(self._servers)

    def _call(self, fallback, method, *args):
        if self._outage.skipping():
            return fallback
        try:
            self._outage.catch_up(self._cache)
            result = method(*args)
        except UNREACHABLE as error:
            self._outage.failed(error)
            return fallback
        self._outage.recovered()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as Django's dummy cache answers: with no cache to share, the caller's claim stands.
        key = self.make_and_validate_key(key, version=version)
        return self._call(True, self._cache.add, key, value, self.get_backend_timeout(timeout))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(default, self._cache.get, key, default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._call(None, self._cache.set, key, value, self.get_backend_timeout(timeout))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.touch, key, self.get_backend_timeout(timeout))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        missed = object()
        deleted = self._call(missed, self._cache.delete, key)
        if deleted is missed:
            self._outage.remember_delete(key)
            return False
        return deleted

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self._call({}, self._cache.get_many, key_map.keys())
        return {key_map[k]: v for k, v in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._call(False, self._cache.has_key, key)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read does not exist, as in Django's dummy cache.
        made_key = self.make_and_validate_key(key, version=version)
        missed = object()
        value = self._call(missed, self._cache.incr, made_key, delta)
        if value is missed:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe_data = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
        missed = object()
        done = self._call(missed, self._cache.set_many, safe_data, self.get_backend_timeout(timeout))
        return list(data) if done is missed else []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        missed = object()
        if self._call(missed, self._cache.delete_many, safe_keys) is missed:
            self._outage.remember_delete(*safe_keys)

    def clear(self):
        return self._call(False, self._cache.clear)
