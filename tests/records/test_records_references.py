"""References: shape, alphabet, check character, randomness."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.records.references import (
    ALPHABET,
    check_character,
    generate_reference,
    is_valid_reference,
    normalise_reference,
    reference_prefix,
)

SHAPE = re.compile(r"^MF-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_alphabet_is_crockford_without_ambiguous_letters():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)


def test_format_like_mf_7kq4_9xtp():
    for _ in range(500):
        reference = generate_reference()
        assert SHAPE.match(reference), reference
        assert is_valid_reference(reference)
        assert is_valid_reference(reference, prefix="MF")
        assert not is_valid_reference(reference, prefix="XY")


def test_no_collisions_in_ten_thousand():
    references = [generate_reference() for _ in range(10_000)]
    assert len(set(references)) == 10_000


def test_random_not_sequential():
    """Every character appears in every random position: nothing is a
    counter or a timestamp (a weak but sufficient check of randomness)."""
    references = [generate_reference().replace("-", "")[2:] for _ in range(10_000)]
    for position in range(7):
        counts = Counter(reference[position] for reference in references)
        assert set(counts) == set(ALPHABET), position
        assert max(counts.values()) < 3 * 10_000 / 32


def test_check_character_catches_every_single_substitution():
    for _ in range(20):
        reference = generate_reference()
        for index, char in enumerate(reference):
            if index < len("MF-") or char == "-":
                continue
            for other in ALPHABET:
                if other != char:
                    mistyped = reference[:index] + other + reference[index + 1 :]
                    assert not is_valid_reference(mistyped), (reference, mistyped)


def test_check_character_catches_neighbour_swaps():
    body = "7KQ49XT"
    good = body + check_character(body)
    swapped = "K7Q49XT"
    assert check_character(swapped) != good[-1]


@pytest.mark.parametrize(
    "text",
    ["", "MF", "MF-7KQ4", "MF-7KQ4-9XT", "MF-7KQ4-9XTPP", "7KQ4-9XTP", "MF-7KQ4-9XTI", "MF-7KQ4-9XTU", None, 42],
)
def test_malformed_references_are_invalid(text):
    assert not is_valid_reference(text)


def test_prefix_is_configurable(monkeypatch):
    assert generate_reference(prefix="ss").startswith("SS-")
    monkeypatch.setenv("RECORDS_REFERENCE_PREFIX", "KES")
    reference = generate_reference()
    assert reference.startswith("KES-") and is_valid_reference(reference, prefix="kes")
    for bad in ("", "M1", "TOOLONGX", "M-F"):
        with pytest.raises(ValueError):
            reference_prefix(bad)


def test_longer_references():
    reference = generate_reference(groups=3)
    assert re.match(r"^MF-\w{4}-\w{4}-\w{4}$", reference) and is_valid_reference(reference)


def test_typed_references_are_normalised():
    reference = generate_reference()
    assert normalise_reference(reference.lower()) == reference
    assert normalise_reference(" " + reference.replace("-", " ") + " ") == reference
    assert normalise_reference(reference.replace("-", "")) == reference
    assert normalise_reference("mf-7kq4-9xtp") == "MF-7KQ4-9XTP"
    # typed without hyphens, including references made only of letters
    assert normalise_reference("mfrjnpnawe") == "MF-RJNP-NAWE"
    assert normalise_reference("MF7KQ49XTP") == "MF-7KQ4-9XTP"
    # O, I and L typed for 0, 1, 1 after the prefix
    body = "0110ABC"
    canonical = f"MF-{body[:4]}-{body[4:]}{check_character(body)}"
    assert normalise_reference(canonical.replace("0", "O").replace("1", "l")) == canonical
    assert is_valid_reference(normalise_reference(canonical.replace("0", "o")))
