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
- `bot.rasa_components.DecisionCueIntent`: an unsure intent replaced by a
  decision's when the message's facts are that decision's facts.
- `bot.rasa_components.SentenceIntentClassifier`: the intent, from what a
  message means: a logistic regression over a pretrained sentence encoder's
  vector (all-MiniLM-L6-v2, bot/nlp/encoder.py); see docs/nlu.md.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Set, Text

import numpy as np
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


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class SentenceIntentClassifier(GraphComponent, IntentClassifier):
    """Intents from what a message means: a multinomial logistic regression
    over its all-MiniLM-L6-v2 sentence vector (bot/nlp/encoder.py), trained
    in seconds. Stored as plain arrays (no pickle).

    `diet_weight` > 0 combines it with an intent ranking already set by an
    earlier classifier (DIET): the probabilities are averaged with that
    weight. The ablation behind the configuration: docs/nlu.md.

    Text-speak and common misspellings are spelt out before encoding, in
    training and in use (bot/nlp/spelling.py): "fone" and "freind" mean
    little to an encoder trained on edited English."""

    _FILE = "sentence_intents.npz"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 20.0, "ranking_length": 10, "diet_weight": 0.0}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        intents: Optional[List[str]] = None,
        weights: Optional[Any] = None,
        bias: Optional[Any] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._intents = list(intents or [])
        self._weights = weights
        self._bias = bias

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceIntentClassifier":
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    @staticmethod
    def _encoder() -> Any:
        from bot.nlp.encoder import shared_encoder

        return shared_encoder()

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        from bot.nlp.spelling import normalise

        examples = [e for e in training_data.intent_examples if (e.get(TEXT) or "").strip() and e.get(INTENT)]
        vectors = self._encoder().encode_many([normalise(e.get(TEXT)) for e in examples])
        labels = [e.get(INTENT) for e in examples]
        model = LogisticRegression(C=float(self._config["C"]), max_iter=5000, random_state=42)
        model.fit(vectors, labels)
        self._intents = [str(label) for label in model.classes_]
        self._weights = model.coef_.astype(np.float32)
        self._bias = model.intercept_.astype(np.float32)
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / self._FILE, weights=self._weights, bias=self._bias, intents=np.array(self._intents))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SentenceIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                stored = np.load(directory / cls._FILE, allow_pickle=False)
                from bot.nlp.sounds_like import shared_index

                shared_index()  # built at load, not on the first message
                return cls(
                    {**cls.get_default_config(), **config}, model_storage, resource,
                    [str(i) for i in stored["intents"]], stored["weights"], stored["bias"],
                )
        except (ValueError, FileNotFoundError, KeyError):
            return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def probabilities(self, text: str) -> Any:
        from bot.nlp.spelling import normalise

        scores = self._weights @ self._encoder().encode(normalise(text)) + self._bias
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def process(self, messages: List[Message]) -> List[Message]:
        if self._weights is None:
            return messages
        weight = float(self._config["diet_weight"])
        for message in messages:
            text = message.get(TEXT) or ""
            # every message gets a ranking (later components read it); a
            # button payload's own intent replaces it afterwards (Rasa's
            # RegexMessageHandler)
            mine = dict(zip(self._intents, (float(p) for p in self.probabilities(text))))
            if weight > 0:
                earlier = {r["name"]: float(r["confidence"]) for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name")}
                names = set(mine) | set(earlier)
                mine = {n: (1 - weight) * mine.get(n, 0.0) + weight * earlier.get(n, 0.0) for n in names}
            ranking = sorted(({"name": n, "confidence": c} for n, c in mine.items()), key=lambda r: -r["confidence"])
            ranking = ranking[: int(self._config["ranking_length"])]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class DecisionCueIntent(GraphComponent, IntentClassifier):
    """After the intent classifier and the FactExtractor: when the classifier
    is unsure and the message's facts are a decision's facts (bullying and who
    is doing it; a relative or pupil and a platform), that decision's intent
    (bot/nlp/decision_cues.py). Says so under `intent_from` in the parse data."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DecisionCueIntent":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        from bot.nlp.decision_cues import decision_intent, posing_intent, reranked
        from bot.filing import is_disclosure
        from bot.nlp.scope_cues import own_posting_intent, staff_posting_intent

        for message in messages:
            text = message.get(TEXT) or ""
            ranking = message.get(INTENT_RANKING_KEY) or []
            if not text or text.startswith("/") or not ranking:
                continue
            chosen = posing_intent(text, ranking) or decision_intent(text, ranking, message.get(ENTITIES) or [])
            source = "decision_cues"
            if chosen is None:
                chosen, source = staff_posting_intent(text, ranking), "scope_cues"
            if chosen is None:
                chosen = own_posting_intent(text, ranking)
                if chosen is not None and is_disclosure(text):
                    chosen = None  # a disclosure's process is right for a disclosure
            if chosen is None:
                continue
            ranking = reranked(ranking, chosen)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            message.set("intent_from", source, add_to_output=True)
        return messages
