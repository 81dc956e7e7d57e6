"""Questions that sound like the policy's subject but are not in it.

The intent classifier learns out-of-scope questions from examples; these
cues catch two kinds it keeps reading as policy topics because their words
are the policy's words ("online", "chat", "phones", "strangers"):

- a child's medical needs ("does his inhaler go to the office like the
  phones do?");
- how to work a device or an app's settings ("how do I set up parental
  controls on the xbox so he can't chat to strangers?", "how do I turn on
  two-step login on Instagram?"): the policy says who may do what, not
  which button does it.

Pure: the standard library only.
"""
from __future__ import annotations

import re

#: A child's medical needs: outside the Social Networking Policy.
_MEDICAL = re.compile(
    r"\b(?:inhaler|asthma|epi-?pen|allerg(?:y|ies|ic)|diabet\w*|insulin|medicine|medication|tablets|calpol|nurse|first aid|"
    r"plaster|headlice|nits|eczema|epilep\w*)\b", re.IGNORECASE,
)
#: ... unless the message is about something online as well.
_ONLINE = re.compile(
    r"\b(?:online|social media|social networking|facebook|instagram|insta|tiktok|snapchat|snap|whatsapp|messenger|youtube|twitter|"
    r"post(?:ed|ing|s)?|message[ds]?|messaging|friend request|follow\w*|bull(?:y|ied|ying)|group chat)\b", re.IGNORECASE,
)

#: Asking how to make a device or app do something ...
_HOW_TO = re.compile(
    r"\b(?:how (?:do|can|would|should) (?:i|we|you)|how to|can(?:'t| ?not) (?:work out|figure out)|(?:help|show) me (?:to )?)\s+(?:\w+\s+){0,3}?"
    r"(?:set ?up|setup|turn (?:on|off)|switch (?:on|off)|change|find|reset|block|unblock|enable|disable|install|uninstall|lock|limit|restrict|"
    r"stop (?:him|her|them|it)|put (?:on|in)|get (?:to|into))\b"
    r"|\bwhere (?:do|can|would|should) (?:i|we|you) (?:find|get to|go for)\b|\bcan(?:'t| ?not|t) find\b",
    re.IGNORECASE,
)
#: ... whose subject is the device's or the app's workings.
_DEVICE_WORKINGS = re.compile(
    r"\b(?:settings?|parental controls?|controls|privacy (?:settings?|options?)|screen ?time|password|passcode|pin|two[- ]?(?:step|factor)|2fa|"
    r"notifications?|restrictions?|family link|family sharing|content filters?|age rating|safe ?search|location sharing|find my)\b",
    re.IGNORECASE,
)
#: Something that has happened to a child, which the policy does cover.
_SOMETHING_HAPPENED = re.compile(
    r"\b(?:bull(?:y|ied|ies|ying)|threat\w*|(?:sent|sending|send) (?:him|her|them|me) (?:pictures?|pics?|photos?|messages?)|"
    r"asked (?:him|her|them|me) for|groom\w*|teacher|staff|member of staff|miss|sir|mr|mrs|already)\b",
    re.IGNORECASE,
)


def medical_need(text: str) -> bool:
    """A child's medical needs, with nothing online in the question."""
    text = text or ""
    return bool(_MEDICAL.search(text)) and not _ONLINE.search(text)


def device_how_to(text: str) -> bool:
    """How to work a device or an app's settings, with nothing that has
    happened to a child and nobody at the school in it."""
    text = text or ""
    return bool(_HOW_TO.search(text) and _DEVICE_WORKINGS.search(text)) and not _SOMETHING_HAPPENED.search(text)


def outside_the_policy(text: str) -> bool:
    return medical_need(text) or device_how_to(text)
