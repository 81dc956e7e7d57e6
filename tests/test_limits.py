"""Rate limits and the client's address (bot/limits.py)."""
from __future__ import annotations

import pytest

from bot.limits import LOOPBACK, MessageLimits, RateLimiter, client_address, normalise_addresses


def test_a_limiter_counts_per_key_and_frees_up_with_time():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")
    now[0] = 61
    assert limiter.allow("a")


def test_a_refused_message_counts_against_no_limit():
    now = [0.0]
    conversation, address, overall = (RateLimiter(n, 60, clock=lambda: now[0]) for n in (5, 1, 100))
    limits = MessageLimits(conversation, address, overall, exempt=())
    assert limits.allow("c1", "203.0.113.1")
    assert not limits.allow("c1", "203.0.113.1")  # the address is spent
    assert limits.allow("c1", "203.0.113.2")  # the conversation was not charged for the refusal
    assert len(conversation._seen["c1"]) == 2 and len(overall._seen["all"]) == 2


def test_exempt_addresses_skip_only_the_address_limit():
    limits = MessageLimits(RateLimiter(2, 60), RateLimiter(1, 60), RateLimiter(100, 60), exempt=LOOPBACK)
    assert limits.allow("c1", "127.0.0.1") and limits.allow("c1", "127.0.0.1")
    assert not limits.allow("c1", "127.0.0.1")  # the conversation's limit still holds


@pytest.mark.parametrize(
    "peer, forwarded, expected",
    [
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # an untrusted peer cannot choose its address
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "10.0.0.1, 198.51.100.1", "198.51.100.1"),  # the hop the proxy appended
        ("127.0.0.1", "198.51.100.1, 127.0.0.1", "198.51.100.1"),
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", None, "127.0.0.1"),
        ("", None, "unknown"),
    ],
)
def test_the_client_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, LOOPBACK) == expected


def test_addresses_are_checked():
    assert normalise_addresses(["127.0.0.1", " ::1 ", "::ffff:10.0.0.1"]) == ("127.0.0.1", "::1", "10.0.0.1")
    with pytest.raises(ValueError):
        normalise_addresses(["localhost"])
