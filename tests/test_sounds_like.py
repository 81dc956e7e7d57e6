"""Words spelt as they sound (bot/nlp/sounds_like.py), with the encoder's
real vocabulary and the project's own data."""
import pytest

from bot.nlp import sounds_like
from bot.nlp.spelling import normalise


@pytest.mark.parametrize(
    "spelt, meant",
    [
        ("sumwun", "someone"), ("horibul", "horrible"), ("fings", "things"), ("yootoob", "youtube"),
        ("fillmd", "filmed"), ("frightend", "frightened"), ("wachin", "watching"),
        ("teecher", "teacher"), ("nobuddy", "nobody"), ("thretend", "threatened"), ("peepul", "people"),
        ("speshul", "special"), ("secrit", "secret"), ("kikked", "kicked"), ("playtme", "playtime"),
        ("snapchatt", "snapchat"), ("cryin", "crying"), ("shoutin", "shouting"),
    ],
)
def test_a_word_spelt_as_it_sounds_is_read_as_the_word(spelt, meant):
    assert sounds_like.read_word(spelt) == meant


@pytest.mark.parametrize(
    "word",
    ["texting", "screenshotted", "playtime", "bullied", "rote", "nasty", "meen", "peripatetic", "safeguarding"],
)
def test_known_words_and_short_words_are_left_alone(word):
    # known whole, an ending on a known word, or too short to read by sound
    assert sounds_like.read_word(word) in (None, word)


def test_names_inside_a_sentence_are_left_alone():
    assert sounds_like.spell_out("it was Kayden and Mikaela") == "it was Kayden and Mikaela"
    # the first word of a sentence is capitalised without being a name
    assert sounds_like.spell_out("Sumwun sed it. Horibul it was") == "someone sed it. horrible it was"


def test_the_rest_of_the_text_is_kept_as_it_was():
    text = "sumwun rote horibul fings about me on yootoob!!  (on my sistas tablet)"
    assert sounds_like.spell_out(text) == "someone rote horrible things about me on youtube!!  (on my sistas tablet)"


def test_the_encoder_reads_the_message_with_both_the_list_and_the_sounds():
    assert normalise("wot hapens if sumwun is meen to u on tik tok") == "what happens if someone is mean to you on tik tok"


def test_sound_keys_merge_what_children_swap():
    assert sounds_like.sound_key("things") == sounds_like.sound_key("fings")
    assert sounds_like.sound_key("horrible") == sounds_like.sound_key("horibul")
    assert sounds_like.sound_key("someone") == sounds_like.sound_key("sumwun")
    assert sounds_like.sound_key("wrote") == sounds_like.sound_key("rote")


def test_without_the_encoder_installed_nothing_is_read(monkeypatch):
    index = sounds_like.SoundIndex([], [])
    assert index.read("horibul") is None
