"""Command line: `python -m bot <command>`. Run with --help for the list."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional


def _build_spacy(args: argparse.Namespace) -> int:
    from bot.nlp.build import build, describe

    print("spaCy pipeline:", describe(build()))
    return 0


def _model_hash(args: argparse.Namespace) -> int:
    from bot.model_cache import inputs_fingerprint

    print(inputs_fingerprint())
    return 0


def _ensure_model(args: argparse.Namespace) -> int:
    from bot.model_cache import ensure_model

    print("model:", ensure_model())
    return 0


def _nlu_gate(args: argparse.Namespace) -> int:
    from bot.evaluation import ReportError, check_intent_report

    try:
        result = check_intent_report(Path(args.report), args.min)
    except ReportError as exc:
        print(f"nlu-gate: {exc}", file=sys.stderr)
        return 2
    print("\n".join(result.lines()))
    return 0 if result.passed else 1


def _check_catalogue(args: argparse.Namespace) -> int:
    from bot.policy import load_catalogue
    from bot.replies import policy_answer
    from bot.school import load_school_profile

    catalogue = load_catalogue()
    school = load_school_profile()
    for intent in catalogue.topics:
        policy_answer(catalogue, school, intent)  # every placeholder resolves
    uncited = catalogue.uncited_clauses()
    print(f"{len(catalogue.clauses)} clauses, {len(catalogue.topics)} topics, school: {school.name}")
    if uncited:
        print("clauses no answer cites:", ", ".join(uncited), file=sys.stderr)
        return 1
    return 0


def _run(args: argparse.Namespace) -> int:
    """Start and supervise every service (bot/supervisor.py)."""
    import os

    from bot.paths import PROJECT_ROOT
    from bot.service_secrets import ACTION_SERVER_TOKEN, SecretError
    from bot.supervisor import Supervisor, assistant_services, banner

    from bot.startup import StartupError, secure_folder

    try:
        secure_folder(PROJECT_ROOT / "var")
        ACTION_SERVER_TOKEN.load()  # made once here, before both servers read it
    except (SecretError, StartupError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 1
    supervisor = Supervisor(
        assistant_services(), cwd=str(PROJECT_ROOT), on_all_ready=lambda: print(banner(), flush=True)
    )
    return supervisor.run()


def _serve_rasa(args: argparse.Namespace) -> int:
    from bot.serve_rasa import serve
    from bot.service_secrets import SecretError
    from bot.startup import StartupError, check_rasa_server

    try:
        from pathlib import Path

        from bot.serve_rasa import RasaServerSettings

        check_rasa_server(endpoints=Path(RasaServerSettings.from_env().endpoints))
        serve()
    except (SecretError, StartupError) as exc:
        print(f"cannot start the Rasa server: {exc}", file=sys.stderr)
        return 1
    return 0


def _serve_actions(args: argparse.Namespace) -> int:
    import logging

    from bot.action_server import serve
    from bot.service_secrets import SecretError
    from bot.startup import StartupError, check_action_server

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    try:
        check_action_server()
        serve()
    except (SecretError, StartupError) as exc:
        print(f"cannot start the action server: {exc}", file=sys.stderr)
        return 1
    return 0


def _web(args: argparse.Namespace) -> int:
    from bot.web.app import run

    run()
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build-spacy", help="build the spaCy pipeline into build/spacy").set_defaults(run=_build_spacy)
    sub.add_parser("model-hash", help="print the hash of the model's training inputs").set_defaults(run=_model_hash)
    sub.add_parser("ensure-model", help="train the model if its inputs changed").set_defaults(run=_ensure_model)
    sub.add_parser("check-catalogue", help="load and check the policy catalogue and school profile").set_defaults(
        run=_check_catalogue
    )
    gate = sub.add_parser("nlu-gate", help="fail when held-out intent accuracy is below the bar")
    gate.add_argument("--report", default="results/intent_report.json")
    gate.add_argument("--min", type=float, default=0.95)
    gate.set_defaults(run=_nlu_gate)
    sub.add_parser("run", help="start and supervise the Rasa server, action server and web app").set_defaults(run=_run)
    sub.add_parser("serve-rasa", help="serve the Rasa server (API off unless RASA_ENABLE_API)").set_defaults(
        run=_serve_rasa
    )
    sub.add_parser("serve-actions", help="serve the action server (calls need its shared secret)").set_defaults(
        run=_serve_actions
    )
    sub.add_parser("web", help="serve the web app (review pages, widget, demo page)").set_defaults(run=_web)
    from bot.conversations import add_conversations_parser
    from bot.records.cli import add_records_parser

    add_conversations_parser(sub)
    from bot.users_cli import add_users_parser

    add_records_parser(sub)
    add_users_parser(sub)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
