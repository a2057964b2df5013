"""Requests for one Ray deployment travel together: while the gateway's calls to it are in
flight (two per replica: one computing, one filling up, as the replica's batcher takes them),
requests that arrive wait here and go in the next call as one group. A busy gateway pays Ray's
routing, serialisation and scheduling once per group, not once per request, and the replica's
batcher still sees every request with its own deadline.

Each request keeps its own fate: its own answer or problem, its own deadline, and a caller
that leaves takes only its own work away (a group whose callers have all left is cancelled).
Requests waiting here count against the entry's queue bound, as in the local engine's queue:
past it, 503 overloaded at once."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from typeserve.errors import Problem, unavailable

# The gateway cancels a group's Ray call only if no answer comes this long after the latest
# deadline in it: the replica enforces the deadlines itself.
GRACE_S = 1.0


@dataclass(eq=False)
class Waiting:
    """One request: its items, its deadline and the future its caller awaits."""

    items: list[Any]
    deadline: float
    future: asyncio.Future[Any]
    group: Group | None = None


@dataclass(eq=False)
class Group:
    members: list[Waiting]
    response: Any = None
    left: set[Waiting] = field(default_factory=set)


class CallCoalescer:
    def __init__(self, handle: Any, model_id: str, *, max_in_flight: int, max_items: int, max_queue: int) -> None:
        self.handle = handle
        self.model_id = model_id
        self.max_in_flight = max(1, max_in_flight)
        self.max_items = max(1, max_items)
        self.max_queue = max_queue
        self.waiting: deque[Waiting] = deque()
        self.waiting_items = 0
        self.in_flight = 0
        self.sending: set[asyncio.Task[None]] = set()

    async def call(self, items: list[Any], timeout_s: float) -> Any:
        """The replica's answer for these items (a ReplicaAnswer); raises its Problem, or Ray's
        exception when the call itself failed."""
        if self.in_flight >= self.max_in_flight and self.waiting_items + len(items) > self.max_queue:
            raise unavailable(
                "overloaded", f"Model {self.model_id} has {self.waiting_items} requests queued; try again shortly.", 1
            )
        waiting = Waiting(items, time.perf_counter() + timeout_s, asyncio.get_running_loop().create_future())
        self.waiting.append(waiting)
        self.waiting_items += len(items)
        self._send_while_free()
        try:
            return await waiting.future
        except asyncio.CancelledError:
            self._leave(waiting)
            raise

    def _leave(self, waiting: Waiting) -> None:
        """The caller left (its deadline, a client gone): its work goes, the group's stays."""
        group = waiting.group
        if group is None:
            if waiting in self.waiting:
                self.waiting.remove(waiting)
                self.waiting_items -= len(waiting.items)
            return
        group.left.add(waiting)
        if len(group.left) == len(group.members) and group.response is not None:
            group.response.cancel()  # nobody waits for it: the replica drops what is still queued

    def _send_while_free(self) -> None:
        while self.waiting and self.in_flight < self.max_in_flight:
            members = [self.waiting.popleft()]
            count = len(members[0].items)
            while self.waiting and count + len(self.waiting[0].items) <= self.max_items:
                members.append(self.waiting.popleft())
                count += len(members[-1].items)
            self.waiting_items -= count
            group = Group(members)
            for member in members:
                member.group = group
            self.in_flight += 1
            task = asyncio.ensure_future(self._send(group))
            self.sending.add(task)
            task.add_done_callback(self.sending.discard)

    async def _send(self, group: Group) -> None:
        try:
            now = time.perf_counter()
            calls = [(member.items, max(0.0, member.deadline - now)) for member in group.members]
            group.response = self.handle.run_groups.remote(calls)
            latest = max(member.deadline for member in group.members)
            async with asyncio.timeout(max(0.0, latest - now) + GRACE_S):
                answers = await group.response
        except asyncio.CancelledError:  # the gateway stops
            self._fail(group, asyncio.CancelledError())
            raise
        except BaseException as exc:  # Ray's own failure (a dead replica, backpressure, a timeout)
            if isinstance(exc, TimeoutError) and group.response is not None:
                group.response.cancel()
            self._fail(group, exc)
        else:
            for member, answer in zip(group.members, answers, strict=True):
                if member.future.done():
                    continue
                if isinstance(answer, Problem):
                    member.future.set_exception(answer)
                else:
                    member.future.set_result(answer)
        finally:
            self.in_flight -= 1
            self._send_while_free()

    @staticmethod
    def _fail(group: Group, exc: BaseException) -> None:
        for member in group.members:
            if not member.future.done():
                member.future.set_exception(exc)
