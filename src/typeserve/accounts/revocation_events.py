"""Key revocations announced to every gateway on one Redis at once: a revoking process
publishes the key id, every gateway's listener drops the key from its cache, so the next
request with it reads the revocation from the database. Without Redis (or while it is down)
the key cache's TTL bounds how long another gateway may still accept the key."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis
from redis import asyncio as aioredis

from typeserve.accounts.keys import ApiKeyStore

log = logging.getLogger("typeserve.keys")
CHANNEL = "typeserve:key-revoked"


class RevocationEvents:
    def __init__(self, url: str, keys: ApiKeyStore) -> None:
        self.url = url
        self.keys = keys
        self._task: asyncio.Task[None] | None = None
        keys.on_revoke = self.publish

    def publish(self, key_id: str) -> None:
        try:
            with redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5) as client:
                client.publish(CHANNEL, key_id)
        except redis.RedisError as exc:  # the cache TTL still bounds the delay
            log.warning("could not announce the revocation of key %s: %s", key_id, exc)

    def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        while True:
            client = aioredis.Redis.from_url(self.url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.keys.forget(message["data"].decode("ascii", "replace"))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis down: keep trying, the TTL covers the gap
                log.debug("revocation listener lost Redis: %s", exc)
                await asyncio.sleep(1.0)
            finally:
                await client.aclose()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
