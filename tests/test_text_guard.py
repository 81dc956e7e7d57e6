from __future__ import annotations

import pytest

from bot import text_guard as g


def test_plain_question_passes_unchanged():
    result = g.sanitize("Can I friend an ex-pupil on Facebook?")
    assert result == g.SanitizedInput("Can I friend an ex-pupil on Facebook?", None)


@pytest.mark.parametrize("raw", [None, "", "   ", "\n\t", "???", "<br><br>", "\x00\x01"])
def test_empty_input_is_flagged(raw):
    assert g.sanitize(raw).issue == g.EMPTY_MESSAGE


def test_emoji_alone_is_not_empty():
    assert g.sanitize("👍").issue is None


def test_markup_and_scripts_are_removed():
    result = g.sanitize('<script>alert("x")</script><b>can i</b> follow a pupil &amp; reply?<img src=x onerror=alert(1)>')
    assert result.issue is None
    assert result.text == "can i follow a pupil & reply?"


def test_less_than_in_ordinary_text_is_kept():
    assert g.sanitize("is it ok if she is < 13?").text == "is it ok if she is < 13?"


def test_huge_input_is_flagged_and_capped():
    result = g.sanitize("word " * 100_000)
    assert result.issue == g.MESSAGE_TOO_LONG
    assert len(result.text) <= g.MAX_MESSAGE_CHARS


def test_whitespace_and_control_characters_are_folded():
    assert g.sanitize("can\u0000 i\n\n  post\tphotos").text == "can i post photos"


@pytest.mark.parametrize(
    "text",
    [
        "¿Puedo ser amigo de un alumno en Facebook?",
        "Mon fils a neuf ans, peut-il avoir un compte Instagram ?",
        "Czy mój syn może mieć konto na Facebooku w wieku dziewięciu lat",
        "Mein Sohn wird in der Schule gemobbt, was soll ich tun",
        "ابني يتعرض للتنمر على الإنترنت",
        "我的孩子在网上被欺负了",
        "Мой сын в пятом классе",
    ],
)
def test_other_languages_are_recognised(text):
    assert g.looks_non_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I friend an ex-pupil on Facebook?",
        "what time does school finish on fridays",
        "hi",
        "Priya Shah",
        "José García",
        "is it ok if i do that?",
        "My son is 9, can he have a Facebook account?",
    ],
)
def test_english_is_not_flagged(text):
    assert not g.looks_non_english(text)


def test_training_vocabulary_rescues_words_nothing_else_knows():
    text = "qxvz zztk vlorpq wibbix"  # no English word, by spelling or by sound
    assert g.looks_non_english(text)
    assert not g.looks_non_english(text, vocabulary={"qxvz", "zztk", "vlorpq"})


@pytest.mark.parametrize(
    "text",
    [
        "sumwun rote horibul fings about me on yootoob",
        "cn u frend ex pupl on fb",
        "wen i go on roblox this boy ses hes gona cum to my howse",
    ],
)
def test_english_spelt_as_it_sounds_is_english(text):
    assert not g.looks_non_english(text)


@pytest.mark.parametrize(
    "text",
    [
        "necesito ayuda con mi hijo, lo están acosando en internet",  # "necesito" sounds like "necessity"
        "hola necesito hablar con alguien",
        "o meu filho está a ser intimidado",
        "mera beta school nahi jana chahta",
    ],
)
def test_words_that_merely_sound_english_do_not_make_english(text):
    assert g.looks_non_english(text)


@pytest.mark.parametrize("text", ["Oliver Brennan, year 5", "Priya Shah, Year 2 TA.", "Jo Okafor-Williams, Reception TA"])
def test_names_are_not_a_foreign_language(text):
    assert not g.looks_non_english(text)


def test_a_foreign_sentence_with_capitals_is_still_foreign():
    assert g.looks_non_english("Mein Kind wird gemobbt, was soll ich tun")


@pytest.mark.parametrize("text", ["lee.marsh@example.com", "jo_smith99@school.example.org", "see www.padlet.com/mrsjones/year5 please"])
def test_addresses_and_links_are_not_a_foreign_language(text):
    assert not g.looks_non_english(text)
