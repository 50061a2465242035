"""One beat per deployment: the schedule of cchc.celery is sent only by the process that holds a lock in
Redis.

Every scheduler started (a second beat replica, a restarted beat overlapping the old one, `make run`'s
run_schedule beside a beat) tries to take the key LOCK_KEY with SET NX and an expiry. The holder renews
it at every tick and deletes it when it stops; any other logs once that it is waiting, sends nothing,
and tries again every RETRY_SECONDS. When the holder stops, or dies and its key expires after
LOCK_SECONDS, one of the waiting takes over. The key is not under the cache's prefix (which changes with
the templates), so the beats of two releases overlapping during a deployment share it.

Without Redis (neither REDIS_URL nor a redis:// broker) there is nothing to share a lock with: the
scheduler runs unlocked, as `make run`'s single process does.
"""

import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOCK_KEY = "cchc:beat:lock"
LOCK_SECONDS = 120  # a holder that died without releasing the lock is replaced after this long
RETRY_SECONDS = 10.0  # how often a waiting scheduler tries the lock, and the holder renews it

# Compare-and-act: only the holder (its token in the key) renews or deletes the lock.
RENEW_SCRIPT = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("pexpire", KEYS[1], ARGV[2])
end
return 0
"""
RELEASE_SCRIPT = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""


def lock_url() -> str:
    """The Redis the lock lives in: the cache's, else the broker's when it is Redis; "" for none."""
    for url in (settings.REDIS_URL, settings.CELERY_BROKER_URL):
        if url and url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return ""


class BeatLock:
    """The lock one scheduler process holds while it sends the schedule."""

    def __init__(self, url: str, *, key: str = LOCK_KEY, seconds: float = LOCK_SECONDS):
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self.key = key
        self.milliseconds = int(seconds * 1000)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held = False
        self._waiting_told = False
        self._renew = self.client.register_script(RENEW_SCRIPT)
        self._release = self.client.register_script(RELEASE_SCRIPT)

    def holder(self) -> str:
        """Who holds the lock ("" when nobody does or Redis does not answer)."""
        try:
            value = self.client.get(self.key)
        except RedisError:
            return ""
        return value.decode() if value else ""

    def hold(self) -> bool:
        """Take the lock, or renew it when this process holds it already; whether it holds it now.
        Logs when this process takes it, loses it or starts waiting for another."""
        was_held = self.held
        try:
            self.held = bool(self._renew(keys=[self.key], args=[self.token, self.milliseconds])) or bool(
                self.client.set(self.key, self.token, nx=True, px=self.milliseconds)
            )
        except RedisError as error:
            self.held = False
            if was_held or not self._waiting_told:
                logger.error(
                    "Redis does not answer (%s): this scheduler sends nothing until it holds the beat lock %s.",
                    error,
                    self.key,
                )
                self._waiting_told = True
            return False
        if self.held and not was_held:
            logger.info(
                "This scheduler (%s) holds the beat lock %s: it sends the schedule.", self.token, self.key
            )
            self._waiting_told = False
        elif not self.held and (was_held or not self._waiting_told):
            logger.warning(
                "Another scheduler (%s) holds the beat lock %s: this one (%s) sends nothing and takes over "
                "when that one stops. Run one beat per deployment.",
                self.holder() or "unknown",
                self.key,
                self.token,
            )
            self._waiting_told = True
        return self.held

    def release(self) -> None:
        """Give the lock up (when this process holds it), so that a waiting scheduler takes over now."""
        if not self.held:
            return
        self.held = False
        try:
            self._release(keys=[self.key], args=[self.token])
        except RedisError:
            logger.warning("The beat lock %s could not be released; it expires on its own.", self.key)
            return
        logger.info("This scheduler (%s) released the beat lock %s.", self.token, self.key)


def beat_lock() -> BeatLock | None:
    """The lock of this deployment, or None without Redis (one process is the deployment)."""
    url = lock_url()
    return BeatLock(url, key=LOCK_KEY) if url else None


class SingleBeatScheduler(PersistentScheduler):
    """Celery's scheduler (its schedule file included) that sends only while it holds the beat lock;
    cchc.celery makes it beat's scheduler."""

    def __init__(self, *args, **kwargs):
        self.lock = beat_lock()
        if self.lock is None:
            logger.warning("No Redis configured: the beat lock is off. Run one beat per deployment.")
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs) -> float:
        if self.lock is None:
            return super().tick(*args, **kwargs)
        if not self.lock.hold():
            return RETRY_SECONDS
        return min(super().tick(*args, **kwargs), RETRY_SECONDS)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.lock is not None:
                self.lock.release()
