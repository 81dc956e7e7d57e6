"""How long the sentence encoder and the whole NLU take per message (p50,
p95), on this machine. A measurement, never a test.

    .venv/bin/python benchmarks/nlu_speed.py [--model models/assistant.tar.gz]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = [
    "can I friend an ex-pupil on facebook?",
    "my daughter is being picked on online by girls in her class, whose job is it to sort it?",
    "what's the rule about phones",
    "i feel scared",
    "Hi, forwarding from the office: are we allowed to put photos of the nativity on the school's Facebook page?",
    "yes",
] * 20


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    args = parser.parse_args()
    from bot.nlp.encoder import shared_encoder

    encoder = shared_encoder()
    encoder.encode("warm up")
    times = []
    for text in MESSAGES:
        start = time.perf_counter()
        encoder.encode(text)
        times.append((time.perf_counter() - start) * 1000)
    print(f"sentence encoder: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms per message")

    from rasa.core.agent import Agent

    agent = Agent.load(args.model)

    async def parse_all():
        out = []
        await agent.parse_message("warm up")
        for text in MESSAGES:
            start = time.perf_counter()
            await agent.parse_message(text)
            out.append((time.perf_counter() - start) * 1000)
        return out

    times = asyncio.run(parse_all())
    print(f"whole NLU:        p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms per message "
          f"({1000 / statistics.mean(times):.0f} messages/s)")


if __name__ == "__main__":
    main()
