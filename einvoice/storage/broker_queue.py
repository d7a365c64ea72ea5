"""What the Redis broker holds for the pipeline's queue: waiting and dead-lettered messages.

dramatiq's Redis broker keeps, per queue ``Q`` under the namespace ``dramatiq``:
``dramatiq:Q`` (ids waiting, a list) and ``dramatiq:Q.msgs`` (their bodies), the same for
the delay queue ``Q.DQ`` (retries waiting for their back-off), and the dead letters in
``dramatiq:Q.XQ`` (ids by the time they died, a sorted set) with ``dramatiq:Q.XQ.msgs``.
A message lands there when its retries ran out (e.g. during a database outage); it is
then only a pointer to work whose truth is in the database, so the recovery re-drives
the work from the database and removes the dead letters it read.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

NAMESPACE = "dramatiq"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    message_id: str
    actor: str
    args: tuple[Any, ...]
    dead_at: float  # Unix time (seconds)


class RedisQueueView:
    """Reads (and clears dead letters of) one dramatiq queue on Redis."""

    def __init__(self, url: str, queue: str, timeout: float = 3.0) -> None:
        self.url = url
        self.queue = queue
        self.timeout = timeout
        self._client: Any = None

    def _redis(self) -> Any:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(
                self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout
            )
        return self._client

    def _key(self, suffix: str = "") -> str:
        return f"{NAMESPACE}:{self.queue}{suffix}"

    def ping(self) -> None:
        """Raises if the broker cannot be reached."""
        self._redis().ping()

    def counts(self) -> dict[str, int]:
        """``waiting`` (queue and delay queue) and ``dead_letters``; raises if unreachable."""
        pipe = self._redis().pipeline()
        pipe.llen(self._key())
        pipe.llen(self._key(".DQ"))
        pipe.zcard(self._key(".XQ"))
        waiting, delayed, dead = pipe.execute()
        return {"waiting": int(waiting) + int(delayed), "dead_letters": int(dead)}

    def dead_letters(self, limit: int = 100_000) -> list[DeadLetter]:
        client = self._redis()
        entries = client.zrange(self._key(".XQ"), 0, limit - 1, withscores=True)
        if not entries:
            return []
        ids = [_text(i) for i, _ in entries]
        bodies = client.hmget(self._key(".XQ.msgs"), ids)
        letters = []
        for (raw_id, score), body in zip(entries, bodies, strict=True):
            actor, args = "", ()
            if body is not None:
                try:
                    data = json.loads(body)
                    actor, args = str(data.get("actor_name", "")), tuple(data.get("args") or ())
                except (ValueError, AttributeError):
                    log.warning("dead letter %s: body not readable", _text(raw_id))
            letters.append(DeadLetter(_text(raw_id), actor, args, float(score) / 1000.0))
        return letters

    def remove_dead(self, message_ids: list[str]) -> int:
        if not message_ids:
            return 0
        pipe = self._redis().pipeline()
        pipe.zrem(self._key(".XQ"), *message_ids)
        pipe.hdel(self._key(".XQ.msgs"), *message_ids)
        removed, _ = pipe.execute()
        return int(removed)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
