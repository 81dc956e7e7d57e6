"""When the intent classifier is unsure, do the facts say which decision the
message asks for?

A sentence vector is a good reader of short questions and a poor one of a
long account: "my lad in year 6 is getting picked on in fortnite voice chat
by two boys from his class, then they carry it on in the playground. i want
to report it" spreads its probability over cyberbullying, reporting and use in
the working day. The facts in it are not unsure: bullying, and who is doing
it. This module says which decision question such a message asks, when

- the classifier is unsure (its best intent under `SURE`, or two intents
  too close to choose between), and
- the decision's intent is among its candidates (it may be the best one,
  tied with another), and
- the message's own facts are that decision's facts: bullying words and who
  is involved (or how far it has gone) for cyberbullying; a relative, a
  pupil or ex-pupil, or a friend request, and a platform or "friends",
  for contact.

It never overrides a confident reading, a safety route (a child's worry, a
report about an adult) or a question that is not about a decision's facts.
Pure Python; the Rasa component is bot.rasa_components.DecisionCueIntent.
The measurement behind it: docs/nlu.md.
"""
from __future__ import annotations

import re
from typing import Any, List, Mapping, Optional, Sequence

CONTACT_INTENT = "ask_staff_pupil_contact"
BULLYING_INTENT = "ask_cyberbullying_responsibility"
#: A reading at least this sure is left as it is.
SURE = 0.6
#: The decision's intent must be at least this likely to be considered.
CANDIDATE = 0.03
#: Readings that a decision's facts are often mistaken for, even when the
#: classifier is fairly sure ("my nephew is in 4C and we're friends on
#: facebook" read as discussing school matters; "she's getting picked on" as
#: out of scope): overridden up to this confidence when the facts are plain.
_CONFUSED_WITH_A_DECISION = frozenset({
    "ask_discussing_school_matters", "ask_pupil_age_limit", "ask_breach_consequences", "ask_out_of_work_conduct", "out_of_scope",
})
_CONFUSABLE_SURE = 0.9
#: The writer's own relative (not "a parent ... her son").
_MY_RELATIVE = re.compile(
    r"\bmy (?:own )?(?:nephew|niece|grand(?:son|daughter|child|children|kids?)|cousin'?s?|godson|goddaughter|godchild|"
    r"step(?:son|daughter|child|kids?)|sister'?s|brother'?s|(?:little |younger |baby )?(?:brother|sister)|"
    # "my wife's sister's lad", "my husband's nephew": family by marriage
    r"(?:wife|husband|partner|other half)'?s (?:sister|brother|nephew|niece|cousin|grand\w+)'?s?)\b",
    re.I,
)
#: A child the writer knows out of school ("my best friend's daughter", "my neighbour's lad").
_MY_FRIENDS_CHILD = re.compile(
    r"\bmy (?:best |old |close |oldest |good )?(?:friend|mate|pal|neighbour|next door neighbour|colleague|partner)'?s "
    r"(?:son|daughter|child|kid|boy|girl|lad|little one|eldest|youngest)\b",
    re.I,
)
#: Routes that safety depends on are never overridden.
PROTECTED = frozenset({"tell_worry", "report_adult_concern", "ask_adult_posing_as_child", "declare_family_link"})

_BULLYING = re.compile(
    r"\b(?:bull(?:y|ies|ied|ying)|cyber ?bull\w*|pick(?:ed|ing|s)? on|slag(?:s|ged|ging)? (?:him|her|them|me) off|"
    # "filming one of the little ones on a phone and laughing"
    r"film(?:ing|ed|s)? (?:him|her|them|me|one of the \w+(?: \w+)?|a (?:little|younger|year \d) \w+)\b[^.]{0,40}?\blaugh\w*|"
    r"(?:horr?ible|horrid|nasty|mean|cruel|vile|abusive|threatening|hurtful|awful|unkind|rude|disgusting|spiteful|hateful|bitchy|snide|sly|offensive|racist|sexist|homophobic|unpleasant|upsetting|insulting|derogatory|degrading|foul|obscene|humiliating|intimidating|menacing) (?:\w+ )?(?:messages?|things|comments?|stuff|texts?|names|snaps?|posts?|captions?|"
    r"pictures?|photos?|pics?|videos?|memes?|voice notes?|emojis?|stickers?|edits?|snapchats|tiktoks|whatsapps)|"
    r"calling (?:him|her|them|me) (?:fat|ugly|stupid|names|a \w+)|"
    # the school has already acted with the other family: a case in progress
    r"(?:set up|arranged|had|held|called|organised|organized) (?:a |the )?meeting with (?:the )?(?:other|their|his|her|\w+'?s) (?:\w+'?s? )?(?:family|parents|mum|dad)|"
    r"spoke (?:to|with) (?:the )?other (?:\w+'?s? )?(?:family|parents|mum|dad)|"
    r"(?:sharing|shared|posting|posted|passing round|sending round|spreading) (?:a |an |the |some )?(?:photo|picture|pic|video|screenshot)s? of (?:my|her|him|me|them)\b[^.]{0,40}?\b(?:nasty|horr?ible|mean|laughing|rude|fat|ugly|captions?)|"
    r"call(?:s|ed|ing)? (?:him|her|them|me) names|name[- ]calling|threat(?:s|en\w*)|"
    r"(?:going to|gonna|will|'ll) (?:batter|hit|beat|hurt|kill|smash|punch|stab|jump|get) (?:him|her|them|me)(?! in(?:to)? (?:trouble|bother))(?: up| in)?\b|taunt\w*|harass\w*|gang(?:ing|ed)? up|"
    r"laugh(?:s|ed|ing)? at (?:him|her|them|me)|mak(?:e|es|ing) fun of|kick(?:ed|ing)? (?:him|her|them|me) out|"
    r"leav(?:e|es|ing) (?:him|her|them|me) out|left (?:him|her|them|me) out|exclud\w*|spread(?:ing)? (?:lies|rumours)|"
    r"fake (?:account|profile) (?:of|about)|group chats? (?:just )?to|(?:is|are) at it again|in bits|won'?t leave (?:him|her|me) alone|"
    r"(?:boy|girl|kid|child|person|people|ones?|lads?)s? (?:who (?:is|are|was|were) )?doing (?:it|this)|on the receiving end|"
    r"we hate|(?:making|posting|sharing) (?:\w+ )?(?:videos|tiktoks|pics|photos|memes) (?:about|of) (?:me|him|her)|"
    r"saying (?:i'?m|im|he'?s|she'?s|that) (?:ugly|fat|stupid|weird|a loser)|nobody likes (?:me|him|her)|"
    # plain speech: "having a go at another girl", "giving him grief", "winding her up"
    r"(?:having|had|has|have|keeps? having) a go at|giv(?:e|es|ing) (?:him|her|them|me) (?:grief|hell|a hard time|stick)|"
    r"wind(?:s|ing)? (?:him|her|them|me) up|slat(?:e|es|ed|ing) (?:him|her|them|me)|roast(?:s|ed|ing)? (?:him|her|them|me))\b",
    re.IGNORECASE,
)
#: The writer and a young person in touch ("we're friends on facebook", "she
#: msgs me", "we snap each other"): what the contact question is about.
_IN_TOUCH = re.compile(
    r"\b(?:in touch|(?:message|messages|messaging|msg|msgs|text|texts|texting|snap|snaps|snapping|dm|dms|chat|chats|chatting|talk|talks|talking)"
    r" (?:each other|with (?:him|her|them|me)|me)|(?:we'?re|we are|we'?ve been|they'?re|they are) (?:friends|mates|connected|mutuals)|"
    r"family (?:group|chat|whatsapp)|mutuals?)\b",
    re.I,
)
_FRIENDS = re.compile(
    r"\b(?:friends? (?:with|on)|friend req(?:uest)?s?|follow(?:s|ed|ing)?|add(?:s|ed|ing)? (?:me|him|her)|accept|connect(?:ed|ing)?)\b", re.I
)

#: Who is doing it, in plain words ("the kids in 6", "her cousin's mate").
_OTHERS = re.compile(
    r"\b(?:kids|boys|girls|children|pupils|classmates|lads|mates?|friends?|some (?:boy|girl|kid)s?|a (?:boy|girl|kid)|group ?chat|"
    r"(?:some|a few|two|three|the|several) (?:year|yr|y) ?\d+s)\b", re.I
)
#: Entity labels that say who is involved or how far it has gone.
_BULLYING_FACTS = frozenset({"other_party", "escalation"})


#: A member of staff speaking of their own (former) pupil, and of no other
#: adult: "a girl I taught ages ago has asked to connect on insta" is a
#: contact question, not a report about an adult at the school.
_STAFF_OWN = re.compile(r"\bi (?:taught|teach|had (?:him|her|them) in)\b|\b(?:my|our) (?:old )?(?:class|pupils?|form|year \d+s?)\b", re.I)
_ANOTHER_ADULT = re.compile(
    r"\b(?:colleague|(?:a|the|his|her|their|my \w+'?s) (?:teacher|ta|tutor|coach|head)|member of staff|staff member|(?:mr|mrs|ms|miss|dr)\.? [a-z]+)\b", re.I
)


def _staff_about_a_former_or_own_pupil(text: str) -> bool:
    return bool(_STAFF_OWN.search(text or "")) and not _ANOTHER_ADULT.search(text or "")


def names_own_relative(text: str) -> bool:
    """The writer names their own relative ("my nephew", "my granddaughter")."""
    return bool(_MY_RELATIVE.search(text or ""))


def tells_of_contact(text: str) -> bool:
    """The message tells of a connection or contact with a young person
    (friends on, a request, a follow, messaging each other), not only of a
    relative and an app ("my grandson usually does whatsapp for me")."""
    return bool(_FRIENDS.search(text or "") or _IN_TOUCH.search(text or ""))


def children_doing_it(text: str) -> bool:
    """Children named as doing it ("the kids in 6", "some girls", "a boy")."""
    return bool(_OTHERS.search(text or ""))


def tells_of_bullying(text: str) -> bool:
    """The message tells of bullying (read with text-speak spelt out: "vile msgs")."""
    from bot.nlp.spelling import normalise

    return bool(_BULLYING.search(text or "") or _BULLYING.search(normalise(text or "")))


#: The writer asking whether they may connect with a member of staff.
_ASKS_TO_ADD_STAFF = re.compile(
    r"^\W*(?:please )?(?:can|may|could|am i allowed to) i (?:add|follow|friend|message|snap|dm|text|request) "
    r"(?:mr|mrs|miss|ms|sir|my teacher|my class teacher|our teacher|the teacher|my ta|mx)\b"
    # "mrs hussain is the best teacher ever!!! can i follow her on insta": the teacher named first
    r"|\b(?:mr|mrs|miss|ms|sir|teacher|ta)\b[^?]{0,80}\b(?:can|may|could|am i allowed to) i (?:add|follow|friend|message|snap|dm|text|request) (?:her|him|them)\b"
    # "i want to add miss patel on tiktok ... can i", "is it ok if i follow sir"
    r"|^\W*(?:i (?:really )?(?:want|wanna|would like|'d like|d like) to|is it (?:ok|okay|alright|allowed) (?:if i|for me to|to)) "
    r"(?:add|follow|friend|message|snap|dm|text|request) (?:mr|mrs|miss|ms|sir|my teacher|my class teacher|our teacher|the teacher|my ta|mx)\b",
    re.IGNORECASE,
)


#: Adults who are only written to or told ("Dear Mrs Example, ...", "the
#: email I was going to send the head"): not an adult the message reports.
_NOT_IN_THE_STORY = re.compile(
    r"\b(?:dear|hi|hello|to|regards|thanks|thank you|wishes|cheers|sincerely|faithfully),?\s+(?:mr|mrs|ms|miss|dr)\.?\s+[a-z]+"
    r"|\b(?:send|sent|sending|tell|told|telling|email|emailed|write to|wrote to|writing to|ask|asked|speak to|spoke to)"
    r"\s+(?:the|his|her|my|our) (?:head(?: ?teacher)?|class teacher|teacher)\b",
    re.IGNORECASE,
)


def likely_contact(ranking: Sequence[Mapping[str, Any]]) -> bool:
    """The contact question is among the likely readings."""
    return any(r.get("name") == CONTACT_INTENT and float(r.get("confidence") or 0.0) >= CANDIDATE for r in ranking[:8])


def decision_intent(text: str, ranking: Sequence[Mapping[str, Any]], entities: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The decision intent this unsurely read message asks, or None."""
    if not ranking:
        return None
    top = ranking[0]
    top_name, top_confidence = top.get("name"), float(top.get("confidence") or 0.0)
    confusable = top_name in _CONFUSED_WITH_A_DECISION and top_confidence < _CONFUSABLE_SURE
    if top_name in ("report_adult_concern", "out_of_scope", "nlu_fallback") and top_confidence < _CONFUSABLE_SURE \
            and _ASKS_TO_ADD_STAFF.search(text or "") and likely_contact(ranking):
        return CONTACT_INTENT  # a child asking "can i add miss jones on insta?" reports nothing: it asks
    if top_name == "report_adult_concern" and top_confidence < _CONFUSABLE_SURE and colleague_contact_question(text):
        return CONTACT_INTENT  # "one of the dinner ladies is friends on facebook with a girl who left us ... is that permitted?"
    if top_confidence >= SURE and not confusable:
        return None
    if top_name in PROTECTED and not (
        top_name == "report_adult_concern"
        and (_staff_about_a_former_or_own_pupil(text) or not _ANOTHER_ADULT.search(_NOT_IN_THE_STORY.sub(" ", text or "")))
    ):
        return None  # (a "report about an adult" that names no adult at all is not one)
    likely = {r.get("name"): float(r.get("confidence") or 0.0) for r in ranking[:8]}
    labels = {e.get("entity") for e in entities or []}
    from bot.nlp.fact_reader import tells_of_warning

    bullying = tells_of_bullying(text)
    others = bool(_OTHERS.search(text or ""))
    # (a further referral after the school's warning letter is a bullying case too)
    bullying_case = bullying or (tells_of_warning(text) and "platform" in labels)
    if likely.get(BULLYING_INTENT, 0.0) >= CANDIDATE and bullying_case and (labels & _BULLYING_FACTS or top_name == BULLYING_INTENT or others):
        return BULLYING_INTENT
    if top_name == BULLYING_INTENT:
        return None  # never from one decision to the other
    from bot.nlp.fact_reader import parent_about_own_child

    if parent_about_own_child(text):
        return None  # "my son is in year 4 ... on facebook": a parent's own child, not a member of staff's contact
    who = bool(labels & {"relationship", "contact_request"}) or (
        ("other_party" in labels or _staff_about_a_former_or_own_pupil(text)) and bool(_FRIENDS.search(text or ""))
    )
    plain_request = confusable and {"other_party", "contact_request"} <= labels  # "...accept her son's friend request. He's in my class"
    if top_confidence >= SURE and not (_MY_RELATIVE.search(text or "") or _MY_FRIENDS_CHILD.search(text or "") or plain_request):
        return None  # a fairly sure other reading gives way only to "my nephew", "my granddaughter"...
    if likely.get(CONTACT_INTENT, 0.0) >= CANDIDATE and who and not bullying and (
        "platform" in labels or "contact_request" in labels or _FRIENDS.search(text or "")
    ):
        return CONTACT_INTENT
    return None


def reranked(ranking: Sequence[Mapping[str, Any]], chosen: str) -> List[dict]:
    """The ranking with `chosen` first at `SURE` and the rest scaled to fit."""
    rest = [dict(r) for r in ranking if r.get("name") != chosen]
    total = sum(float(r.get("confidence") or 0.0) for r in rest) or 1.0
    for r in rest:
        r["confidence"] = (1 - SURE) * float(r.get("confidence") or 0.0) / total
    return [{"name": chosen, "confidence": SURE}, *rest]


POSING_INTENT = "ask_adult_posing_as_child"

#: The writer thinking of going online as a child ("making a profile as a
#: 'year 6 girl' to see what's being said", "a fake account pretending to be
#: 10"): the policy's "illegal for an adult to network giving their age and
#: status as a child", however much of the story is about the pupils.
_WRITER_AS_A_CHILD = re.compile(
    r"\b(?:i|im|we)\b(?![^.?!]{0,60}?\b(?:he|she|they|someone|somebody|a man|a woman)\b)[^.?!]{0,60}?\b(?:make|making|made|set(?:ting)? up|create|creating|open|opening|start|starting|use|using|go on|join)\b"
    r"[^.?!]{0,40}?\b(?:profile|account|page|username|user ?name|login|handle)\b[^.?!]{0,30}?"
    r"\b(?:as|pretending to be|posing as|saying (?:i'?m|i am|im))\s+['\"‘]?(?:a |an |one of the )?['\"‘]?"
    r"(?:year ?\d+|yr ?\d+|y\d|\d{1,2}[- ]?(?:year|yr)[- ]?old|child|kid|pupil|student|girl|boy|teen(?:ager)?|little girl|little boy|\d{1,2})\b"
    r"|\b(?:i|im|we)\b[^.?!]{0,30}?\b(?:pose|posing|pretend|pretending|passing myself off|pass myself off) (?:as|to be) (?:a |an |one of the )?"
    r"(?:year ?\d+|yr ?\d+|child|kid|pupil|student|girl|boy|teen(?:ager)?|\d{1,2}[- ]?(?:year|yr)[- ]?old)\b",
    re.IGNORECASE,
)


def posing_intent(text: str, ranking: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The question about adults posing as children, when the writer says they
    would go online as a child and the classifier is unsure or reads it as
    the contact question or the age limits."""
    if not ranking or not _WRITER_AS_A_CHILD.search(text or ""):
        return None
    top = ranking[0]
    if top.get("name") == POSING_INTENT:
        return None
    if float(top.get("confidence") or 0.0) >= SURE and top.get("name") not in _CONFUSED_WITH_A_DECISION:
        return None
    return POSING_INTENT


#: Asking whether contact is allowed ("is that permitted?", "is he breaking the rules?").
_ASKS_PERMITTED = re.compile(
    r"\b(?:is (?:that|this|it|she|he) (?:\w+ )?(?:ok|okay|alright|allowed|permitted|acceptable|fine|against (?:the )?(?:rules|policy))|"
    r"(?:is|are) (?:she|he|they) (?:breaking|breaching|against) (?:the |our )?(?:rules|policy)|breaking the rules|"
    r"allowed under|permitted under|does (?:the|our) policy (?:allow|say)|can (?:she|he|they) (?:stay|be|keep))\b",
    re.IGNORECASE,
)
#: Harm in the account: a disclosure whatever else is asked.
_HARM = re.compile(
    r"\b(?:secret|don'?t tell|dont tell|not to tell|pictures? of|photos? of|pics? of|nudes?|private(?:ly)? messag\w*|late at night|"
    r"meet(?:ing)? up|groom\w*|gifts?|inappropriate|sexual|touch\w*|scared|upset|uncomfortable)\b",
    re.IGNORECASE,
)


def tells_of_harm(text: str) -> bool:
    """Harm to a child in the account ("our secret", "photos of", "late at night"): a disclosure whatever else is asked."""
    return bool(_HARM.search(text or ""))


def colleague_contact_question(text: str) -> bool:
    """A question whether another adult at the school may be in touch with a
    young person the policy may allow (an ex-pupil who has left, or the
    adult's own relative), with no harm told: the contact decision, not a
    report ("Mr Okafor asked me to check for him - his nephew is in Year 6
    here ... is that alright?")."""
    from bot.nlp.fact_reader import read_facts, staffs_relative
    from bot.school import load_school_profile

    text = text or ""
    if not _ASKS_PERMITTED.search(text) or _HARM.search(text):
        return False
    facts = read_facts(text, load_school_profile())
    return facts.left or facts.adult or staffs_relative(text)
