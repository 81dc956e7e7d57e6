"""Words spelt the way they sound, read as the words they stand for.

Children of 7 to 11 write English as they hear it: "sumwun rote horibul fings
about me on yootoob". A list of known misspellings (bot/nlp/spelling.py)
cannot keep up with that, and every word it misses means less to the sentence
encoder and nothing to the safety patterns; worse, a message of such words
looked like a foreign language to the input guard.

This module reads an unknown word by its sound. Every English word the
sentence encoder knows whole (its WordPiece vocabulary, shipped in the
encoder's wheel and ordered roughly by how common a word is) is indexed by a
rough sound key: vowels become one sound, silent and doubled letters go, and
the sounds children swap are merged ("th" and "f", "c" and "k", "ph" and "f",
"-ble" and "-bul"). An unknown word of five letters or more is read as the
commonest known word with the same key and a spelling close to its own (at
most a third of its letters different; failing that, one sound off and at
most two letters different). Words the encoder knows are never changed,
nor are capitalised words inside a sentence (names), words with digits or
non-English letters.

Pure Python; the index is built on first use (about 0.1 s), never at import.
"""
from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

#: Shortest unknown word that is read by its sound: shorter ones have too
#: many sound-alikes ("meen": mean, men, main, moon), so the list of known
#: misspellings covers them.
MIN_LETTERS = 5
#: Where a word of the project's own data that the encoder does not know
#: whole ("playtime", "snapchat") ranks among the encoder's words.
PROJECT_WORD_RANK = 5000

_ASCII_WORD = re.compile(r"^[a-z]+$")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|[^A-Za-z]+")

# Order matters: longer spellings first.
_SOUNDS: Tuple[Tuple[str, str], ...] = (
    ("tch", "ch"), ("augh", "af"), ("dge", "j"), ("ph", "f"), ("th", "f"), ("ck", "k"), ("wh", "w"), ("gh", ""),
    ("kn", "n"), ("wr", "r"), ("qu", "kw"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("c", "k"),
    ("q", "k"), ("x", "ks"), ("z", "s"),
)
_VOWELS = re.compile(r"[aeiouy]+")


def sound_key(word: str) -> str:
    """A rough key of how `word` sounds ("horibul" and "horrible": "harabal")."""
    w = word.lower()
    w = re.sub(r"ing$", "in", w)  # watching, wachin
    w = re.sub(r"(?<=[^aeiouy])ed$", "d", w)  # filmed, fillmd
    if w.endswith("le") and len(w) > 3 and w[-3] not in "aeiouy":
        w = w[:-2] + "ul"  # horrible -> horribul
    elif w.endswith("e") and len(w) > 3:
        w = w[:-1]  # a silent final e: wrote -> wrot
    for spelt, sound in _SOUNDS:
        w = w.replace(spelt, sound)
    head, rest = w[:1], w[1:]
    # w and h between sounds are mostly silent ("sumwun" and "someone")
    rest = re.sub(r"(?<=[aeiouy])[wh]|[wh](?=[aeiouy])", "", rest) if head not in "aeiou" else rest
    w = re.sub(r"(.)\1+", r"\1", head + rest)  # doubled letters
    if head == "y" and len(w) > 1 and w[1] in "aeiou":
        return "y" + _VOWELS.sub("a", w[1:])  # a consonant: youtube, yootoob
    return _VOWELS.sub("a", w)


_SOFT = set("aeiouywh")


def _distance(a: str, b: str, limit: float) -> float:
    """Edit distance in which vowels count half (a vowel for another, or one
    put in or left out, as are a silent h or w): "sumwun" is nearer
    "someone" than plain letters say. More than `limit` once certainly over."""
    if abs(len(a) - len(b)) > limit * 2:
        return limit + 1
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + (0.5 if cb in _SOFT else 1.0))
    for ca in a:
        gap_a = 0.5 if ca in _SOFT else 1.0
        current = [previous[0] + gap_a]
        for j, cb in enumerate(b, 1):
            swap = 0.0 if ca == cb else 0.5 if ca in _SOFT and cb in _SOFT else 1.0
            current.append(min(previous[j] + gap_a, current[j - 1] + (0.5 if cb in _SOFT else 1.0), previous[j - 1] + swap))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _deletions(key: str) -> Iterable[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


class SoundIndex:
    """Known English words by sound key, commonest first."""

    def __init__(self, words: Iterable[str], also_known: Iterable[str] = ()) -> None:
        self.known: Dict[str, int] = {}
        self.by_key: Dict[str, List[str]] = {}
        self.by_near_key: Dict[str, List[str]] = {}
        ranked = list(enumerate(words))
        # the project's own words count as fairly common ones
        ranked += [(PROJECT_WORD_RANK, w) for w in also_known]
        for rank, word in ranked:
            if word in self.known or not _ASCII_WORD.match(word):
                continue
            self.known[word] = rank
            if len(word) < 3:
                continue
            key = sound_key(word)
            self.by_key.setdefault(key, []).append(word)
            for near in _deletions(key):
                self.by_near_key.setdefault(near, []).append(word)

    def read(self, word: str) -> Optional[str]:
        """The known word an unknown `word` stands for, or None."""
        w = word.lower()
        if w in self.known or len(w) < MIN_LETTERS or not _ASCII_WORD.match(w):
            return None
        if _is_inflection_of_known(w, self.known):
            return None
        if w.endswith("in") and w + "g" in self.known:
            return w + "g"  # the g dropped, as said ("cryin", "shoutin"): not a word that sounds alike ("crown")
        key = sound_key(w)
        scored = []
        # the same sound, spelt not too differently ...
        limit = max(1.5, len(w) / 3)
        for c in self.by_key.get(key, ()):
            d = _distance(w, c, limit)
            if d <= limit:
                scored.append((d + self._commonness(c), c))
        # ... or one sound off ("intanet", "playtme"), spelt nearly the same
        near = set(self.by_near_key.get(key, ()))
        for shorter in _deletions(key):
            near.update(self.by_key.get(shorter, ()))
        for c in near:
            d = _distance(w, c, 1.0)
            if d <= 1.0:
                scored.append((d + 1.5 + self._commonness(c), c))
        return min(scored)[1] if scored else None

    def _commonness(self, word: str) -> float:
        """The commoner a word, the likelier it is what was meant: one per
        tenfold of its place in the encoder's vocabulary (commonest first)."""
        return math.log10(self.known[word] + 10)


_LOCK = threading.Lock()
_INDEX: Optional[SoundIndex] = None


_SUFFIXES = ("ing", "ed", "es", "s", "er", "ers", "ly", "y", "ies", "ied")


def _is_inflection_of_known(word: str, known: Dict[str, int]) -> bool:
    """"texting", "unfriended", "screenshots": a known word with an ending."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            for candidate in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else "", stem + "y"):
                if candidate and candidate in known:
                    return True
    return False


def project_words() -> List[str]:
    """Words the project's own training data and patterns use ("snapchat",
    "playtime", "unfriend"): English here whatever the encoder's vocabulary
    says. Read from data/nlu and data/spacy when they are there."""
    root = Path(__file__).resolve().parents[2] / "data"
    found: List[str] = []
    for folder in ("nlu", "spacy"):
        for path in sorted((root / folder).glob("**/*.yml")) if (root / folder).is_dir() else ():
            try:
                found += re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower())
            except OSError:
                continue
    from bot.nlp.spelling import SPELLED_OUT  # misspellings the data uses on purpose are not targets

    return [w for w in found if w not in SPELLED_OUT]


def encoder_words() -> List[str]:
    """The whole words of the encoder's vocabulary, in its order (commonest
    first), or none when the encoder is not installed."""
    try:
        from bot.nlp.encoder import model_dir

        path = Path(model_dir()) / "vocab.txt"
    except Exception:  # EncoderUnavailable or a broken install: no sound reading
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line for line in lines if _ASCII_WORD.match(line) and len(line) > 1 or line in ("a", "i")]


def shared_index() -> SoundIndex:
    global _INDEX
    with _LOCK:
        if _INDEX is None:
            _INDEX = SoundIndex(encoder_words(), project_words())
        return _INDEX


@lru_cache(maxsize=4096)
def read_word(word: str) -> Optional[str]:
    return shared_index().read(word)


def is_known(word: str) -> bool:
    index = shared_index()
    return word.lower() in index.known


def spell_out(text: str) -> str:
    """`text` with words spelt as they sound written as the words they are.
    Names (capitalised words after the first of a sentence) are left alone."""
    out: List[str] = []
    sentence_start = True
    for piece in _TOKEN.findall(text or ""):
        if piece[:1].isalpha():
            capitalised_name = piece[:1].isupper() and not sentence_start
            read = None if capitalised_name or "'" in piece else read_word(piece)
            out.append(read if read is not None else piece)
            sentence_start = False
        else:
            out.append(piece)
            if re.search(r"[.!?\n]", piece):
                sentence_start = True
    return "".join(out)
