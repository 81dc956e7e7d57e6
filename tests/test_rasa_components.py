"""The custom NLU graph components, exercised through Rasa's own classes."""
from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import text_guard
from bot.rasa_components import INPUT_ISSUE, InputSanitizer, UnreadableInputClassifier


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


@pytest.fixture
def context():
    return ExecutionContext(GraphSchema({}), "test-model")


def _classified(text, intent="ask_mobile_phones", confidence=0.8):
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    return message


def test_sanitizer_cleans_text_and_notes_problems(storage, context):
    sanitizer = InputSanitizer.create({}, storage, Resource("s"), context)
    html, empty, long = (
        Message(data={TEXT: "<b>can pupils</b> use phones?"}),
        Message(data={TEXT: "   "}),
        Message(data={TEXT: "x " * 5000}),
    )
    sanitizer.process([html, empty, long])
    assert html.get(TEXT) == "can pupils use phones?" and html.get(INPUT_ISSUE) is None
    assert empty.get(INPUT_ISSUE) == text_guard.EMPTY_MESSAGE
    assert long.get(INPUT_ISSUE) == text_guard.MESSAGE_TOO_LONG
    assert len(long.get(TEXT)) <= text_guard.MAX_MESSAGE_CHARS
    assert INPUT_ISSUE in long.as_dict(only_output_properties=True)


def test_sanitizer_leaves_intent_only_training_examples_alone(storage, context):
    sanitizer = InputSanitizer.create({}, storage, Resource("s"), context)
    data = TrainingData([Message(data={INTENT: "greet"}), Message(data={TEXT: "<i>hi</i>", INTENT: "greet"})])
    sanitizer.process_training_data(data)
    assert data.training_examples[1].get(TEXT) == "hi"


def test_classifier_overrides_intent_for_unreadable_input(storage, context):
    classifier = UnreadableInputClassifier.create({}, storage, Resource("u"), context)
    spanish = _classified("¿Puedo ser amigo de un alumno en Facebook?")
    english = _classified("can my son take his phone to school")
    too_long = _classified("blah")
    too_long.set(INPUT_ISSUE, text_guard.MESSAGE_TOO_LONG)
    payload = _classified("/greet", intent="greet", confidence=1.0)
    classifier.process([spanish, english, too_long, payload])
    assert spanish.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert spanish.get(INPUT_ISSUE) == text_guard.NON_ENGLISH
    assert spanish.get(INTENT_RANKING_KEY)[1]["name"] == "ask_mobile_phones"
    assert english.get(INTENT)["name"] == "ask_mobile_phones" and english.get(INPUT_ISSUE) is None
    assert too_long.get(INTENT)["name"] == "nlu_fallback"
    assert too_long.get(INPUT_ISSUE) == text_guard.MESSAGE_TOO_LONG
    assert payload.get(INTENT)["name"] == "greet"


def test_classifier_learns_and_persists_the_training_vocabulary(storage, context):
    resource = Resource("unreadable")
    classifier = UnreadableInputClassifier.create({}, storage, resource, context)
    # words no English reading knows, by spelling or by sound: only the
    # training data can say they belong here
    data = TrainingData([Message(data={TEXT: "qxvz zztk vlorpq wibbix", INTENT: "ask_staff_pupil_contact"})])
    classifier.train(data)
    loaded = UnreadableInputClassifier.load({}, storage, resource, context)
    message = _classified("qxvz zztk vlorpq wibbix", intent="ask_staff_pupil_contact")
    loaded.process([message])
    assert message.get(INTENT)["name"] == "ask_staff_pupil_contact"

    untrained = UnreadableInputClassifier.load({}, storage, Resource("never-trained"), context)
    message = _classified("qxvz zztk vlorpq wibbix", intent="ask_staff_pupil_contact")
    untrained.process([message])
    assert message.get(INPUT_ISSUE) == text_guard.NON_ENGLISH
