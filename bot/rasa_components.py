"""Custom Rasa NLU graph components: thin wrappers over `bot.text_guard`.

Used in config.yml as
- `bot.rasa_components.InputSanitizer`, first in the pipeline: removes markup
  and control characters and caps the length, so a pasted page or a script tag
  is neither expensive nor misunderstood; notes what was wrong with the input.
- `bot.rasa_components.UnreadableInputClassifier`, last in the pipeline: for
  input that was empty, too long, or not in English, sets the intent to
  `nlu_fallback` (confidence 1) and reports why under `input_issue` in the
  parse data, so the dialogue explains politely instead of guessing. It learns
  the training data's vocabulary, so misspelt English still counts as English.
- `bot.rasa_components.FactExtractor`: entities with canonical values from
  the project's spaCy pipeline (platforms, ages, year groups, who the other
  party is, ...), for the decision forms.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import text_guard
from bot.nlp.facts import facts_from_doc

INPUT_ISSUE = text_guard.INPUT_ISSUE
_VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class InputSanitizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": text_guard.MAX_MESSAGE_CHARS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._max_chars = int(config["max_chars"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputSanitizer":
        return cls({**cls.get_default_config(), **config})

    def _sanitize(self, message: Message) -> None:
        result = text_guard.sanitize(message.get(TEXT), self._max_chars)
        message.set(TEXT, result.text)
        if result.issue:
            message.set(INPUT_ISSUE, result.issue, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._sanitize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if example.get(TEXT):  # intent-only story steps have no text
                self._sanitize(example)
        return training_data


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class UnreadableInputClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"min_words": 3, "min_english_share": 0.4}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Set[str]] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._vocabulary: Set[str] = set(vocabulary or ())

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnreadableInputClassifier":
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: Set[str] = set()
        for example in training_data.intent_examples:
            vocabulary.update(text_guard.words(example.get(TEXT) or ""))
        self._vocabulary = vocabulary
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _VOCABULARY_FILE).write_text(
                json.dumps(sorted(vocabulary)), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "UnreadableInputClassifier":
        vocabulary: Set[str] = set()
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(
                    json.loads((directory / _VOCABULARY_FILE).read_text(encoding="utf-8"))
                )
        except (ValueError, FileNotFoundError):
            pass  # untrained: only the built-in English words are known
        return cls({**cls.get_default_config(), **config}, model_storage, resource, vocabulary)

    def issue_for(self, message: Message) -> Optional[str]:
        issue = message.get(INPUT_ISSUE)
        if issue:
            return issue
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return None  # a button payload such as "/greet"
        if text_guard.looks_non_english(
            text,
            self._vocabulary,
            min_words=self._config["min_words"],
            min_english_share=self._config["min_english_share"],
        ):
            return text_guard.NON_ENGLISH
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            issue = self.issue_for(message)
            if not issue:
                continue
            if not message.get(INPUT_ISSUE):
                message.set(INPUT_ISSUE, issue, add_to_output=True)
            intent = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
            ranking = [intent] + [
                r
                for r in (message.get(INTENT_RANKING_KEY) or [])
                if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP"
)
class FactExtractor(GraphComponent, EntityExtractorMixin):
    """Entities from the project's spaCy entity_ruler, with canonical values
    ("insta" -> "Instagram", "turns 18 next month" -> "17"); see
    bot/nlp/facts.py. Replaces Rasa's SpacyEntityExtractor, which only gives
    the matched text."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"dimensions": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._dimensions = config.get("dimensions")

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FactExtractor":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):
                continue  # button payloads carry their entities themselves
            found = [
                {
                    "entity": fact.label,
                    "value": fact.value,
                    "start": fact.start,
                    "end": fact.end,
                    "confidence": 1.0,
                }
                for fact in facts_from_doc(model.model(text))
                if not self._dimensions or fact.label in self._dimensions
            ]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(found),
                add_to_output=True,
            )
        return messages
