"""Play conversation cases against a stack of their own and print the
figures (by kind, turn latency). A measurement, never a test.

    .venv/bin/python benchmarks/conversations.py                      # the dev set
    .venv/bin/python benchmarks/conversations.py --cases ../shared/eval/public-cases.yml
    .venv/bin/python benchmarks/conversations.py --model /path/to/other-model.tar.gz
    .venv/bin/python benchmarks/conversations.py --only 'd-ans-1[0-9]'  # some cases only

The stack is started exactly as `make run` starts it (tests/e2e/stack.py),
in a temporary folder, with its own records database.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    from e2e.stack import MODEL, start_stack

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", default=str(ROOT.parent / "shared" / "eval" / "dev-cases.yml"))
    parser.add_argument("--model", default=str(MODEL))
    parser.add_argument("--json", default=str(ROOT / "results" / "conversations.json"))
    parser.add_argument("--only", default=None, help="regex on case ids: play only these")
    args = parser.parse_args()
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    stack = start_stack(Path(tempfile.mkdtemp(prefix="conversations-")), extra_env={"RASA_MODEL": args.model}, enable_api=False)
    try:
        result = subprocess.run(
            [sys.executable, str(ROOT.parent / "shared" / "eval" / "converse.py"), "--cases", args.cases,
             "--url", stack.rest_webhook, "--json", args.json,
             "--records-cmd", f"{sys.executable} -m bot records export --json",
             *(["--only", args.only] if args.only else [])],
            cwd=ROOT, env=stack.env, text=True,
        )
        return result.returncode
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
