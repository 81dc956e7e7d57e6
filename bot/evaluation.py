"""The NLU accuracy gate: reads Rasa's results/intent_report.json.

`python -m bot nlu-gate --min 0.95` exits non-zero when held-out intent
accuracy is below the bar, and prints the weakest intents either way.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


class ReportError(ValueError):
    """The intent report is missing or not what Rasa writes."""


@dataclass(frozen=True)
class GateResult:
    accuracy: float
    minimum: float
    examples: int
    weakest: List[Tuple[str, float, int]]  # (intent, f1-score, support)

    @property
    def passed(self) -> bool:
        return self.accuracy >= self.minimum

    def lines(self) -> List[str]:
        verdict = "PASS" if self.passed else "FAIL"
        out = [
            f"held-out intent accuracy {self.accuracy:.4f} over {self.examples} "
            f"examples (bar {self.minimum:.2f}): {verdict}"
        ]
        for intent, f1, support in self.weakest:
            out.append(f"  {intent:40s} f1 {f1:.3f}  support {support}")
        return out


def check_intent_report(report_path: Path, minimum: float, show: int = 5) -> GateResult:
    try:
        report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{report_path} not found: run `rasa test nlu` first") from None
    except json.JSONDecodeError as exc:
        raise ReportError(f"{report_path} is not JSON: {exc}") from None
    accuracy = report.get("accuracy") if isinstance(report, dict) else None
    if not isinstance(accuracy, (int, float)):
        raise ReportError(f"{report_path} has no overall `accuracy`")
    per_intent = [
        (name, float(v.get("f1-score", 0.0)), int(v.get("support", 0)))
        for name, v in report.items()
        if name not in SUMMARY_KEYS and isinstance(v, dict)
    ]
    if not per_intent:
        raise ReportError(f"{report_path} lists no intents")
    weakest = sorted(per_intent, key=lambda row: (row[1], row[0]))[:show]
    examples = sum(support for _, _, support in per_intent)
    return GateResult(float(accuracy), minimum, examples, weakest)
