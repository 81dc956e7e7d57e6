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

And one kind the other way round, in the policy though it sounds outside
it: a member of staff posting about school online ("a teacher tweeted
about our SATs results before they were published"), which the classifier
reads as a question about results or complaints (`staff_posting_intent`);
and the writer's own posting, or a colleague's, and what could come of it
("if someone on staff had a rant on twitter about a nightmare parent, how
much trouble could they get in?"), which it reads as the process for a
disclosure about an adult (`own_posting_intent`).

Pure: the standard library (and bot.nlp.decision_cues) only.
"""
from __future__ import annotations

import re
from typing import Any, Collection, Mapping, Optional, Sequence

from bot.nlp.decision_cues import tells_of_harm

#: A child's medical needs: outside the Social Networking Policy.
_MEDICAL = re.compile(
    r"\b(?:inhaler|asthma|epi-?pen|allerg(?:y|ies|ic)|diabet\w*|insulin|medicine|medication|tablets|calpol|nurse|first aid|"
    r"plaster|headlice|nits|eczema|epilep\w*|"
    # feeling poorly ("my tummy hurts and i dont feel well"; not "i feel sick about it": that may be worry)
    r"tumm(?:y|ie)s?|stomach ?ache|belly ?ache|headache|my head hurts|poorly|temperature|fever|toothache|ear ?ache|"
    r"feel(?:ing)? (?:ill|unwell|poorly)|(?:don'?t|dont|do not|not) feel(?:ing)? (?:very )?well|been sick|throw(?:ing|n)? up|vomit\w*)\b",
    re.IGNORECASE,
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


#: A child saying they feel poorly themselves.
_FEELS_POORLY = re.compile(
    r"\bmy (?:tumm(?:y|ie)|belly|head|tooth|ear|throat)\b|\bi (?:feel|am|was|'?ve been|have been) (?:\w+ )?(?:ill|poorly|unwell|sick)\b"
    r"|\b(?:don'?t|dont|do not) feel (?:very )?well\b",
    re.IGNORECASE,
)


def feels_poorly(text: str) -> bool:
    """The writer says they feel poorly themselves ("my tummy hurts", "i dont feel well")."""
    return medical_need(text) and bool(_FEELS_POORLY.search(text or ""))


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


#: Posting something ...
_POSTS = re.compile(
    r"\b(?:tweet\w*|post(?:ed|ing|s)?|shar(?:e|ed|es|ing)|upload\w*|live ?stream\w*|put (?:\w+ ){0,6}?(?:on|up on|onto))\b", re.IGNORECASE,
)
#: ... somewhere online ...
_ONLINE_PLACE = re.compile(
    r"\b(?:online|social media|social networking|facebook|fb|instagram|insta|tiktok|snapchat|twitter|x|linkedin|youtube|"
    r"whatsapp|blog|account|page|profile|feed|story|stories|reels?|tweet\w*)\b", re.IGNORECASE,
)
#: ... by an adult at the school, or asked by the writer about their own posting.
_SCHOOL_ADULT_POSTS = re.compile(
    r"\b(?:teachers?|staff|colleagues?|tas?|teaching assistants?|governors?|head(?: teacher)?|member of staff|"
    r"(?:mr|mrs|ms|miss)\.? [a-z]+)\b[^.?!]{0,40}?\b(?:tweet\w*|post\w*|shar\w*|upload\w*|put\w*)\b"
    r"|\b(?:can|could|may|should) (?:i|we|staff|teachers|governors)\b[^.?!]{0,30}?\b(?:tweet|post|share|upload|put)\b"
    r"|\b(?:am i|are we|are staff|are teachers) allowed to (?:\w+ ){0,2}?(?:tweet|post|share|upload|put)\b"
    r"|\bis it (?:ok|okay|alright|allowed|fine) (?:for (?:me|staff|teachers|a teacher) )?to (?:\w+ ){0,2}?(?:tweet|post|share|upload|put)\b",
    re.IGNORECASE,
)
#: The policy's topics about what staff post (data/policy/topics.yml).
POSTING_TOPICS = (
    "ask_mentioning_school", "ask_discussing_school_matters", "ask_identifying_as_school", "ask_out_of_work_conduct",
    "ask_unlawful_content", "ask_personal_promotion", "ask_freedom_of_expression", "ask_breach_consequences",
)
#: Sure enough that it is out of scope that no cue overrules it.
_SURELY_OUTSIDE = 0.9


def _posting_topic_instead(ranking: Sequence[Mapping[str, Any]], read_as: Collection[str]) -> Optional[str]:
    """The likeliest of the policy's posting topics in the ranking, when the
    classifier read the message as one of `read_as` without being sure of it."""
    if not ranking or ranking[0].get("name") not in read_as or float(ranking[0].get("confidence") or 0.0) >= _SURELY_OUTSIDE:
        return None
    return next((str(r.get("name")) for r in ranking[1:] if r.get("name") in POSTING_TOPICS), None)


def staff_posting_intent(text: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """When the classifier reads a member of staff's posting about school as
    out of scope: the likeliest of the policy's posting topics in its
    ranking; None when it is sure, when the question is a device's settings
    or a medical need, or when no posting topic is ranked."""
    text = text or ""
    if outside_the_policy(text) or not (_POSTS.search(text) and _ONLINE_PLACE.search(text) and _SCHOOL_ADULT_POSTS.search(text)):
        return None
    return _posting_topic_instead(ranking, ("out_of_scope",))


#: The process topics a question about someone's own posting is mistaken for.
_PROCESS_TOPICS = ("ask_disclosure_process", "ask_staff_suspension")
#: Someone's own posting ("a rant on twitter", "a moan on my own facebook", "a thread on their own X account").
_OWN_POST = re.compile(
    r"\b(?:rant\w*|moan\w*|vent\w*|thread|tweet\w*|post(?:ed|ing|s)?|wrote|comment\w*|shar(?:e|ed|ing))\b[^.?!]{0,60}?"
    r"\b(?:on (?:my|his|her|their|your) (?:own )?(?:\w+ )?(?:account|page|profile|facebook|fb|twitter|x|instagram|insta|tiktok|blog)|"
    r"on (?:twitter|x|facebook|fb|instagram|tiktok|linkedin|social media))\b"
    r"|\b(?:on|in) (?:my|his|her|their) own (?:time|account|page)\b",
    re.IGNORECASE,
)
#: ... and what could come of it.
_CONSEQUENCE = re.compile(
    r"\b(?:trouble|disciplin\w*|sacked|fired|dismiss\w*|covered|free speech|freedom of (?:speech|expression)|allowed|right to|"
    r"get away with|consequences?|misconduct|warning)\b",
    re.IGNORECASE,
)
#: ... or whether the writer may reply ("i'm so tempted to reply and put the record straight. would that be ok?").
_OWN_REPLY = re.compile(
    r"\b(?:can|could|may|should|shall) i (?:\w+ )?(?:reply|respond|comment|answer|post|write|say something|stick up|defend|"
    r"put (?:the record|it|things) straight)\b"
    r"|\b(?:would|is) (?:that|it|this) (?:be )?(?:ok|okay|alright|allowed|acceptable|fine)\b[^.?!]{0,30}\?"
    r"|\bam i allowed to (?:\w+ ){0,2}?(?:comment|reply|respond|post|say|defend)\b",
    re.IGNORECASE,
)
#: A child in contact with the adult: the disclosure's process is right.
_CHILD_CONTACT = re.compile(
    r"\b(?:messag\w* (?:a |the |my |our )?(?:pupil|child|kid|girl|boy|son|daughter)s?|friend(?:ed)? (?:a |the )?(?:pupil|child)|"
    r"pupils? (?:as|on) (?:friends|followers))\b",
    re.IGNORECASE,
)


def own_posting_intent(text: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """When the classifier reads a question about someone's own posting and
    what could come of it as the process for a disclosure (not sure of it):
    the likeliest posting topic in its ranking. None when a child is in it
    (contact, harm): that is the disclosure's process. The caller also
    leaves a message that is a disclosure (bot.filing.is_disclosure) alone."""
    text = text or ""
    if _CHILD_CONTACT.search(text) or tells_of_harm(text):
        return None
    own = _OWN_POST.search(text) and _CONSEQUENCE.search(text)
    reply = _POSTS.search(text) and _ONLINE_PLACE.search(text) and _OWN_REPLY.search(text)
    return _posting_topic_instead(ranking, _PROCESS_TOPICS) if own or reply else None
