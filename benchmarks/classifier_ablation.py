"""Offline ablation of the intent classifier: the figures behind the
"Tried and rejected" table in docs/nlu.md. A measurement, never a test.

    .venv/bin/python benchmarks/classifier_ablation.py

Trains the logistic regression that `SentenceIntentClassifier` trains
(MiniLM sentence vector, C=20) on data/nlu, and variants of it, then reads:
the held-out set (tests/nlu/heldout.yml), and the first message of every
answer and out-of-scope case in benchmarks/cases (an answer is right when
the intent's topic cites one of the clauses the case accepts). No stack is
started; about three minutes on two cores, most of it encoding.
"""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nlp.encoder import shared_encoder  # noqa: E402
from bot.nlp.spelling import normalise  # noqa: E402
from bot.policy import load_catalogue  # noqa: E402

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
#: Sentences split where one ends, or at a line break.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")

#: Context people wrap around their one question, with no topic in it: the
#: padding variant trains on copies of every example with some of it around.
_OPENINGS = ["Hi there.", "Morning.", "Sorry if this is the wrong place.", "Bit of a long one, sorry.", "Quick one.",
             "Absolutely fuming right now.", "This might be a silly question.", "Sorry to bother you."]
_CONTEXT = ["My daughter is in Year 5 and she's a lovely girl.", "My son started in Year 3 in September.",
            "I've been working here for about six years now.", "I'm new this term and still finding my feet.",
            "We had a bit of a row about it at home last night.", "It came up in the staffroom at lunch.",
            "I looked on the website but couldn't find anything.", "Nothing has actually happened yet.",
            "im in year 4 and my mum said to ask.", "It's been on my mind all weekend."]
_ENDINGS = ["Thanks.", "Any advice welcome.", "Sorry for the essay.", "I just want to know where I stand."]


def intent_examples(paths):
    found = []
    for path in paths:
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in entry:
                continue
            for line in entry["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((_ANNOTATION.sub(lambda m: m.group(1), line[2:]), entry["intent"]))
    return found


def padded(text: str, rng: random.Random) -> str:
    parts = ([rng.choice(_OPENINGS)] if rng.random() < 0.6 else []) + rng.sample(_CONTEXT, rng.choice([1, 1, 2, 3]))
    parts.append(text)
    if rng.random() < 0.4:
        parts.append(rng.choice(_ENDINGS))
    return " ".join(parts)


def sentences(text: str):
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip().split()) >= 3]


def question_part(text: str) -> str:
    found = sentences(text)
    questions = [s for s in found if "?" in s]
    return " ".join(questions[-2:]) if questions else (found[-1] if found else text)


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    encoder, catalogue = shared_encoder(), load_catalogue()
    train = intent_examples(sorted((ROOT / "data" / "nlu").glob("*.yml")))
    heldout = intent_examples([ROOT / "tests" / "nlu" / "heldout.yml"])
    probes = []
    for path in sorted((ROOT / "benchmarks" / "cases").glob("own-set-*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            expect, first = case.get("expect", {}), case["turns"][0]["say"]
            if expect.get("no_refs"):
                probes.append((first, None))
            elif expect.get("refs_any") and "decision" not in expect and not expect.get("reference") and case.get("who") != "pupil":
                probes.append((first, set(expect["refs_any"])))

    def encode(texts):
        return encoder.encode_many([normalise(t) for t in texts])

    def fit(texts, labels):
        return LogisticRegression(C=20.0, max_iter=5000, random_state=42).fit(encode(texts), labels)

    def right(intent, refs):
        if refs is None:
            return intent == "out_of_scope"
        topic = catalogue.topic(intent)
        return bool(topic and set(topic.refs) & refs)

    texts, labels = [t for t, _ in train], [y for _, y in train]
    base = fit(texts, labels)
    rng = random.Random(7)
    padded_model = fit(texts + [padded(t, rng) for t in texts], labels + labels)
    probe_vectors = encode([t for t, _ in probes])
    multi = [i for i, (t, _) in enumerate(probes) if len(sentences(t)) >= 2]
    names = list(base.classes_)

    def read(model, tag):
        held = np.mean(model.predict(encode([t for t, _ in heldout])) == np.array([y for _, y in heldout]))
        predicted = model.predict(probe_vectors)
        answers = sum(right(p, refs) for p, (_, refs) in zip(predicted, probes) if refs is not None)
        outside = sum(right(p, refs) for p, (_, refs) in zip(predicted, probes) if refs is None)
        print(f"{tag:44s} held-out {held:.3f}  answers {answers}  out of scope {outside}")

    print(f"{len(train)} training examples, {len(heldout)} held out; {sum(r is not None for _, r in probes)} answer and "
          f"{sum(r is None for _, r in probes)} out-of-scope first messages, {len(multi)} of more than one sentence")
    read(base, "whole message (as trained and used)")
    read(padded_model, "also trained on context-padded copies")

    whole = base.predict_proba(probe_vectors)
    question = base.predict_proba(encode([question_part(probes[i][0]) for i in multi]))
    each = [base.predict_proba(encode(sentences(probes[i][0]))) for i in multi]
    variants = {
        "multi-sentence: whole message": lambda k, i: whole[i],
        "multi-sentence: 70/30 with the question": lambda k, i: 0.7 * whole[i] + 0.3 * question[k],
        "multi-sentence: 50/50 with the question": lambda k, i: 0.5 * whole[i] + 0.5 * question[k],
        "multi-sentence: 50/50 with the sentences' mean": lambda k, i: 0.5 * whole[i] + 0.5 * each[k].mean(0),
        "multi-sentence: the most confident sentence": lambda k, i: np.maximum(whole[i], 0.7 * each[k].max(0)),
    }
    for tag, probabilities in variants.items():
        picked = [(names[int(probabilities(k, i).argmax())], probes[i][1]) for k, i in enumerate(multi)]
        answers = sum(right(p, refs) for p, refs in picked if refs is not None)
        outside = sum(right(p, refs) for p, refs in picked if refs is None)
        print(f"{tag:44s} answers {answers}  out of scope {outside}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
