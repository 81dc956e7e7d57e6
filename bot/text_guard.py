"""Checks on what a person typed, before the assistant tries to understand it.

Pure functions, used by the Rasa NLU components in `bot.rasa_components`:

- `sanitize` turns raw input into text fit for understanding (markup removed,
  control characters dropped, whitespace folded, length capped) and says what
  was wrong with it, if anything: empty, or too long to read.
- `english_share` / `looks_non_english` tell English from other languages
  using a vocabulary: common English function words plus every word of the
  training data (so "cn u frend an ex pupl on fb" still counts as English).
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, List, Optional, Set

MAX_MESSAGE_CHARS = 2000

# Key under which the NLU pipeline reports a problem with the input (it is
# part of the parse data, so actions see it in `tracker.latest_message`).
INPUT_ISSUE = "input_issue"

# What can be wrong with the input (the value reported under INPUT_ISSUE).
EMPTY_MESSAGE = "empty_message"
MESSAGE_TOO_LONG = "message_too_long"
NON_ENGLISH = "non_english"

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^<>]{0,500}>")
_SCRIPT_OR_STYLE = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

# English function words and chat shorthand: enough to recognise English that
# uses few content words ("is it ok if i do that?").
ENGLISH_FUNCTION_WORDS: Set[str] = set(
    """
    a about above after again against all am an and any are as at be because been
    before being below between both but by can cant could couldnt did didnt do does
    doesnt doing dont down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is isnt it its itself
    just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves im ive id youre hes shes were theyre
    whats thats dont cant wont wouldnt shouldnt isnt arent wasnt werent hasnt
    havent hadnt doesnt didnt lets u ur r pls plz thx thanks ok okay yes yeah yep
    no nope hi hello hey bye please sorry help hiya cheers ta
    """.split()
)


# The commonest short words of the languages most often spoken at home by
# families at English schools (Polish, Romanian, Portuguese, Spanish, Italian,
# French, German, Dutch, Turkish, Lithuanian, romanised Urdu/Punjabi). One of
# them in a message means a word that merely sounds like English ("ayuda",
# "kinder") is not taken as English.
OTHER_LANGUAGES_WORDS: Set[str] = set(
    """
    jest nie sie się że ze jak czy ale dla mój moja moje syn córka dziecko szkoła
    este sunt nu și si copilul fiul fiica meu mea cu pentru care
    não nao uma com você voce meu minha filho filha escola é
    de un en la le et di da du al och og
    el los las del que por para con una es mi hijo hija escuela está esta muy
    il della che sono mio mia figlio figlia scuola per non
    le les des est je nous vous une avec pour mon ma fils fille école ecole pas
    der die das und ist nicht ich mein meine sohn tochter schule mit bitte
    het een ik niet mijn zoon dochter met
    ve bir bu ne için icin oğlum oglum kızım okul değil degil
    yra mano sūnus dukra mokykla
    mera meri hai nahi nahin kya aur bacha beta beti hain
    """.split()
)


@dataclass(frozen=True)
class SanitizedInput:
    text: str
    issue: Optional[str] = None  # EMPTY_MESSAGE, MESSAGE_TOO_LONG or None


def strip_markup(text: str) -> str:
    """Remove HTML/XML tags (and script/style bodies), decode entities."""
    text = _SCRIPT_OR_STYLE.sub(" ", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def _drop_control_characters(text: str) -> str:
    return "".join(
        ch if not unicodedata.category(ch).startswith("C") else " " for ch in text
    )


def sanitize(raw: Optional[str], max_chars: int = MAX_MESSAGE_CHARS) -> SanitizedInput:
    """Clean a user's message and say whether it can be read at all."""
    if raw is None:
        return SanitizedInput("", EMPTY_MESSAGE)
    if not isinstance(raw, str):
        raw = str(raw)
    too_long = len(raw) > max_chars
    # Only look at a bounded prefix: a huge paste must not cost a huge parse.
    text = raw[: max_chars * 2] if too_long else raw
    text = _drop_control_characters(strip_markup(text))
    text = re.sub(r"\s+", " ", text).strip()
    if too_long:
        return SanitizedInput(text[:max_chars].rstrip(), MESSAGE_TOO_LONG)
    if not any(ch.isalnum() for ch in text) and not _has_symbolic_content(text):
        return SanitizedInput("", EMPTY_MESSAGE)
    return SanitizedInput(text, None)


def _has_symbolic_content(text: str) -> bool:
    """Emoji and the like carry meaning ("👍"); bare punctuation does not."""
    return any(unicodedata.category(ch) == "So" for ch in text)


def words(text: str) -> List[str]:
    """Lower-cased words of a text (letters only, apostrophes kept inside)."""
    return [w.replace("'", "") for w in _WORD.findall(text.lower())]


def _is_latin_letter(ch: str) -> bool:
    try:
        return unicodedata.name(ch).startswith("LATIN")
    except ValueError:
        return False


def english_share(text: str, vocabulary: Iterable[str] = (), by_sound: bool = False) -> float:
    """Share of the words of `text` that are known English words (0..1).
    With `by_sound`, a word spelt as it sounds ("sumwun", "horibul",
    "yootoob": bot/nlp/sounds_like.py) counts as the word it stands for."""
    found = words(text)
    if not found:
        return 1.0
    known = ENGLISH_FUNCTION_WORDS | set(vocabulary)
    if by_sound:
        from bot.nlp.sounds_like import is_known, read_word

        def english(word: str) -> bool:
            return word in known or is_known(word) or read_word(word) is not None
    else:
        def english(word: str) -> bool:
            return word in known
    return sum(1 for w in found if english(w)) / len(found)


_NOT_WORDS = re.compile(r"@|://|^www\.|\.(?:com|org|net|uk|co|io|sch)\b|^#", re.IGNORECASE)


def looks_non_english(
    text: str,
    vocabulary: Iterable[str] = (),
    min_words: int = 3,
    min_english_share: float = 0.4,
) -> bool:
    """True when the message is very probably not written in English.

    Mostly non-Latin letters (Arabic, Cyrillic, Chinese, ...) is decisive.
    For Latin script the message needs `min_words` words or more, and fewer
    than `min_english_share` of them known English words.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if _is_latin_letter(ch))
    if latin / len(letters) < 0.5:
        return True
    # Capitalised words are mostly names ("Oliver Brennan, year 5", "Priya
    # Shah, Year 2 TA"): judged on the other words, when there are enough
    # (nor are e-mail addresses, links and handles words of any language)
    kept = [w for w in re.findall(r"\S+", text) if not w[:1].isupper() and not _NOT_WORDS.search(w)]
    plain = " ".join(kept)
    found = words(plain)
    if len(found) < min_words:
        return False
    if english_share(plain, vocabulary) >= min_english_share:
        return False
    # Children spell as they hear ("sumwun rote horibul fings about me on
    # yootoob"): read by sound, that is English, unless the message has the
    # common words of another language in it
    if "¿" in text or "¡" in text or any(w in OTHER_LANGUAGES_WORDS and w not in ENGLISH_FUNCTION_WORDS for w in found):
        return True
    return english_share(plain, vocabulary, by_sound=True) < min_english_share
