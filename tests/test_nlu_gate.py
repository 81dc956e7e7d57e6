from __future__ import annotations

import json

import pytest

from bot.__main__ import main
from bot.evaluation import ReportError, check_intent_report


def _report(tmp_path, accuracy):
    report = {
        "greet": {"precision": 1.0, "recall": 1.0, "f1-score": 1.0, "support": 8},
        "ask_mobile_phones": {"precision": 0.8, "recall": 0.9, "f1-score": 0.85, "support": 10},
        "accuracy": accuracy,
        "macro avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 18},
        "weighted avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 18},
    }
    path = tmp_path / "intent_report.json"
    path.write_text(json.dumps(report))
    return path


def test_gate_passes_at_or_above_the_bar(tmp_path):
    result = check_intent_report(_report(tmp_path, 0.95), 0.95)
    assert result.passed and result.examples == 18
    assert result.weakest[0][0] == "ask_mobile_phones"


def test_gate_fails_below_the_bar(tmp_path, capsys):
    path = _report(tmp_path, 0.9444)
    assert not check_intent_report(path, 0.95).passed
    assert main(["nlu-gate", "--report", str(path), "--min", "0.95"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_missing_or_broken_report_is_an_error(tmp_path):
    with pytest.raises(ReportError, match="not found"):
        check_intent_report(tmp_path / "absent.json", 0.95)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ReportError, match="not JSON"):
        check_intent_report(bad, 0.95)
    assert main(["nlu-gate", "--report", str(bad)]) == 2
