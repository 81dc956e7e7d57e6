"""Human-readable record references, such as `MF-7KQ4-9XTP`.

- Random (`secrets`), never derived from the database id or the time, so a
  reference says nothing about how many records exist and cannot be guessed
  from another one. A reference identifies a record; it is not a password and
  grants nothing by itself.
- Crockford's base32 alphabet (digits and capitals without I, L, O and U), so
  nothing is ambiguous read aloud or written down. Typed references are
  normalised: lower case, spaces, and O/I/L typed for 0/1/1 are accepted.
- The last character is a check character (Luhn mod 32), so a single mistyped
  character, and almost any swap of two neighbours, is caught before a lookup.

The prefix comes from `RECORDS_REFERENCE_PREFIX` (default `MF`): 1 to 6 letters.
"""
from __future__ import annotations

import os
import re
import secrets
from typing import Optional

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)

ENV_PREFIX = "RECORDS_REFERENCE_PREFIX"
DEFAULT_PREFIX = "MF"
GROUP_SIZE = 4
DEFAULT_GROUPS = 2  # 7 random characters (35 bits) + 1 check character

_PREFIX_RE = re.compile(r"^[A-Z]{1,6}$")
_SHAPE_RE = re.compile(r"^([A-Z]{1,6})-([0-9A-Z]{4}(?:-[0-9A-Z]{4})+)$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def reference_prefix(prefix: Optional[str] = None) -> str:
    value = (prefix if prefix is not None else os.environ.get(ENV_PREFIX) or DEFAULT_PREFIX).strip().upper()
    if not _PREFIX_RE.match(value):
        raise ValueError(f"A reference prefix is 1 to 6 letters, not {value!r}.")
    return value


def check_character(body: str) -> str:
    """The Luhn mod 32 check character for `body` (characters of ALPHABET)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def generate_reference(prefix: Optional[str] = None, groups: int = DEFAULT_GROUPS) -> str:
    if groups < 2:
        raise ValueError("a reference has at least two groups")
    body = "".join(secrets.choice(ALPHABET) for _ in range(groups * GROUP_SIZE - 1))
    chars = body + check_character(body)
    grouped = "-".join(chars[i : i + GROUP_SIZE] for i in range(0, len(chars), GROUP_SIZE))
    return f"{reference_prefix(prefix)}-{grouped}"


def normalise_reference(text: str, prefix: Optional[str] = None) -> str:
    """The canonical spelling of a typed reference: upper case, hyphenated in
    groups of four, O/I/L read as 0/1/1 after the prefix. The result may
    still be invalid: check it with `is_valid_reference`."""
    raw = str(text).strip().upper()
    parts = [part for part in re.split(r"[\s\-_.]+", raw) if part]
    if not parts:
        return ""
    head, body = parts[0], "".join(parts[1:])
    expected = reference_prefix(prefix)
    if head != expected:
        # typed without separators ("MF7KQ49XTP", or all letters "MFRJNPNAWE")
        if not head.startswith(expected):
            return raw
        head, body = expected, head[len(expected) :] + body
    body = body.translate(_CONFUSABLE)
    if not body or len(body) % GROUP_SIZE:
        return f"{head}-{body}" if body else head
    return "-".join([head, *(body[i : i + GROUP_SIZE] for i in range(0, len(body), GROUP_SIZE))])


def is_valid_reference(text: str, prefix: Optional[str] = None) -> bool:
    """Whether `text` is a well-formed reference whose check character
    matches (and, when `prefix` is given, has that prefix)."""
    if not isinstance(text, str):
        return False
    match = _SHAPE_RE.match(text.strip().upper())
    if not match:
        return False
    found_prefix, grouped = match.groups()
    if prefix is not None and found_prefix != reference_prefix(prefix):
        return False
    chars = grouped.replace("-", "")
    if any(char not in _VALUE for char in chars):
        return False
    return check_character(chars[:-1]) == chars[-1]
