"""An action that fails with the person's words in its exception (for
tests/test_action_server.py: the error must not reach the caller or the log)."""
from rasa_sdk import Action


class ActionThatFails(Action):
    def name(self):
        return "action_that_fails"

    def run(self, dispatcher, tracker, domain):
        raise ValueError(f"could not use {tracker.latest_message.get('text')}")
