"""Rate limits and the client's address, shared by the REST and socket.io
channels (bot/rasa_channel.py, bot/socket_channel.py).

Three limits apply to every message, whichever channel it comes in on:

- per conversation (the sender id, or the widget's session),
- per client address (`RATE_LIMIT_PER_ADDRESS`), except the addresses in
  `RATE_LIMIT_EXEMPT` (loopback by default, so that a script on the same
  machine, such as ../shared/eval/converse.py, is never throttled),
- for the whole process (`RATE_LIMIT_GLOBAL`): a flood from many addresses
  is refused politely instead of queueing until every reply times out.

The client address is the peer's, unless the peer is a trusted proxy
(`TRUSTED_PROXIES`, loopback by default: the nginx in deploy/ runs on the
same machine), in which case it is the last address the proxy appended to
`X-Forwarded-For`. A peer that is not trusted cannot choose its address.
"""
from __future__ import annotations

import ipaddress
import time
from collections import deque
from typing import Callable, Deque, Dict, Iterable, Optional, Sequence

LOOPBACK = ("127.0.0.1", "::1")


class RateLimiter:
    """At most `limit` events per `window` seconds for each key."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = max(1, int(limit))
        self.window = float(window)
        self._clock = clock
        self._seen: Dict[str, Deque[float]] = {}

    def _queue(self, key: str, now: float) -> Deque[float]:
        seen = self._seen.setdefault(key, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        return seen

    def has_room(self, key: str) -> bool:
        return len(self._queue(key, self._clock())) < self.limit

    def count(self, key: str) -> None:
        now = self._clock()
        self._queue(key, now).append(now)
        self._prune(now)

    def allow(self, *keys: str) -> bool:
        """Count one event against every key; False when any is over its
        limit (a refused event is not counted)."""
        if not all(self.has_room(key) for key in keys):
            return False
        for key in keys:
            self.count(key)
        return True

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)

    def _prune(self, now: float) -> None:
        if len(self._seen) < 10_000:
            return
        for key in [k for k, seen in self._seen.items() if not seen or now - seen[-1] >= self.window]:
            del self._seen[key]


def _address(value: str) -> Optional[str]:
    """The address in canonical form, or None when it is not an IP address."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [::1]:port
        value = value[1 : value.index("]")]
    try:
        parsed = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return str(parsed)


def normalise_addresses(values: Iterable[str]) -> tuple:
    found = []
    for value in values:
        address = _address(value)
        if address is None:
            raise ValueError(f"{value!r} is not an IP address")
        found.append(address)
    return tuple(dict.fromkeys(found))


def client_address(peer: str, forwarded_for: Optional[str], trusted_proxies: Sequence[str]) -> str:
    """Who is asking: the peer, or, when the peer is a trusted proxy, the
    last address before the trusted proxies in X-Forwarded-For."""
    address = _address(peer) or (peer or "unknown")
    if address not in trusted_proxies or not forwarded_for:
        return address
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        hop_address = _address(hop)
        if hop_address is None:
            return address  # a malformed header: fall back to the proxy itself
        if hop_address not in trusted_proxies:
            return hop_address
    return address


class MessageLimits:
    """The three limits of the module docstring, for one channel."""

    def __init__(
        self,
        per_conversation: RateLimiter,
        per_address: RateLimiter,
        overall: RateLimiter,
        exempt: Sequence[str] = LOOPBACK,
    ) -> None:
        self.per_conversation = per_conversation
        self.per_address = per_address
        self.overall = overall
        self.exempt = frozenset(exempt)

    def allow(self, conversation: str, address: str) -> bool:
        """Count one message; False (and nothing counted) when any limit is reached."""
        checks = [(self.per_conversation, conversation), (self.overall, "all")]
        if address not in self.exempt:
            checks.append((self.per_address, address))
        if not all(limiter.has_room(key) for limiter, key in checks):
            return False
        for limiter, key in checks:
            limiter.count(key)
        return True

    def forget(self, conversation: str) -> None:
        self.per_conversation.forget(conversation)


_SHARED: Dict[tuple, RateLimiter] = {}


def shared_limiter(name: str, limit: int, window: float) -> RateLimiter:
    """One limiter per name (and settings) for the whole process, so that the
    REST and socket.io channels draw on the same per-address and overall
    budgets."""
    key = (name, int(limit), float(window))
    if key not in _SHARED:
        _SHARED[key] = RateLimiter(limit, window)
    return _SHARED[key]


def reset_shared() -> None:
    """Forget every shared limiter's counts (tests)."""
    _SHARED.clear()
