"""The sentence encoder (bot/nlp/encoder.py) and the intent classifier on
it (bot/rasa_components.SentenceIntentClassifier)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from bot.nlp import encoder as enc


@pytest.fixture(scope="module")
def encoder():
    try:
        return enc.shared_encoder()
    except enc.EncoderUnavailable as exc:
        pytest.fail(str(exc))


def test_wordpiece_is_berts_uncased_tokenizer(encoder):
    tokenizer = encoder.tokenizer
    # greedy longest-match-first over the model's vocabulary
    assert [p for w in enc.basic_tokens("unaffable") for p in tokenizer.pieces(w)] == ["una", "##ffa", "##ble"]
    assert tokenizer.pieces("xqzvvkw") == ["x", "##q", "##z", "##v", "##v", "##k", "##w"] or tokenizer.pieces("xqzvvkw")[0] != "[UNK]"
    assert tokenizer.ids("Hello, world!") == [101, 7592, 1010, 2088, 999, 102]
    assert enc.basic_tokens("Café  naïve\tHELLO") == ["cafe", "naive", "hello"]
    assert len(tokenizer.ids("word " * 1000)) == enc.MAX_TOKENS


def test_sentence_vectors_are_unit_length_and_mean_what_they_say(encoder):
    a, b, c, d = encoder.encode_many([
        "my son is being bullied online",
        "my lad is being picked on over the internet",
        "what is the capital of france",
        "can I accept a friend request from a former student",
    ])
    for vector in (a, b, c, d):
        assert vector.shape == (enc.DIMENSIONS,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    assert a @ b > a @ c + 0.2  # paraphrases are close, unrelated sentences are not
    again = encoder.encode("my son is being bullied online")
    assert np.allclose(a, again)


def test_empty_and_odd_input(encoder):
    for text in ("", "   ", "\x00\x01", "😀" * 10, "<b>" * 300):
        vector = encoder.encode(text)
        assert vector.shape == (enc.DIMENSIONS,) and np.isfinite(vector).all()


def test_other_weights_are_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(enc.model_dir(), copy)
    data = bytearray((copy / "model.safetensors").read_bytes())
    data[-1] ^= 1
    (copy / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(enc.EncoderUnavailable, match="not the expected"):
        enc.SentenceEncoder.load(copy)


def test_the_intent_classifier_trains_saves_and_loads(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from bot.rasa_components import SentenceIntentClassifier

    examples = {
        "greet": ["hello", "hi there", "good morning", "hiya"],
        "ask_weather": ["will it rain today", "what's the weather like", "is it sunny tomorrow", "forecast please"],
        "ask_time": ["what time is it", "have you got the time", "tell me the time", "what's the time now"],
    }
    data = TrainingData([Message(data={"text": t, "intent": i}) for i, texts in examples.items() for t in texts])
    storage = LocalModelStorage(tmp_path)
    resource = Resource("sentence_intents")
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = SentenceIntentClassifier.create({**SentenceIntentClassifier.get_default_config()}, storage, resource, context)
    classifier.train(data)
    loaded = SentenceIntentClassifier.load({**SentenceIntentClassifier.get_default_config()}, storage, resource, context)
    messages = loaded.process([Message(data={"text": "is it going to snow later"}), Message(data={"text": "/greet"})])
    assert messages[0].get("intent")["name"] == "ask_weather"
    ranking = messages[0].get("intent_ranking")
    assert abs(sum(r["confidence"] for r in ranking) - 1) < 1e-4 and ranking == sorted(ranking, key=lambda r: -r["confidence"])
    assert messages[1].get("intent") is not None  # a payload still gets a ranking (replaced later by its own intent)
