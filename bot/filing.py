"""Filing conversations: what to ask, how to read it back, and what to say once
a record is filed. Pure Python; the Rasa actions in actions/filing.py call it
and bot/records stores the result.

Four kinds of record (bot/records/models.py):
- disclosure: a concern that an adult at the school is misusing social
  networking (the head teacher records it and refers it to the LADO; a concern
  about the head teacher goes to the chair of governors instead);
- family_link_declaration: a member of staff's written notice to the head
  teacher of a family link with a pupil;
- service_proposal: a proposal to use social networking for a school service,
  pending the head teacher's approval;
- concern_report: improper contact, cyberbullying, or social networking during
  the working day, for the named child protection person.

The questions are worded so that each asks one thing, in plain English, and
the read-back names no field it does not show.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from bot.nlp.fact_reader import own_child, staffs_relative
from bot.records.models import CONCERN_REPORT, DISCLOSURE, FAMILY_LINK_DECLARATION, SERVICE_PROPOSAL
from bot.replies import Reply
from bot.school import SchoolProfile
from bot.triage import CHILDLINE, PASSES_ON_WORDS, SAYS_STAFF_TEAM, SCHOOL_STAFF_JOBS

KINDS = (DISCLOSURE, FAMILY_LINK_DECLARATION, SERVICE_PROPOSAL, CONCERN_REPORT)

# Slots of the filing form (domain.yml), in the order they are asked.
ROLE, ACCOUNT, NAME, CONTACT, CONFIRMED = (
    "filer_role",
    "filing_account",
    "filer_name",
    "filer_contact",
    "filing_confirmed",
)
#: A disclosure: is it about the head teacher? Decided from everything the
#: person writes (their first message, the account, anything added at the
#: read-back), which asks them plainly.
ABOUT_HEAD = "filing_about_head"
FORM_SLOTS = (ROLE, ACCOUNT, NAME, CONTACT, CONFIRMED)
#: Slots of the answers whose words are the person's: the words are kept in
#: the server-side draft (bot/records/drafts.py); the slot only ever holds
#: GIVEN, DECLINED or nothing.
SENSITIVE_SLOTS = (ACCOUNT, NAME, CONTACT)
#: Every slot the filing conversation uses; cleared when it ends.
#: The reference of a child's report filed as soon as they told us (their
#: name, class and anything else are added to it): see filed_at_once.
FILED_EARLY = "filing_filed_early"
ALL_SLOTS = FORM_SLOTS + (
    "filing_kind", "filing_id", "filing_topic", "filing_offer", "filing_change", ABOUT_HEAD, FILED_EARLY,
)

#: What an answered question's slot holds (the answer is in the draft).
GIVEN = "given"
#: What a skipped optional answer's slot holds.
DECLINED = "-"
#: The only values an answer slot may hold.
ANSWER_MARKERS = (None, GIVEN, DECLINED)

ROLES = ("parent", "staff", "pupil", "governor", "other")
ROLE_BUTTONS = (("Parent or carer", "parent"), ("Member of staff", "staff"), ("Pupil", "pupil"), ("Someone else", "other"))
# How the read-back shows who is filing (no field names a simulated or real
# reader could mistake for a new question).
ROLE_LABELS = {
    "parent": "family or carer of a pupil",
    "staff": "staff",
    "pupil": "pupil",
    "governor": "governor",
    "other": "",
}

#: Decision or topic that led to a report, kept with the record (not sensitive).
TOPIC_LABELS = {
    "improper_contact": "improper contact",
    "cyberbullying": "cyberbullying",
    "working_day_use": "social networking during the working day",
    "adult_at_school": "an adult at the school",
    "child_needs_help": "a child who needs help",
}


@dataclass(frozen=True)
class KindSpec:
    kind: str
    what: str  # read-back "What:" line
    asks_role: bool
    default_role: Optional[str]
    name_required: bool
    intro: str
    account_question: str


DISCLOSURE_ACCOUNT = (
    "Please describe what happened, in your own words: who is involved, what was said or "
    "done, on which app or site, and when. Write as much as you like."
)
PUPIL_ACCOUNT = "Please write what happened, in your own words. Take your time."

SPECS: Dict[str, KindSpec] = {
    DISCLOSURE: KindSpec(
        kind=DISCLOSURE,
        what="a concern about an adult at the school",
        asks_role=True,
        default_role=None,
        name_required=False,
        intro=(
            "Thank you for raising this: it is the right thing to do. I can record it now for "
            "{recipient}, who must refer it to the LADO. It takes a few questions, and you can "
            'say "stop" at any time.'
        ),
        account_question=DISCLOSURE_ACCOUNT,
    ),
    CONCERN_REPORT: KindSpec(
        kind=CONCERN_REPORT,
        what="a report of {topic}",
        asks_role=True,
        default_role=None,
        name_required=False,
        intro=(
            "I can pass your report to {dsl_name}, the school's named child protection person. "
            'It takes a few questions, and you can say "stop" at any time.'
        ),
        account_question=DISCLOSURE_ACCOUNT,
    ),
    FAMILY_LINK_DECLARATION: KindSpec(
        kind=FAMILY_LINK_DECLARATION,
        what="your declaration to the head teacher",
        asks_role=False,
        default_role="staff",
        name_required=True,
        intro=(
            "I can record this now as your written notice to {head_teacher_name}: two quick "
            'questions. (If you only wanted to know, say "stop".)'
        ),
        account_question=(
            "Which pupil is it, and what is your link to them? For example: "
            '"my niece, Amy Jones, in Year 4".'
        ),
    ),
    SERVICE_PROPOSAL: KindSpec(
        kind=SERVICE_PROPOSAL,
        what="your request for the head teacher's approval",
        asks_role=False,
        default_role="staff",
        name_required=True,
        intro=(
            "I can pass your proposal to {head_teacher_name} for approval now: two quick "
            'questions. (If you only wanted to know, say "stop".)'
        ),
        account_question=(
            "Please describe your proposal: what it is (for example a class blog or a school "
            "page), which site or app it would use, who would run it and who would see it."
        ),
    ),
}

DANGER_FIRST = (
    "If a child is in immediate danger, call {police_emergency} now, before anything else. "
    "I'll keep your report open while you do."
)


# --- what a message says ------------------------------------------------------------


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


_PUPIL = (
    r"\b(i'?m|i am|im)\s+(a\s+|the\s+)?(pupil|student|child|kid|girl|boy)\b|\b(i'?m|i am|im)\s+in\s+(year|yr|class)\b"
    r"|^\s*(a\s+)?(pupil|student(?! teacher)|child)\b|\bi go to (this|the) school\b|\b(i'?m|i am|im) on the school council\b"
    # "she said dont tell ur mum": only a child is told not to tell their mum
    r"|\b(don'?t|dont|not to|never) tell (my|ur|your) (mum|mam|mom|dad|parents|nan)\b|\bmy (teacher|class teacher|mum said)\b"
)
_GOVERNOR = r"\bgovernors?\b"
_STAFF = (
    # (not someone else's: "a quick word with her teacher", "his TA")
    r"(?<!\bher )(?<!\bhis )(?<!\btheir )(?<!\byour )(?<!'s )"
    r"\b(staff|teacher|teaching assistant|ta|tutor|work(ing|s)? (at|for|in) (the|this) school|employee|colleague"
    r"|i teach|supervisor|caretaker|senco|coach|office manager|receptionist|teach(ing)? (year|class))\b"
)
_PARENT = (
    # not someone else's ("my mum", "ur mum", "tell your dad")
    r"(?<!\bmy )(?<!\bur )(?<!\byour )(?<!\btell )"
    r"\b(mum|mom|mummy|mother|dad|daddy|father|parent|parents|carer|guardian|step-?(mum|dad|mother|father)"
    r"|foster|grand(ma|pa|mother|father|parent|mum|dad)|nan|nana|nanny|granny|grandad)\b"
)
_OTHER = r"\b(someone else|somebody else|other|none of (those|these|them)|neighbou?r|member of the public|volunteer|visitor)\b"


def parse_filer_role(text: str) -> Optional[str]:
    """Who is filing, from a free answer ("I'm his mum", "I teach Year 5",
    "I'm in Year 6"), or None when it does not say."""
    text = text or ""
    for role, pattern in (("pupil", _PUPIL), ("governor", _GOVERNOR), ("staff", _STAFF), ("parent", _PARENT), ("other", _OTHER)):
        if _search(pattern, text):
            return role
    return None


_I_AM = r"(?:i'?m|im|i am|i work as|i'?ve been|speaking as|as)\s+(?:a|an|the|one of the|one of your|his|her|their)\s+(?:[\w-]+\s+){0,2}?"
#: The writer saying what they are, in the first person ("I'm a TA in Year 4",
#: "as a parent", "parent governor here", "I teach year 5"): never another
#: adult the message tells of ("the PE teacher added my son").
_SAYS_ROLE = (
    ("governor", re.compile(rf"\b{_I_AM}governors?\b|\bgovernors? here\b|\bon behalf of the governors\b|\bi'?m on the governing (?:body|board)\b", re.I)),
    ("staff", re.compile(
        rf"\b{_I_AM}(?:teacher|ta|tutor|nqt|ect|supervisor|member of staff|staff member|lunchtime\w*|head|deputy|{SCHOOL_STAFF_JOBS})\b"
        r"|\b(?:i'?m|im|i am) (?:on|doing) supply\b|\bi teach\b|\bi work (?:at|in|for) (?:the|this|your|our) school\b|\bi work (?:here|at moat)\b|\b(?:staff|teacher) here\b"
        rf"|\b(?:{SAYS_STAFF_TEAM})\b",  # "I'm year 4 lead", "im office staff", "i work in the office"
        re.I)),
    ("parent", re.compile(
        rf"\b{_I_AM}(?:parent|mum|mom|mam|dad|carer|guardian|foster carer|grandparent|nan|gran|grandad|grandma)\b|\bparent here\b"
        # "I'm chair of the PTA (a parent, not staff)"
        r"|\((?:i'?m |im |i am )?(?:a|an|just a) (?:parent|mum|dad|carer)\b"
        r"|\b(?:chair|chairperson|treasurer|secretary|vice[- ]chair) of the (?:pta|ptfa|pfa|parent[- ]teacher (?:association|and friends association)|parents'? (?:association|forum|council)|friends of)\b"
        r"|\bi (?:chair|run|help run) (?:the )?(?:pta|ptfa|pfa|friends of [a-z]+(?: [a-z]+)?)\b|\((?:the )?pta\)"
        r"|\b(?:i'?m|im|i am) (?:mum|mam|mom|dad|nan|nana|gran|grandad|grandma|step-?mum|step-?dad) (?:to|of)\b",
        re.I)),
    ("other", re.compile(rf"\b{_I_AM}(?:volunteer|visitor|neighbou?r|member of the public)\b|\bi volunteer\b", re.I)),
)


#: Working with the school without being on its staff ("coach from Premier
#: Kickers (we're contracted in, not school staff)").
_NOT_ON_THE_STAFF = re.compile(
    r"\b(?:(?:i'?m|im|i am|we'?re|we are) not (?:school |a member of |one of the |on the )?staff|not school staff|"
    r"(?:we'?re|we are|i'?m|im|i am) contracted in|from an outside (?:company|provider|club)|(?:employed|paid) by (?:an outside|a private|the club))\b",
    re.IGNORECASE,
)


def role_said(text: str) -> Optional[str]:
    """The writer's role when they say it in the first person, else None."""
    if _NOT_ON_THE_STAFF.search(text or ""):
        # not on the staff: a parent or governor if they say so, else someone else
        said = [role for role, pattern in _SAYS_ROLE if role in ("parent", "governor") and pattern.search(text or "")]
        return said[0] if said else "other"
    for role, pattern in _SAYS_ROLE:
        if pattern.search(text or ""):
            return role
    return None


def role_from_opening(texts: List[str], default: Optional[str]) -> Optional[str]:
    """Who is filing, from what they have already written (latest first): a
    role said in the first person; else, where the kind has no usual filer, a
    parent when they speak of their own child ("my daughter is in year 6 and
    mr dawes has been messaging her"). None: ask."""
    for text in reversed(texts):
        said = role_said(text)
        if said:
            return said
    if default is None and any(own_child(t) and not _PASSED_ON.search(t or "") for t in texts):
        return "parent"
    return None


#: Someone else's words passed on ("this came through on the office email",
#: "pasting what a mum sent: <p>My son..."): their "my son" is not the writer's.
#: (triage's reading, and what only a filing's opening shows: an e-mail's
#: HTML, "came through on the office email"; not in triage, where a child's
#: "a message came through on my tablet" must still be a child's)
_PASSED_ON = re.compile(
    rf"{PASSES_ON_WORDS}|<(?:p|br|div|span)\b|\b(?:came (?:through|in)|been told to log|"
    r"(?:e-?mail|message|letter|note) from (?:a|the|one of the|another) (?:mum|mom|dad|parent|carer))\b",
    re.IGNORECASE,
)


def names_another_adult(text: str) -> bool:
    """An answer that tells of an adult at the school, not of the writer ("the
    PE teacher, mr brennan", answering "are you a parent, staff...?")."""
    text = text or ""
    return _third_party_adult(text) is not None and role_said(text) is None and bool(_OTHER_ADULT_ANSWER.search(text))


#: Someone named, or pointed at, in an answer ("mr brennan", "he teaches year
#: 6", "the PE teacher"): not a bare "teacher" or "TA", which is the writer.
_OTHER_ADULT_ANSWER = re.compile(
    r"\b(?:mr|mrs|miss|ms|dr)\.?\s+[a-z][\w'-]+|\b(?:he|she|they) (?:teaches|works|is|does|runs|helps)\b"
    r"|\bthe (?:[\w.-]+ )?(?:teacher|ta|teaching assistant|coach|tutor|supervisor|caretaker)\b",
    re.IGNORECASE,
)


_DECLINE = (
    r"^\s*(skip|no|nope|pass|none|n/?a|no thanks?|no thank you|not saying|anon|anonymous|nothing(\s+(further|else|more))?)\s*[.!]*\s*$"
    r"|\b(rather not|prefer not|don'?t want to (say|give|share)|won'?t say|anonymous(ly)?|not say)\b"
)


def is_decline(text: str) -> bool:
    """'skip', 'I'd rather not say', 'anonymous' ..."""
    return _search(_DECLINE, text or "")


_QUESTION_START = r"^\s*(who|what|when|where|why|how|which|can|could|will|would|should|do|does|did|is|are|am|may|must)\b"


def is_question(text: str) -> bool:
    text = (text or "").strip()
    return text.endswith("?") or _search(_QUESTION_START, text)


_YES = (
    r"^\s*(yes|yeah|yep|yup|ye|y|ok|okay|correct|right|that'?s (right|correct|fine|it)|all (good|correct|fine)"
    r"|sure|please|go ahead|do it|confirm(ed)?|submit( it)?|send( it)?|file( it)?|try again|retry|fine|perfect"
    r"|looks (good|right|fine)|it'?s (right|correct|fine))\b"
)


def is_yes(text: str) -> bool:
    return _search(_YES, text or "")


_JUST_AN_ANSWER = re.compile(r"^\W*(?:no+|nope|not now|no thanks?|ok+|okay|yes+|yeah|yep|ya|yh|pls|please|thank(?:s| you)|ty)"
                             r"(?:\W+(?:pls|please|thanks?|ok))*\W*$", re.I)


_NOTHING_MORE = re.compile(r"^\W*(?:no+|nope|nah|no thanks?|nothing(?: else| more)?|that'?s (?:all|it|everything)|thats (?:all|it))"
                           r"(?:\W+(?:thanks?|thank you|ty|pls|please))*\W*$", re.I)


def adds_nothing(text: Optional[str]) -> bool:
    """An answer to "anything else?" that adds nothing ("no", "nothing else")."""
    return bool(_NOTHING_MORE.match(text or ""))


def childs_opening(texts: Sequence[str], not_kept: str) -> str:
    """What a child has told us so far in the conversation, each message
    exactly as typed: where the account of their report begins, so that they
    are not made to tell it all again. Yes/no replies, button payloads and
    messages the tracker store did not keep (`not_kept`) are left out."""
    told: List[str] = []
    for text in texts:
        if not isinstance(text, str) or not text.strip() or text == not_kept or text.startswith("/"):
            continue
        if _JUST_AN_ANSWER.match(text) or text in told:
            continue
        told.append(text)
    return "\n\n".join(told)


EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
PHONE_RE = re.compile(r"(\+?\d[\d\s().-]{6,}\d)")


def contact_in(text: str) -> Optional[str]:
    """An e-mail address or phone number in the text, as typed."""
    found = EMAIL_RE.search(text or "") or PHONE_RE.search(text or "")
    return found.group(0) if found else None


_CHANGE = {
    ACCOUNT: r"\b(account|what happened|story|description|describe|proposal|wording|message|it says|details of)\b",
    NAME: r"\b(name|spelt|spelled|spelling)\b",
    CONTACT: r"\b(e-?mail|phone|number|mobile|contact|address|reach me)\b",
    ROLE: r"\b(who i am|i'?m (a|the|not)|i am (a|the|not)|role|not a (parent|teacher|pupil))\b",
}


def change_targets(text: str) -> List[str]:
    """Which answers a correction is about ("no, my email is wrong" -> contact)."""
    return [slot for slot, pattern in _CHANGE.items() if _search(pattern, text or "")]


_DANGER = (
    r"(?<!not )(?<!no )(?<!isn't )(?<!isnt )(?<!aren't )\bin (immediate |serious )?danger\b|\b(immediate|immediately|right now)\b.{0,40}\b(danger|unsafe|risk|hurt|harm)\b"
    r"|\b(danger|unsafe|risk|hurt|harm)\b.{0,40}\b(right now|immediately)\b"
    r"|\bgoing to (hurt|harm|kill|meet)\b|\bsuicid\w*|\bkill (him|her|them|my)sel(f|ves)\b|\bself[- ]harm\w*"
    r"|\b(meet|meeting) (up )?(him|her|them|my \w+) (tonight|today|now)\b|\bmissing\b.{0,30}\b(child|son|daughter)\b"
)


def mentions_immediate_danger(text: str) -> bool:
    """Words that say a child may be in danger now: the person is told to
    call 999 first, whatever else happens."""
    # "no, not in immediate danger as far as i know" says the opposite
    text = re.sub(r"\b(?:not|nobody is|no one is|noone is|isn'?t|aren'?t|never)\s+(?:in\s+)?(?:any\s+)?(?:immediate\s+|serious\s+)?danger\b",
                  " ", text or "", flags=re.IGNORECASE)
    return _search(_DANGER, text)


# --- a disclosure, wherever it is typed --------------------------------------------

#: An adult at the school, as people refer to them.
_ADULT = (
    r"(?:(?:pe|p\.e\.|maths|math|english|science|music|art|drama|form|class|supply|swimming|football|"
    r"games|dance|cover|year \d+|reception|nursery)\s+)?"
    r"(?:teachers?|teaching assistants?|tas?|tutors?|coach(?:es)?|instructors?|head\s?teachers?|head\s?(?:mistress|master)|"
    r"the head|deputy(?: head)?|assistant head|caretaker|dinner lad(?:y|ies)|lunchtime supervisors?|"
    r"midday supervisors?|senco|staff member|member of staff|someone (?:from|at) (?:the )?school|colleagues?|co-?workers?|"
    r"one of (?:our|the|your|its) (?:staff|teachers|tas|teaching assistants|lunchtime staff)|"
    r"(?:after[- ]school|breakfast|[a-z]+) club (?:leader|worker|staff|man|woman|lady|guy|bloke|helper|person|instructor)|volunteer|sir|miss|"
    # "the man who runs drama club", "the lady who takes the choir sessions"
    r"(?:a|an|the|this|that) (?:man|woman|lady|guy|bloke|adult|grown[- ]up) (?:who|that) (?:runs|does|takes|leads|teaches|coaches)"
    r" (?:the )?(?:[a-z]+ ){0,2}(?:club|class|lessons?|sessions?|practice|rehearsals?)|"
    r"(?:mr|mrs|ms|miss|dr)\.?\s+(?:[a-z]\.?\s+)?[a-z][\w'-]*|"
    r"(?:a|an|the|this|some|one of the) (?:man|woman|lady|guy|adults?|grown[- ]ups?|helpers?) (?:from|at|who works at|who works in|in) "
    r"(?:the |our |my )?(?:school|class|\w+ club)|"
    # "the man who helps in the library", "the lady who does lunch club"
    r"(?:a|an|the|this|that) (?:man|woman|lady|guy|adult|grown[- ]up) who (?:helps|works|runs|does|teaches|coaches|looks after)"
    r"(?: \w+){0,2}? (?:in|at|with|on) (?:the |our |my )?(?:library|school|class|office|kitchen|playground|canteen|hall|club|lunch\w*|"
    r"after[- ]school\w*|breakfast club|gates?|football|reading))"
)
#: What they do, said as happening or having happened.
_CONDUCT = (
    r"(?:messag\w*|texts?|texting|texted|dms?|dm'?(?:s|ed|ing)|direct messag\w*|snap(?:s|chat\w*|ped|ping)?|whatsapp\w*|"
    r"add(?:s|ed|ing)?|follow(?:s|ed|ing)?|friend(?:s|ed|ing)?|send(?:s|ing)?|sent|ask(?:s|ed|ing)?|call(?:s|ed|ing)?|accept(?:s|ed|ing)?|"
    r"ring(?:s|ing)?|rang|contact(?:s|ed|ing)?|chat(?:s|ted|ting)?|comment(?:s|ed|ing)?|lik(?:es|ed|ing)|tag(?:s|ged|ging)?|"
    r"groom\w*|touch\w*|meet(?:s|ing)?|met|exchang\w*|swap(?:s|ped|ping)?|invit\w*|offer\w*|gave|gives|giving|told|tells|telling|"
    r"showed|shows|showing|film\w*|photograph\w*|record\w*|pick(?:s|ed|ing)? up|drove|driv\w*|found|finds|finding|"
    r"look(?:s|ed|ing)? (?:up|for))"
)
#: The child, or children, on the receiving end.
_CHILD = (
    r"(?:me|her|him|them|us|my (?:son|daughter|child|kid|boy|girl|niece|nephew|grandson|granddaughter|little one|friend|sister|brother)s?|"
    # what the writer posts ("keeps liking all my videos")
    r"(?:all )?my (?:videos?|posts?|pics?|photos?|pictures?|tiktoks?|stories|story|reels?)|"
    r"(?:our|his|her|their) (?:son|daughter|child|kid)s?|pupils?|students?|children|kids|girls|boys|"
    # "liking and commenting on a year 6 girl's instagram posts" (her account, so a child contacted)
    r"(?:a|one|this|that|the) (?:(?:year|yr) \d+ |y\d+ )?(?:girl|boy|child|kid|pupil|student)(?='s\s+(?:insta\w*|tiktok|snap\w*|facebook|"
    r"account|page|posts?|photos?|pics?|pictures?|videos?|profile|stories|story))|"
    r"(?:some|several|loads of|lots of|a few|quite a few|one of the|year \d+|our year \d+|"
    r"(?:a few|some|loads|lots|quite a few|a couple|one|two|three|several|a number|many) of (?:our|the)(?: (?:year|yr) \d+| y\d+)?) "
    r"(?:pupils|students|kids|children|girls|boys)|"
    # a teacher's own: "one of my year 5s", "one of our y6s"
    r"one of (?:my|our) (?:(?:year|yr|y) ?\d+s|class|form|pupils|students))"
    # (not "the boy's dad": the child's parent is not the child)
    r"(?!'?s? (?:dad|mum|mom|parents?|family|carers?|mother|father|nan|gran)\b)"
)
#: After the adult: where they are from, a few words ("who", "has been",
#: "always"), what they do, and to whom.
_DOES_TO_A_CHILD = (
    r"(?:\s+(?:at|from|in|during|on) (?:the |our |my |his |her )?(?:school|class|\w+ club|(?:year|yr) \d+|\w+ time|lunch\w*|break\w*|"
    r"playtime|assembly)|\s+(?:after|before) school)?"
    r"(?:\s+(?:who|that|is|was|has|have|had|been|keeps?|kept|on|always|still|now|just|also|even|"
    r"started|starting|won't|wont|never|stop|stops|said|says|she|he|they|will|would|\w+'ll|\w+ly|"
    r"leaving|leaves|left|putting|puts|writing|writes|posting|posts|sending|sends|doing|does)){0,6}"
    rf"\s+(?:(?:(?:trying|tried|wants?|wanted|going) to\s+)?{_CONDUCT}\b[^.!?\n]{{0,60}}?\b{_CHILD}\b"
    rf"|(?:wants?|wanted|asks?|asked|asking|tells?|told|telling|makes?|made|gets?|got|begs?|begged) {_CHILD} to\b"
    # "got my number and messages me", "has got hold of her snapchat"
    r"|(?:has |have |had )?(?:got|gets|found|took|takes) (?:hold of )?(?:my|her|his|their) (?:phone )?(?:number|address|details|snapchat|insta\w*|whatsapp|tiktok)\b"
    # "has got my daughter as a friend on facebook"
    rf"|(?:got|gets|has|have|had|added|adds) {_CHILD} (?:as (?:a |their |his |her )?|on (?:his|her|their) )(?:friends?|followers?|contacts?|friends list)\b)"
)
_DISCLOSURE = re.compile(
    # "mr gary, added me", "one of my colleagues - a teacher - has been messaging her"
    # ... and "miss dawes who does lunch club added me", "the guitar teacher who
    # comes in on wednesdays keeps sending me messages"
    rf"\b{_ADULT}\b"
    # "a teachers account is following me", "miss hartleys tiktok keeps liking my videos"
    r"(?:'?s?\s+(?:\w+\s+)?(?:account|profile|page|channel|tiktok|insta(?:gram)?|snapchat|youtube|facebook)\b)?"
    # "mr pike the dinner man keeps messaging me": who they are, without commas
    r"(?:\s+(?:the|our|my)\s+(?:[\w-]+\s+){0,2}?(?:man|lady|woman|teacher|ta|helper|coach|assistant|supervisor|cook|caretaker|cleaner)\b)?"
    r"(?:\s*[,()–—-]+\s*(?:[^,.!?()–—-]{1,45}?\s*[,()–—-]+)?)?"
    r"(?:\s+(?:who|that)\s+(?:does|runs|helps(?: out)?(?: with| in)?|teaches|works(?: in| at)?|coaches|looks after|takes|is|was|"
    r"comes(?: in(?:to school)?)?|came(?: in)?|visits|drives|plays)(?:\s+[\w']+){1,5}?(?=\s+\w))?"
    rf"{_DOES_TO_A_CHILD}", re.IGNORECASE
)
#: "it's about the head teacher herself. she's been liking my son's videos and
#: sent him a message": the adult named, then what "she" does to a child.
_PRONOUN_DOES = re.compile(rf"\b(?:she|he|they)(?:'s|'ve| has| have| is| was| were| had)?(?: been)?{_DOES_TO_A_CHILD}", re.IGNORECASE)
_ADULT_RE = re.compile(rf"\b{_ADULT}\b", re.IGNORECASE)
#: The writer naming their own job ("I'm a TA here and my own daughter...
#: wants to add me"): not another adult the message tells of.
_SELF_BEFORE = re.compile(
    r"\b(?:i'?m|im|i am|as|i work as|i'?ve been|i was)\s+(?:an?\s+|the\s+|one of the\s+)?(?:\w+\s+)?$"
    r"|\b(?:i|we)\s+(?:(?:do|also|still|now|sometimes|just|only|often|help)\s+)?$",  # "I volunteer as a reader", "I do volunteer reading"
    re.IGNORECASE,
)


_SHE = re.compile(r"^(?:mrs|miss|ms|lady|woman|she|her|mum|mother|aunt|auntie|nan|gran|madam)\b", re.IGNORECASE)
_HE = re.compile(r"^(?:mr|sir|man|he|him|dad|father|uncle|grandad)\b", re.IGNORECASE)


_ANOTHER_PERSON = re.compile(
    r"\b(?:parents?|mums?|dads?|family|families|carers?|boys?|girls?|lads?|kids?|child|children|sons?|daughters?|pupils?|brother|sister)\b",
    re.IGNORECASE,
)


def _pronoun_for(adult: re.Match, text: str) -> Optional[re.Match]:
    """"<adult> ... she keeps messaging him": what the pronoun after the adult
    does to a child, when the pronoun can be that adult ("Mrs Example spoke
    to his parents ... he is still messaging my son" is the other boy)."""
    after = text[adult.end():]
    named = adult.group(0)
    for found in _PRONOUN_DOES.finditer(after):
        if any(not re.search(r"\b(?:my|our|your)\s+$", after[max(0, m.start() - 6):m.start()], re.IGNORECASE)
               for m in _ANOTHER_PERSON.finditer(after[:found.start()])):
            return None  # someone else was named in between ("the other boy's parents"): the pronoun is theirs
            # (not the writer's own child: "the teacher of my son, Mr Fenwick, he send friend request")
        pronoun = found.group(0).split()[0].lower()
        if (pronoun.startswith("he") and _SHE.search(named)) or (pronoun.startswith("she") and _HE.search(named)):
            continue
        if re.search(r"\b(?<!my )(?:dad|mum|mom|parents?|father|mother|family)\b", found.group(0), re.IGNORECASE):
            continue  # "she rang the boy's dad and he told her...": what was done was to a parent
        return found
    return None


def _pupils_on_their_account(adult: re.Match, text: str) -> bool:
    """"<adult>. she has loads of year 6 kids as friends on facebook", where
    the pronoun can be that adult (not "the teacher said he has...")."""
    after = text[adult.end():]
    # the pronoun nearest what is had ("she said he has...": "he")
    starts = [p.start() for p in re.finditer(r"\b(?:she|he)\b", after, re.I) if _PUPILS_ON_THEIR_ACCOUNT.match(after, p.start())]
    if not starts:
        return False
    at = starts[-1]
    pronoun, named = after[at:at + 3].split()[0].lower(), adult.group(0)
    return not ((pronoun == "he" and _SHE.search(named)) or (pronoun == "she" and _HE.search(named))) \
        and not re.search(r"\b(?:said|says|told me|thinks)\s+$", after[max(0, at - 15):at], re.I)


def _third_party_adult(text: str) -> Optional[re.Match]:
    """The first adult at the school the message tells of who is not the writer."""
    for found in _ADULT_RE.finditer(text):
        before = text[max(0, found.start() - 30):found.start()]
        if not (_SELF_BEFORE.search(before) or _MY_RELATIVE_IS.search(before) or _TOLD_BEFORE.search(before)
                or _ADDRESSED_BEFORE.search(before) or _ADVISES_AFTER.match(text, found.end())):
            return found
    return None


#: An adult who only told the writer what to do ("A colleague said I have to
#: put something in writing to the head"): not in the story.
_ADVISES_AFTER = re.compile(
    r"\s+(?:said|says|told me|mentioned|reckons|reckoned|advised(?: me)?|suggested)\s+(?:that\s+)?(?:i|we)(?:'d|'ll)?\s+"
    r"(?:have|had|need|needed|should|must|ought|might|may|could|would|will)\b",
    re.IGNORECASE,
)


#: The one a pasted letter or e-mail is written to ("Dear Mrs Example, ... the
#: same girls are still sending my daughter horrible snaps"): not in the story.
_ADDRESSED_BEFORE = re.compile(r"(?:^|[\n\"'(:]|\b)(?:dear|hi|hello|hiya|to|attn:?|fao|for the attention of)\s+$", re.IGNORECASE)


def _told_of(pattern: re.Pattern, text: str) -> Optional[re.Match]:
    """The first match of `pattern` whose adult is not the one addressed, and
    whose child is not the writer when the writer is an adult ("Sandra Pike,
    office manager here - the head has asked me to put in a proposal")."""
    adult_writer = None
    for found in pattern.finditer(text):
        if _ADDRESSED_BEFORE.search(text[max(0, found.start() - 30):found.start()]):
            continue
        if _SELF_BEFORE.search(text[max(0, found.start() - 30):found.start()]) and _WRITER_ENDS.search(found.group(0)):
            continue  # "when i was TA in year 6 ... keeps commenting on my insta": the writer is that adult
        if _WRITER_ENDS.search(found.group(0)):
            if adult_writer is None:
                adult_writer = role_said(text) in ("staff", "governor", "parent") or _ADULT_WRITER.search(text) is not None
            if adult_writer:
                continue
        return found
    return None


_WRITER_ENDS = re.compile(r"\b(?:me|us)\W*$", re.IGNORECASE)
#: The writer saying they are an adult at the school in the way they sign in:
#: "Sandra Pike, office manager here", "Hi, Lorraine Booth, office manager."
_ADULT_WRITER = re.compile(
    r"\b(?:office manager|business manager|teacher|ta|teaching assistant|senco|dsl|governor|head of year|lunchtime supervisor|caretaker)"
    r"(?: here)?\s*[-.,:]",
    re.IGNORECASE,
)


#: An adult who is only the one to be told ("so her teacher and the
#: safeguarding lead know", "I told his teacher"): not in the story.
_TOLD_BEFORE = re.compile(
    r"\b(?:tell|tells|told|telling|let|inform|informed|so|so that|sent|emailed|e-mailed|wrote to|written to|spoke to|spoken to|"
    r"rang|phoned|asked|cc'?d|copied in|contacted)\s+(?:her|his|their|the|my|your|our)\s+(?:[\w-]+\s+)?$"
    # "i have to tell the head in writing": the adult's own words begin with "the"
    r"|\b(?:tell|tells|told|telling|let|inform|informed|notify|email|emailed|write to|ask|asked|show|showed)\s+$", re.IGNORECASE
)


#: A grown-up in the story, whoever they are.
_GROWN_UP = re.compile(r"\b(?:man|woman|men|women|bloke|guy|lady|adults?|grown[- ]?ups?|instructor|coach|leader|volunteer|helper)\b", re.I)


#: A grown-up who is not of the school: a stranger online ("a man none of us
#: know has been sending friend requests on Roblox", "he's nobody from the school").
_STRANGER = re.compile(
    r"\bstrangers?\b|\b(?:a|an|some|this|random) (?:man|woman|guy|bloke|adult|grown[- ]?up|person|someone|lady)\b(?: [\w']+){0,3}? "
    r"(?:(?:none of us|we|i|nobody|no one|they|she|he)(?: don'?t| do not| never)? (?:know|knows|met)\b|online\b|"
    r"on (?:roblox|fortnite|minecraft|tiktok|insta\w*|snapchat|discord|xbox|youtube|a game|the game)\b|pretending\b|claiming\b)"
    r"|\b(?:nobody|no one|not anyone|not someone) (?:from|at) (?:the |our )?school\b",
    re.IGNORECASE,
)


def tells_of_a_stranger(text: str) -> bool:
    """A grown-up in the story who is not of the school: a stranger online."""
    return bool(_STRANGER.search(text or ""))


def tells_of_a_grown_up(text: str) -> bool:
    """A grown-up other than the writer in the story ("the drama club man"),
    whether or not at the school; not "I volunteer as a reader"."""
    text = text or ""
    return any(not _SELF_BEFORE.search(text[max(0, m.start() - 30):m.start()]) for m in _GROWN_UP.finditer(text))


#: The writer's own relative who works at the school ("my uncle is mr hughes
#: he teaches year 6"): a family link to ask about, not another adult to report.
_MY_RELATIVE_IS = re.compile(
    r"\bmy (?:uncle|auntie|aunty|aunt|mum|mam|mom|mummy|dad|daddy|nan|nanna|nanny|gran|granny|grandma|grandad|grandpa|cousin|"
    r"brother|sister|step ?dad|step ?mum|godmother|godfather)(?:'s)?\s+(?:is|who is|works as|,)?\s*(?:a |an |the )?$",
    re.IGNORECASE,
)
#: "a colleague has a load of year 6 kids on his snapchat": pupils among an
#: adult's contacts.
def _pupils_on_account(adult: str) -> str:
    """"<adult> has loads of year 6 kids on his snapchat": pupils among the
    contacts of the adult that `adult` matches."""
    return (
        rf"\b(?:{adult})\b[^.!?\n]{{0,30}}?\b(?:has|have|had|got|with)\b[^.!?\n]{{0,30}}?"
        r"\b(?:pupils|kids|children|students|girls|boys|year \d+s?|(?:her|his|their) (?:current |own |old )?class)\b[^.!?\n]{0,25}?\b(?:(?:on|as|in)\s+(?:his|her|their)\s+(?:own\s+|personal\s+|private\s+)?|as\s+)"
        r"(?:friends?(?: list)?|followers|snap(?:chat)?|facebook|fb|insta(?:gram)?|tiktok|whatsapp|contacts|messenger|discord|xbox)\b"
    )


_PUPILS_ON_ACCOUNT = re.compile(_pupils_on_account(rf"{_ADULT}|(?:a |my |one of (?:my|our|the) )colleagues?"), re.IGNORECASE)
#: ... said of the adult named before ("it's about the head. she has loads of
#: current year 6 kids as friends on facebook").
_PUPILS_ON_THEIR_ACCOUNT = re.compile(_pupils_on_account(r"she|he"), re.IGNORECASE)
#: "one of the year 6 girls is on her friends list" (with an adult at the
#: school named in the message)
_ON_THEIR_LIST = re.compile(
    r"\b(?:pupils?|kids?|children|child|girls?|boys?|students?|year \d+s?)\b[^.!?\n]{0,20}?\b(?:is|are|'s|'re)\s+(?:on|in|among)\s+"
    r"(?:his|her|their)\s+(?:friends?(?: list)?|followers|contacts|snapchat|facebook|instagram|tiktok)\b",
    re.IGNORECASE,
)
#: Pupils in a group, page or chat the adult runs ("Mrs Example runs a
#: facebook group called Moat Farm Booklovers and loads of current pupils are
#: in it"), with an adult at the school named in the message.
_PUPILS_IN_THEIR_GROUP = re.compile(
    r"\b(?:runs?|running|ran|set up|sets up|started|starts|made|created|has|had|admins?|manages?|owns?)\b[^.!?\n]{0,50}?"
    r"\b(?:group|page|chat|server|channel|account)\b[^.!?\n]{0,80}?\b(?:pupils?|kids?|children|students?|(?:year|yr|y) ?\d+s?)\b"
    r"[^.!?\n]{0,20}?\b(?:are|is|'re|'s)\s+(?:in|on|members of|part of)\s+(?:it|there|that|them)\b"
    r"|\b(?:pupils?|kids?|children|students?|(?:year|yr|y) ?\d+s?)\b[^.!?\n]{0,20}?\b(?:are|is|'re|'s)\s+(?:in|on|members of)\s+"
    r"(?:his|her|their)\s+(?:\w+\s+)?(?:group|page|chat|server|channel|group chat)\b",
    re.IGNORECASE,
)
#: An adult pretending to be a child ("a fake profile pretending to be 12").
_POSING = re.compile(
    r"\b(?:fake (?:profile|account)|pretend(?:s|ed|ing)? to be (?:a |an )?(?:\d+|child|kid|girl|boy|teen)|posing as (?:a )?(?:child|kid|girl|boy|\d+))",
    re.IGNORECASE,
)
#: "Is it OK for a teacher to message pupils?" asks; it does not tell.
#: An adult at the school putting pupils on their own social networking
#: ("the caretaker has been putting crude jokes on his public Facebook about
#: the little darlings at work", "a TA does TikTok livestreams and some of
#: our Year 6 kids join in"): the policy's concern, a disclosure.
_POSTS_ABOUT_PUPILS = re.compile(
    # (the adult doing it: no "I" in between, as in "pitch an idea to the head:
    # a school sport account that I'd run, putting up fixtures")
    rf"\b{_ADULT}\b(?:(?!\b(?:i|i'd|i'll|i'm|we|we'd|me)\b)[^.!?]){{0,100}}?\b(?:post(?:s|ed|ing)?|putting|puts|shar(?:es|ed|ing)|tweet(?:s|ed|ing)?|upload\w*|"
    r"live ?stream\w*|going live|goes live|vlog\w*)\b(?![^.!?]{0,40}\bschool'?s? (?:own |official )?(?:[a-z]+ )?(?:account|page|website|blog|channel|feed))"
    r"[^.!?]{0,100}?\b(?:pupils?|kids|children|a child|about a (?:boy|girl|child)|little darlings|(?:our|the|my|his|her) class|"
    r"(?:year|yr|y) ?\d+ (?:kids|children|pupils|boys|girls)|(?:a|one of the) (?:boy|girl)s? in)\b",
    re.IGNORECASE,
)
#: ... said of the adult named before, in a later sentence ("one of the teachers
#: leaves his laptop open. last night he had a facebook group up where hes been
#: posting photos of kids from his class with nasty jokes").
_PRONOUN_POSTS_ABOUT_PUPILS = re.compile(
    _POSTS_ABOUT_PUPILS.pattern.replace(rf"\b{_ADULT}\b", r"\b(?:he|she|he'?s|she'?s|hes|shes)\b", 1), re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"^\s*(?:is it|are|can|could|should|may|would|will|do|does|am i|are teachers|is a teacher|what if|if)\b"
    r"|\b(?:allowed to|supposed to|is it (?:ok|okay|alright|legal|allowed)|are they allowed)\b",
    re.IGNORECASE,
)
_HAPPENING = re.compile(
    r"\b(?:keeps?|kept|has been|have been|had been|was|were|is \w+ing|started|won't stop|wont stop|"
    r"again|last night|yesterday|every night|all the time|at night|this week|today|"
    # what was seen: "a parent has just shown me screenshots of the head teacher messaging..."
    r"screenshots?|screen ?shots?|shown me|showed me|i(?:'ve| have)? seen|i saw|noticed|found out)\b",
    re.IGNORECASE,
)


def adult_puts_pupils_online(text: str) -> bool:
    """An adult at the school putting pupils on their own social networking
    (photos of the children on her personal Facebook, pupils as his
    followers): said of the adult, not of children doing it."""
    text = text or ""
    adult = _third_party_adult(text)
    return bool(_PUPILS_ON_ACCOUNT.search(text) or _POSTS_ABOUT_PUPILS.search(text) or (adult and (
        _pupils_on_their_account(adult, text) or _PRONOUN_POSTS_ABOUT_PUPILS.search(text, adult.end()))))


def is_disclosure(text: str, intent: Optional[str] = None) -> bool:
    """Does this message tell of an adult at the school in contact with a
    child (the policy's concern: a disclosure, to be filed), wherever it is
    typed? True for "the PE teacher keeps messaging my daughter on Snapchat
    late at night" or "sir added me on insta"; not for "is it OK for a
    teacher to message pupils?" or "my son sent his teacher a follow
    request" (a question about contact, not a report)."""
    if intent == "report_adult_concern":
        return True
    text = text or ""
    if text.startswith("/"):
        return False
    adult = _third_party_adult(text)
    match = _told_of(_DISCLOSURE, text) or (adult and (
        _POSING.search(text) or _ON_THEIR_LIST.search(text) or _PUPILS_IN_THEIR_GROUP.search(text) or _pronoun_for(adult, text)
    )) or _PUPILS_ON_ACCOUNT.search(text) or (adult and (
        _POSTS_ABOUT_PUPILS.search(text) or _pupils_on_their_account(adult, text)
        or _PRONOUN_POSTS_ABOUT_PUPILS.search(text, adult.end())
    ))
    if not match:
        return False
    if _HYPOTHETICAL.search(text) and not _HAPPENING.search(text):
        return False
    if role_said(text) in ("staff", "governor", "parent") and not _A_CHILD_NAMED.search(text):
        return False  # "I am a TA and my colleague keeps messaging me about rotas": the "me" is an adult
    if staffs_relative(text) and not _HARM_TOLD.search(text):
        return False  # "one of our teachers ... his granddaughter ... is he allowed to stay connected?": a family link
    from bot.nlp.decision_cues import colleague_contact_question

    if colleague_contact_question(text):
        return False  # "one of the dinner ladies is friends with a girl who left us ... is that permitted?": the contact question
    return True


#: Harm in an account, whoever the child is to the adult.
_HARM_TOLD = re.compile(
    r"\b(?:secret|don'?t tell|not to tell|nudes?|naked|undress\w*|inappropriate|sexual\w*|groom\w*|threat\w*|abus\w*|hurt\w*|"
    r"scared|frightened|meet (?:up|her|him)|alone with)\b",
    re.IGNORECASE,
)


#: A child in the story other than the writer.
_A_CHILD_NAMED = re.compile(
    r"\b(?:pupils?|students?|child|children|kids?|boys?|girls?|lads?|sons?|daughters?|nieces?|nephews?|grand(?:son|daughter|child)s?|"
    r"(?:year|yr|y) ?\d+s?|class)\b",
    re.IGNORECASE,
)




_PROPOSES = re.compile(
    r"\b(?:proposal|propose|proposing|we(?:'d| would)? (?:like|want) to (?:set up|start|run|launch)|thinking (?:of|about) (?:setting up|starting)|"
    r"(?:set|setting) up a (?:school|class|year \w+|residential|\w+) (?:blog|page|account|channel|group))\b",
    re.IGNORECASE,
)


def proposes(text: str) -> bool:
    """The writer proposes a service of their own ("proposal for the head
    please - Y6 residential blog - run by me + 2 TAs"): no disclosure."""
    return bool(_PROPOSES.search(text or ""))


def tells_of_adult_contacting_writer(text: str) -> bool:
    """A disclosure in which the one the adult at the school contacts is the
    writer ("the lady who helps in our class found me on insta and sent me a
    message saying i look pretty"): in a child's words, a child telling."""
    text = text or ""
    if not is_disclosure(text):
        return False
    # what the adult does is done to the writer ("... found me", "... messaged me"),
    # not only a "me" later on ("... i dont want anyone knowing it came from me")
    for found in _DISCLOSURE.finditer(text):
        if not _ADDRESSED_BEFORE.search(text[max(0, found.start() - 30):found.start()]) and _WRITER_AS_CHILD_ENDS.search(found.group(0)):
            return True
    return False


_WRITER_AS_CHILD_ENDS = re.compile(
    r"\b(?:me|us|my (?:pics?|pictures?|photos?|videos?|vids?|posts?|account|page|profile|insta\w*|snap\w*|tiktok\w*|stories|story))\W*$",
    re.IGNORECASE,
)


#: Someone asking, in the same message, for what they tell us to be filed:
#: "I want to report it", "can I report it through here?", "please log it",
#: "I'd like to formally raise this".
_ASKS_TO_FILE = re.compile(
    r"\b(?:i|we)(?:'d| would)? (?:want|wanna|need|like|wish) to (?:formally |officially )?(?:report|log|record|raise|file|flag)\b"
    r"|^\s*(?:(?:just |really )?(?:want|wanting|need|needing|would like|i'?d like) to|(?:have|got) to) (?:formally |officially )?(?:report|log|raise|flag)\b"
    r"|\b(?:i'?m|im|i am) (?:formally |officially )?(?:reporting|raising|logging|flagging)\b"
    r"|\bcan (?:i|we|you) (?:formally )?(?:report|log|record|raise|file|flag) (?:it|this|that|them|him|her|a concern|bullying|an? \w+)"
    r"(?:(?: \w+){0,3}? (?:through|here|on|via|with|in) (?:here|this|you|the chat|this chat)| (?:here|with you|in this chat))\b"
    r"|\b(?:please|pls|plz|can you|could you|will you) (?:formally )?(?:log|record|report|file|pass on|flag) (?:it|this|that)\b"
    r"|\b(?:log|record|report|file) (?:it|this) (?:for me|please|formally)\b"
    r"|\bcan (?:i|we) (?:log|file|make|submit|raise|put in) (?:a |an )?(?:[\w-]+ )?(?:report|concern|complaint)\b"
    r"|\b(?:i|we)(?:'d| would)? (?:want|wanna|need|like|wish) to (?:make|file|submit|put in|raise|log|lodge) (?:a |an )?(?:[\w-]+ )?(?:report|complaint|concern)\b"
    r"|\b(?:i'?ll|i will|i said i'?d|i'?d like to|i need to|i want to|i have to) pass (?:it|this) on\b"
    # "please pass this on", "can this be passed to whoever deals with it", "i'd like this passed on"
    r"|\b(?:please|pls|plz|can you|could you|will you|would you)\s+pass (?:it|this|that) on\b"
    r"|\b(?:can|could) (?:this|it|that) (?:please )?be (?:passed on|passed to|sent (?:on )?to|forwarded to|logged|recorded|flagged)\b"
    r"|\b(?:i|we)(?:'d| would) like (?:this|it) (?:to be )?(?:passed on|reported|logged|recorded)\b"
    # "i want school to know", "someone should know", "i want this reported", "it needs reporting"
    r"|\b(?:it|this|that|they|he|she) (?:needs|need|should be|ought to be|has to be|must be) (?:reporting|reported|logging|logged|flagging|flagged|passed on)\b"
    r"|\b(?:i|we) (?:want|need|would like|'d like) (?:the )?school to (?:know|be aware)\b"
    # "i want tell school" (in a second language), "i need to let the school know"
    r"|\b(?:i|we) (?:want|wanna|need|would like|'d like)(?: to)? (?:tell|inform|let) (?:the )?school\b"
    r"|\b(?:someone|somebody|the school|school) (?:at (?:the )?school )?(?:should|needs to|ought to|has to|must) (?:know|be told)\b"
    r"|\b(?:i|we) (?:want|need|would like|'d like) (?:this|it|that|him|her|them) (?:reported|logged|recorded|on record|written down)\b"
    # "... kick him out of games. want to report it properly pls"
    r"|\bwant(?:s|ed)? to (?:report|log|record) (?:it|this|that|them) (?:properly|formally|officially|please|pls|plz)\b"
    # "I need to put it in writing to the head", "I'd like to get that on record", "can I do that through you?"
    r"|\b(?:need|want|have|like|wish|got|meant|supposed) to (?:put|get) (?:it |this |that |something )?(?:in writing|on record|on file|down in writing)\b"
    r"|\b(?:get|put|have) (?:it|this|that) (?:on record|in writing|on file|logged|recorded|written down)\b"
    r"|\bcan (?:i|we) do (?:that|this|it) (?:through|via|with|on|in) (?:you|here|this|the chat|this chat)\b|\bcan (?:i|we) do (?:that|this|it) here\b"
    r"|\b(?:can|could|will|would) you (?:please )?(?:put|get) (?:something|this|it|that|a note) (?:in writing|on record|to the head)\b"
    r"|\b(?:have to|need to|must|supposed to|meant to) (?:tell|let|inform|notify) the head\b[^!?]{0,240}?\b(?:can|could|will|would) (?:u|you) "
    r"(?:do|send|pass|file|sort) (?:that|this|it)(?: for me| on| off)?\b"
    r"|\b(?:can|could|would|will) (?:you|u) (?:please )?do (?:that|this|it) for me\b"
    r"|\b(?:can|could|would|will) (?:you|u) (?:please )?pass (?:this|it|that) on\b"
    r"|^\W*(?:i )?(?:need|have|want) to tell (?:someone|somebody|the school|school)\b"
    r"|\b(?:do|sort|fill in|fill out|send|write) the (?:paperwork|form|forms|declaration|letter|notice|written notice)(?: bit)?(?: for me)\b"
    r"|\b(?:want|need|like|would like) (?:it|this|that) (?:on record|recorded|logged|reported|passed on|sent up|written down)\b"
    # "Can it be recorded somewhere that isn't her?", "thought you should know"
    r"|\bcan (?:it|this|that) (?:please )?be (?:recorded|logged|reported|filed|written down|passed on|put on record)\b"
    r"|\b(?:thought|think|felt|feel) (?:you|the school|school|someone|somebody) (?:should|ought to|needs? to) (?:know|be told|be aware)\b",
    re.IGNORECASE,
)


def asks_to_file(text: str) -> bool:
    """Does this message ask for itself to be filed, there and then?"""
    return bool(_ASKS_TO_FILE.search(text or "")) and not (text or "").startswith("/")


#: The writer asking whether they must tell the head ("do i need to declare
#: it or whatever?", "do I have to let the head know?", "should I tell
#: someone?"): for a family link the declaration is the answer, so it is
#: started there and then (they may say "stop").
_ASKS_WHETHER_TO_DECLARE = re.compile(
    r"\b(?:do|shall|should|must|will|would) i (?:\w+ )?(?:need to|have to|got to|be expected to|be meant to)? ?"
    r"(?:declare|disclose|tell|inform|notify|let|write to|email|report|mention)\b"
    r"(?![^?.!]{0,30}\b(?:parents?|mum|dad|family|them|him|her|the (?:child|pupil|kid))\b)"
    r"|\b(?:do|does|will) (?:this|that|it) (?:need|have) to be (?:declared|disclosed|reported|mentioned)\b"
    r"|\b(?:is|am) (?:that|this|it|i) (?:something )?(?:i )?(?:need|have|meant|supposed) to (?:declare|disclose|tell|report|mention)\b",
    re.I,
)


def asks_whether_to_declare(text: str) -> bool:
    """Does this message ask whether the writer must tell the head teacher
    (declare it)? Not "should I tell his mum?"."""
    return bool(_ASKS_WHETHER_TO_DECLARE.search(text or "")) and not (text or "").startswith("/")


#: Someone at the school using social networking against the policy (posting
#: about pupils or parents, naming the school): with a request to file it, a
#: disclosure for the head teacher.
def tells_of_adult_at_school(text: str) -> bool:
    """An adult at the school other than the writer ("I'm a TA and..." names no one else)."""
    colleague = [found for found in re.finditer(r"\b(?:a |my |one of (?:my|our|the) )colleagues?\b", text or "", re.I)
                 if not _ADVISES_AFTER.match(text or "", found.end())]  # ("a colleague said I have to...": advice only)
    return bool(_third_party_adult(text or "") or colleague)


def _head_teacher_name_pattern(school: SchoolProfile) -> Optional[str]:
    """"Mrs J. Example" -> matches "Mrs Example" / "Mrs J. Example" (the title
    matters: "Mr Example" is someone else)."""
    parts = school.head_teacher.name.replace(".", ". ").split()
    if len(parts) < 2:
        return None
    title, surname = parts[0].rstrip("."), parts[-1]
    return rf"\b{re.escape(title)}\.?\s+(\w\.?\s+)*{re.escape(surname)}\b"


def _head_words(school: SchoolProfile) -> str:
    """The head teacher, as people name them (not a deputy or assistant head)."""
    names = [r"the head\b(?!\s+of\b)", r"(?:the\s+|our\s+|my\s+|his\s+|her\s+)?head\s?(?:teacher|mistress|master)\b", r"the principal\b"]
    pattern = _head_teacher_name_pattern(school)
    if pattern:
        names.append(pattern)
    return "(?<!deputy )(?<!assistant )(?<!acting )(?<!vice )(?:" + "|".join(names) + ")"


def concerns_head_teacher(text: str, school: SchoolProfile) -> Optional[bool]:
    """Do these words say the concern is about the head teacher? True ("it's
    about the head", "Mrs Example has been messaging my son", "I want to
    report the head teacher"), False when they say it is not ("it's not about
    the head", "not the head teacher"), None when they do not say ("I told
    the head teacher and nothing happened", "please pass it to the head")."""
    text = text or ""
    head = _head_words(school)
    if _search(rf"\b(?:not|isn'?t|wasn'?t|nothing to do with|no,? (?:it'?s )?not)\s+(?:about\s+|the\s+)?(?:\w+\s+){{0,2}}?{head}", text):
        return False
    claim = (
        r"\b(?:about|concerns?|concerning|involves?|involving|report(?:ing)?|worried about|complain(?:t|ing)? about|"
        r"it'?s|it is|it was|this is|they are|he is|she is|he'?s|she'?s)"
    )
    if _search(rf"{claim}\s+(?:\w+\s+){{0,2}}?{head}", text):
        return True
    if _search(rf"^\W*{head},?\s+(?:herself|himself|themselves)\b", text):
        return True  # "The Head Teacher herself, Mrs Example." (who it is about, in answer)
    if _search(rf"{head}{_DOES_TO_A_CHILD}", text):  # the head does it
        return True
    # "the head teacher has loads of current pupils as friends on her personal
    # facebook"; "it's about the head teacher herself. she's been messaging..."
    if _search(_pupils_on_account(head), text):
        return True
    following = re.search(head, text, re.I)
    if following and re.search(r"^\s*(?:herself|himself)?[.!,]", text[following.end():]) and \
            _PRONOUN_DOES.search(text[following.end():]):
        return True
    return None


def mentions_head_teacher(text: str, school: SchoolProfile) -> bool:
    """The concern is about the head teacher ("the head", "headteacher",
    the head's own name); not a deputy or assistant head."""
    text = text or ""
    cleaned = re.sub(r"\b(deputy|assistant|acting|vice)\s+head(\s?teacher|mistress|master)?\b", " ", text, flags=re.I)
    if _search(r"\bhead\s?(teacher|mistress|master)\b|\bthe head\b|\bprincipal\b", cleaned):
        return True
    pattern = _head_teacher_name_pattern(school)
    return bool(pattern and _search(pattern, text))


# --- the form -----------------------------------------------------------------------


def spec(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise ValueError(f"unknown record kind {kind!r}")
    return SPECS[kind]


def required_slots(kind: str, role: Optional[str]) -> List[str]:
    """What the record needs from this person: staff and pupils are not asked
    for contact details (the school can reach them), declarations and
    proposals are from staff."""
    s = spec(kind)
    slots: List[str] = [ROLE] if s.asks_role else []
    slots += [ACCOUNT, NAME]
    if role not in ("staff", "pupil") and s.asks_role:
        slots.append(CONTACT)
    slots.append(CONFIRMED)
    return slots


def recipient(kind: str, about_head: Optional[bool], school: SchoolProfile) -> str:
    if kind == CONCERN_REPORT:
        return school.dsl.name
    if kind == DISCLOSURE and about_head:
        return f"the chair of governors, {school.chair_of_governors.name}"
    return school.head_teacher.name


def intro(kind: str, school: SchoolProfile, about_head: Optional[bool] = False, danger: bool = False) -> str:
    who = recipient(kind, about_head, school)
    if kind == DISCLOSURE and about_head is None:
        who = f"{school.head_teacher.name} (or, if it concerns the head teacher, the chair of governors)"
    text = spec(kind).intro.format(
        recipient=who,
        dsl_name=school.dsl.name,
        head_teacher_name=school.head_teacher.name,
    )
    if kind == DISCLOSURE and about_head:
        text += (
            " Because it concerns the head teacher, it goes to the chair of governors instead, "
            "and the head teacher will not see it."
        )
    if kind in (DISCLOSURE, CONCERN_REPORT) and not danger:
        text += f" If a child is in immediate danger, call {school.police_emergency} first."
    return text


#: A child's report is filed as soon as they have told us something (the
#: form's questions then add to it): a child who closes the chat after telling
#: has still been heard, and nothing they told is left in a draft to expire.
FILED_AT_ONCE_KINDS = (DISCLOSURE, CONCERN_REPORT)


#: Adults at the school who are not the head teacher, whatever the head is called.
_NOT_A_HEAD_ROLE = re.compile(
    r"\b(?:teaching assistants?|tas?|dinner lad(?:y|ies)|lunchtime supervisors?|midday supervisors?|caretaker|cleaner|coach(?:es)?|"
    r"instructors?|volunteer|helpers?|club (?:leader|worker|staff|man|woman|lady|helper|instructor)|senco|supply|cover)\b",
    re.IGNORECASE,
)


def names_someone_not_the_head(text: str, school: SchoolProfile) -> bool:
    """Does a child's account name the adult as someone who cannot be the head
    teacher ("mr jones the TA", "the dinner lady miss rookwood", "miss
    hartley")? Not for "my teacher" or "sir": that might be the head."""
    adult = _third_party_adult(text or "")
    if adult is None or _search(_head_words(school), adult.group(0)):
        return False
    around = (text or "")[adult.start():adult.end() + 30]
    if _NOT_A_HEAD_ROLE.search(around):
        return True
    named = re.match(r"(?:mr|mrs|ms|miss|dr)\.?\s+(?:[a-z]\.?\s+)?([a-z][\w'-]*)", around, re.IGNORECASE)
    if named and named.group(1).lower() in {"is", "has", "keeps", "said", "says", "sent", "added", "messaged", "follows", "followed"}:
        named = None  # "miss keeps messaging me": no name
    head_surname = school.head_teacher.name.replace(".", " ").split()[-1].lower()
    return bool(named) and named.group(1).lower() != head_surname


def filed_early_value(reference: str, about_head: bool) -> str:
    """What the FILED_EARLY slot holds: the reference, and whether it went as about the head teacher."""
    return f"{reference}:head" if about_head else reference


def parse_filed_early(value: object) -> Optional[Tuple[str, bool]]:
    """(reference, about the head teacher) from the FILED_EARLY slot; None when
    nothing was filed early (or the slot holds anything else)."""
    if not isinstance(value, str) or not value:
        return None
    reference, _, head = value.partition(":")
    return (reference, head == "head") if head in ("", "head") else None


def filed_at_once_key(conversation_id: str, filing_id: str) -> str:
    """The confirmation a child's report was filed under at once: only this
    conversation's filing can add to it."""
    return f"{conversation_id}:{filing_id}:told"


def _child_recipient(kind: str, school: SchoolProfile, about_head: Optional[bool]) -> Tuple[str, str]:
    """Who a child's report goes to, and who they are, in a child's words."""
    if kind == DISCLOSURE and about_head:
        return school.chair_of_governors.name, "who looks after the school's head teacher"
    if kind == DISCLOSURE:
        return school.head_teacher.name, "the head teacher"
    return school.dsl.name, "who helps keep children safe at our school"


def child_intro(kind: str, school: SchoolProfile, about_head: Optional[bool] = False, passed_on: bool = False) -> str:
    """What a child hears as their words are passed on: who gets them, in a
    child's words (no "LADO", no "named child protection person"; 999, when
    they may be in danger, is said before this: danger_first). `passed_on`:
    what they told has already been filed (FILED_AT_ONCE_KINDS)."""
    who = ", ".join(_child_recipient(kind, school, about_head))
    if passed_on:
        return (
            f"I have passed what you told me on to {who}, so that the grown-ups at school can help keep you safe. "
            "I just need to ask you one or two things so that they can find you."
        )
    return (
        f"I am going to pass this on to {who}, so that the grown-ups at school can help keep you safe. "
        'I just need to ask you one or two things first. You can say "stop" at any time.'
    )


def cancelled_after_passing_on(kind: str, school: SchoolProfile, about_head: Optional[bool] = False) -> Reply:
    """A child's "stop" after what they told was already passed on: honest
    about what has gone, and nothing more is added."""
    who, _ = _child_recipient(kind, school, about_head)
    return Reply(
        text=(
            f"OK, I have stopped. What you told me at the start has already gone to {who}, so that a grown-up "
            "at school can help you; nothing more has been added. You can always talk to your class teacher, "
            f"or to Childline on {CHILDLINE}."
        )
    )


def danger_first(school: SchoolProfile, filing: bool = True) -> str:
    """Said before anything else when a message says a child may be in danger now."""
    text = DANGER_FIRST.format(police_emergency=school.police_emergency)
    return text if filing else text.split(" I'll keep")[0]


PUPIL_ACCOUNT_MORE = (
    "Thank you for telling me. Is there anything else you want to tell me about what happened? "
    "You can just say no."
)


def question(slot: str, kind: str, role: Optional[str], told: bool = False) -> Reply:
    """The form's question for `slot`. `told`: the person has already told
    what happened (a child's earlier messages are the account's opening)."""
    s = spec(kind)
    if slot == ROLE:
        return Reply(
            text="First, are you a parent or carer, a member of staff, a pupil, or someone else?",
            buttons=[{"title": title, "payload": f'/inform{{"filer_role": "{value}"}}'} for title, value in ROLE_BUTTONS],
        )
    if slot == ACCOUNT:
        if role == "pupil" and kind in (DISCLOSURE, CONCERN_REPORT):
            return Reply(text=PUPIL_ACCOUNT_MORE if told else PUPIL_ACCOUNT)
        text = s.account_question
        return Reply(text=text)
    if slot == NAME:
        if role == "pupil":
            return Reply(text="What is your name, and which class are you in?")
        if s.name_required:
            return Reply(text="What is your name?")
        return Reply(text='What is your name? You can say "skip" if you would rather not give it.')
    if slot == CONTACT:
        return Reply(
            text=(
                "How can the school get back to you? An email address or phone number is best, "
                'or say "skip".'
            )
        )
    raise ValueError(f"no question for slot {slot!r}")


MAX_NAME_CHARS = 100
#: An answer this long to "are you a parent, staff...?" is the account itself.
ACCOUNT_MIN_WORDS = 12
ACCOUNT_KEPT = "Thank you: I have kept that, in your words, as what happened."
ROLE_MOVED_ON = (
    "Thank you. I'll put you down as \u201csomeone else\u201d for now; you can change it before "
    "I file anything."
)
NAME_AS_TYPED = "Thank you. I'll put your name down just as you wrote it; you can change it before I file anything."
NAME_LEFT_OUT = (
    "All right: I'll file it without your name. The head teacher may ask you for it, because a "
    "written notice needs to say who it is from."
)
CONTACT_AS_TYPED = "Thank you. I'll note that as how to reach you, just as you wrote it."


NAME_SKIPPED = "All right: I'll leave your name out."
CONTACT_LEFT_OUT = "All right: I'll leave that out. The school can still act on what you have told me."
WHY_CONTACT = ("So that the person who deals with it can get back to you, if they need to know more or to tell you "
               "what happens; only they see it. You don't have to: say \"skip\" and I'll leave it out.")
_WHY_CONTACT = re.compile(r"\b(?:why|what for|how come|what do you need|who (?:will|would|gets to) see)\b", re.IGNORECASE)


def asks_why_contact(text: str) -> bool:
    """"why do you need to know that?" when asked how the school can get back to them."""
    return bool(_WHY_CONTACT.search(text or ""))


#: Asking whether they must give their name ("does it have to have my name on it?").
_ASKS_ABOUT_NAME = re.compile(
    r"\b(?:do|does|must|will|would|have) (?:i|it|you|they|this|that)\b[^?]{0,30}?\b(?:my name|give (?:my|a) name|say who i am|know (?:it was|it'?s|who) me)\b"
    r"|\b(?:anonymous\w*|without my name|not give my name|leave my name (?:off|out))\b",
    re.IGNORECASE,
)


def asks_about_giving_name(text: str) -> bool:
    return bool(_ASKS_ABOUT_NAME.search(text or ""))


#: Words before an answer that are not the answer ("fine, Dean Hollis").
_LEADING_FILLER = re.compile(r"^\W*(?:(?:oh )?(?:fine|ok|okay|alright|all right|go on(?: then)?|sure|yes|yeah|right|whatever|oh well)\W+)+", re.IGNORECASE)


def without_leading_filler(text: str) -> str:
    """"fine, Dean Hollis" -> "Dean Hollis"."""
    return _LEADING_FILLER.sub("", text or "")


def about_giving_name(required: bool) -> Reply:
    """The answer to "do I have to give my name?" while being asked for it."""
    if required:
        return Reply(text="A written notice to the head teacher needs your name, so they know who it is from; only the "
                          "people who act on it see it. If you would rather not, say \"skip\" and I will file it without.")
    return Reply(text="No, you don't have to: say \"skip\" and I will file it without your name. With your name, the "
                      "school can come back to you; only the people who act on it see it.")


def name_needed() -> Reply:
    return Reply(
        text=(
            "A written notice to the head teacher needs your name, so they know who it is from. "
            'Please type your name, or say "stop" to leave it.'
        )
    )


def role_not_understood() -> Reply:
    reply = question(ROLE, DISCLOSURE, None)
    return Reply(text="Sorry, I didn't catch that. " + reply.text, buttons=reply.buttons)


#: A child, asked what happened, says they are afraid to tell ("no dont tell
#: anyone he will get in big trouble and it will be my fault").
_AFRAID_TO_TELL = re.compile(
    r"(?:^\s*|\b(?:no|pls|please|but|just|and)[,\s]+)(?:don'?t|dont|do not) tell\b|\b(?:(?:my|be my) fault|(?:get|be|am|i'?m|im) in (?:big |so much )?trouble|"
    r"(?:don'?t|dont) want (?:to|2) (?:say|tell)|i(?:'m| am|m)? (?:too )?scared to (?:say|tell)|he'?ll be (?:cross|angry)|"
    r"she'?ll be (?:cross|angry)|promised not to tell)\b",
    re.IGNORECASE,
)


_STOP_WORDS = re.compile(
    r"\b(?:stop|cancel\w*|quit|exit|abort|forget (?:it|about it|this)|never ?mind|nevermind|leave it|scrap (?:it|that)|"
    r"don'?t (?:want to )?(?:file|report|send|do) (?:it|this|anything)|changed my mind|no thanks|not now|go back|start again)\b",
    re.IGNORECASE,
)


def says_stop(text: str) -> bool:
    """Do these words ask to stop filing ("stop", "cancel", "forget it",
    "I've changed my mind")?"""
    return bool(_STOP_WORDS.search(text or ""))


#: Someone else's words to the child ("sent me a message saying add me but
#: dont tell your mum"): their "don't tell" is what the child is telling, not fear.
_TO_THE_CHILD_AFTER = re.compile(r"^\W*(?:your|ur|yer)\b", re.IGNORECASE)


def afraid_to_tell(text: str) -> bool:
    """A child afraid to tell ("pls dont tell on her", "i'll get in trouble"),
    not a child telling what someone else said to them."""
    text = text or ""
    if is_disclosure(text):
        return False
    return any(not _TO_THE_CHILD_AFTER.search(text[m.end():]) for m in _AFRAID_TO_TELL.finditer(text))


def reassure_child() -> Reply:
    """What a child who is afraid to tell hears before being asked again."""
    return Reply(text=(
        "You are not in trouble, and you have not done anything wrong. This is something the grown-ups "
        "at school need to know to keep you safe, and it only goes to the people whose job is to help. "
        "When you're ready, can you tell me what happened?"
    ))


def empty_answer() -> Reply:
    return Reply(text="I didn't receive any words there.")


def account_too_long(limit: int) -> Reply:
    return Reply(
        text=(
            f"That is longer than I can take in one message ({limit:,} characters). Please send it "
            "in shorter parts: I'll add each part to your account before anything is filed."
        )
    )


@dataclass(frozen=True)
class Draft:
    """The answers so far, decrypted (held only in memory by the action)."""

    kind: str
    role: Optional[str]
    account: str
    name: Optional[str]
    contact: Optional[str]
    opening: Optional[str] = None
    topic: Optional[str] = None
    about_head: Optional[bool] = False

    def after_opening(self) -> Optional[str]:
        """The answer, as it adds to the first message: None when it adds
        nothing ("anything else?" "no", or the first message typed again)."""
        if not self.account.strip():
            return None
        if self.opening and self.opening.strip() and (adds_nothing(self.account) or self.account.strip() == self.opening.strip()):
            return None
        return self.account

    def filed_account(self) -> str:
        """The account as it is filed: the first message (when it said more
        than "I want to report") and the answer, each exactly as typed."""
        if self.opening and self.opening.strip() and self.account.strip() == self.opening.strip():
            return self.account  # typed twice: once
        return "\n\n".join(part for part in (self.opening, self.after_opening()) if part and part.strip())

    def details(self) -> Dict[str, object]:
        """Non-sensitive facts stored in the clear with the record (routing only)."""
        details: Dict[str, object] = {}
        if self.kind == DISCLOSURE:
            details["about_head_teacher"] = bool(self.about_head)
        if self.topic:
            details["topic"] = self.topic
        return details

    def content_hash(self) -> str:
        joined = "\x1f".join(str(v) for v in (self.kind, self.role, self.filed_account(), self.name, self.contact))
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def idempotency_key(conversation_id: str, filing_id: str, draft: Draft) -> str:
    """One confirmation of one draft: a repeated or double-clicked
    confirmation files once; a draft corrected after a failed attempt is a
    new confirmation."""
    return f"{conversation_id}:{filing_id}:{draft.content_hash()}"


def _what(draft: Draft) -> str:
    text = spec(draft.kind).what
    return text.format(topic=TOPIC_LABELS.get(draft.topic or "", "a concern"))


def readback(draft: Draft, asked: Sequence[str], school: Optional[SchoolProfile] = None, passed_on: bool = False) -> Reply:
    """The summary to check before filing. Shows only what was asked, and
    for a disclosure or report, who it goes to. `passed_on`: a child's report
    already filed when they told us (FILED_AT_ONCE_KINDS): this is what will
    be added to it."""
    first = "Please check this before I add it to what I have passed on:" if passed_on else "Please check this before I file it:"
    lines = [first, f"• What: {_what(draft)}"]
    if school is not None and draft.kind in (DISCLOSURE, CONCERN_REPORT):
        goes_to = recipient(draft.kind, draft.about_head, school)
        if draft.kind == DISCLOSURE and draft.about_head:
            goes_to += " (it concerns the head teacher, who will not see it)"
        lines.append(f"• Goes to: {goes_to}")
    who = draft.name if draft.name else "(no name given)"
    label = ROLE_LABELS.get(draft.role or "", "")
    lines.append(f"• From: {who}" + (f" ({label})" if label else ""))
    if CONTACT in asked:
        lines.append(f"• Reach you at: {draft.contact or '(not given)'}")
    if draft.opening and adds_nothing(draft.account):
        lines.append(f"• In your words: \u201c{draft.opening}\u201d")
    else:
        lines.append(f"• In your words: \u201c{draft.account}\u201d")
    if draft.opening and draft.opening.strip() != draft.account.strip() and not adds_nothing(draft.account):
        lines.append("  (with your first message, also exactly as you typed it)")
    lines.append("")
    if school is not None and draft.kind == DISCLOSURE and not draft.about_head:
        lines.append(
            f"Is it about the head teacher, {school.head_teacher.name}? If it is, tell me, and it will go "
            "to the chair of governors instead."
        )
    elif school is not None and draft.kind == DISCLOSURE:
        lines.append('If it is not about the head teacher after all, tell me ("it\'s not about the head").')
    lines.append("Is that right? Shall I add it now?" if passed_on else "Is that right? Shall I file it now?")
    return Reply(
        text="\n".join(lines),
        buttons=[
            {"title": "Yes, file it", "payload": "/affirm"},
            {"title": "Change something", "payload": "/deny"},
            {"title": "Cancel: don't file it", "payload": "/stop"},
        ],
    )


def what_to_change(asked: Sequence[str]) -> Reply:
    buttons = [{"title": "What happened", "payload": f'/inform{{"filing_change": "{ACCOUNT}"}}'}]
    if NAME in asked:
        buttons.append({"title": "My name", "payload": f'/inform{{"filing_change": "{NAME}"}}'})
    if CONTACT in asked:
        buttons.append({"title": "How to reach me", "payload": f'/inform{{"filing_change": "{CONTACT}"}}'})
    if ROLE in asked:
        buttons.append({"title": "Who I am", "payload": f'/inform{{"filing_change": "{ROLE}"}}'})
    buttons.append({"title": "Cancel: don't file it", "payload": "/stop"})
    return Reply(
        text='No problem. What would you like to change? (If it is all right after all, say "yes".)',
        buttons=buttons,
    )


def normalised(text: str) -> str:
    """Lower case, single spaces, no surrounding punctuation: for comparing
    what someone typed twice."""
    return re.sub(r"\s+", " ", (text or "").strip().strip(".!").lower())


def added_to_account() -> str:
    return "Thank you, I've added that to your account."


# --- after filing -------------------------------------------------------------------

ROLE_REFS = {
    "parent": "child-protection.from-parent",
    "staff": "child-protection.from-staff",
    "pupil": "child-protection.from-child",
}


def _disclosure_next_steps(draft: Draft, school: SchoolProfile) -> Tuple[List[str], List[str]]:
    refs = ["child-protection.record", "child-protection.refer-lado", "child-protection.await-lado-advice"]
    who = (
        f"the chair of governors, {school.chair_of_governors.name}, because it concerns the head teacher"
        if draft.about_head
        else f"{school.head_teacher.name}, the {school.head_teacher.role}"
    )
    parts = [
        f"What happens next: it goes to {who}, who records it in line with the child protection "
        f"policy and refers it to the {school.lado_name}. The LADO investigates with the "
        f"{school.police_team}, and advises whether the member of staff should be suspended; it is "
        "not recommended that any action is taken until that advice has been given."
    ]
    if draft.role == "parent":
        parts.append(
            "You have done the right thing, and you are not on your own with this: the school "
            "will explain each step of the process to you as it happens."
        )
    elif draft.role == "staff":
        parts.append("What you have reported will be kept confidential as far as possible.")
    elif draft.role == "pupil":
        parts.append(
            "You did the right thing telling us. This has to go to the grown-ups whose job is to "
            "keep you safe, so it can't stay private: the school will follow its child "
            f"protection procedure, and {school.dsl.name} may talk to you about it. If you feel "
            "unsafe now, tell a teacher or another adult you trust straight away."
        )
    if draft.role in ROLE_REFS:
        refs.insert(2, ROLE_REFS[draft.role])
    return parts, refs


#: After a concern report: what the policy asks for that kind of concern, and
#: the clauses that say so.
CONCERN_NEXT_STEPS: Dict[str, Tuple[str, List[str]]] = {
    "improper_contact": (
        "The policy also asks for improper contact to be reported to the class teacher, in "
        "confidence, as soon as it happens.",
        ["pupils.report-concerns"],
    ),
    "cyberbullying": (
        "The school has a zero tolerance to cyberbullying. The policy also asks for it to be "
        "reported to the class teacher, in confidence, as soon as it happens.",
        ["pupils.zero-tolerance", "pupils.report-concerns"],
    ),
    "working_day_use": (
        "The policy asks for any evidence of social networking during the working day to go "
        "to the named child protection person.",
        ["staff.report-working-day-use"],
    ),
    "child_needs_help": (
        "Please tell your class teacher or a grown-up you trust today as well. If you are in "
        "danger right now, call 999. You can talk to Childline any time, free, on 0800 1111.",
        ["pupils.report-concerns"],
    ),
}


def filed(draft: Draft, reference: str, school: SchoolProfile) -> Reply:
    """What the person is told once the record is committed."""
    opening = f"Thank you. It is filed. Your reference is {reference}: please keep it if you need to follow this up."
    if draft.kind == DISCLOSURE:
        parts, refs = _disclosure_next_steps(draft, school)
    elif draft.kind == FAMILY_LINK_DECLARATION:
        parts = [
            f"This is your written notice to {school.head_teacher.name}, the {school.head_teacher.role}. "
            "Remember that, even with a family link, it is not appropriate to network with them "
            "during the working day on school equipment."
        ]
        refs = ["staff.family-links", "work-time.personal-use"]
    elif draft.kind == SERVICE_PROPOSAL:
        parts = [
            f"Your proposal is now waiting for approval by {school.head_teacher.name}, the "
            f"{school.head_teacher.role}. Please do not launch it until it has been approved. "
            "Once it is running, the policy's Terms of Use apply to it."
        ]
        refs = ["school-service.approval", "school-service.terms-apply"]
    else:
        what_policy_asks, refs = CONCERN_NEXT_STEPS.get(draft.topic or "", CONCERN_NEXT_STEPS["improper_contact"])
        parts = [
            f"It goes to {school.dsl.name}, the school's named child protection person, who will "
            "look into it. " + what_policy_asks
        ]
        if draft.role == "pupil":
            parts.append("You did the right thing telling us.")
    return Reply(text="\n\n".join([opening] + parts), custom={"reference": reference, "policy_refs": list(refs)})


def _contact_person(kind: str, about_head: bool, school: SchoolProfile):
    """Whom to contact directly when the assistant cannot take the record."""
    if kind == DISCLOSURE and about_head:
        return school.chair_of_governors
    if kind in (CONCERN_REPORT, DISCLOSURE):
        return school.dsl
    return school.head_teacher


def not_filed(kind: str, about_head: bool, school: SchoolProfile) -> Reply:
    """The database could not take the record: say so plainly, never a reference."""
    person = _contact_person(kind, about_head, school)
    contact = f" ({person.contact})" if person.contact else ""
    return Reply(
        text=(
            "I'm sorry: I could not file this just now, so it has not been filed yet and there is "
            "no reference. Your answers are still here: please try again in a moment, or contact "
            f"{person.name}, the {person.role}{contact}, directly."
        ),
        buttons=[
            {"title": "Try again", "payload": "/affirm"},
            {"title": "Cancel: don't file it", "payload": "/stop"},
        ],
    )


def cannot_start(kind: str, about_head: bool, school: SchoolProfile) -> Reply:
    """Filing cannot start (the records database is down): nothing is kept."""
    person = _contact_person(kind, about_head, school)
    contact = f" ({person.contact})" if person.contact else ""
    return Reply(
        text=(
            "I'm sorry: I can't take a report just now because of a problem on my side, so nothing "
            "has been recorded. Please try again in a few minutes, or contact "
            f"{person.name}, the {person.role}{contact}, directly. If a child is in immediate danger, "
            f"call {school.police_emergency} now."
        )
    )


def cancelled() -> Reply:
    return Reply(
        text=(
            "OK, I have stopped, and nothing has been filed. If you change your mind, just tell me "
            "you'd like to report something."
        )
    )


def offer(kind: str, school: SchoolProfile) -> Tuple[str, List[Dict[str, str]]]:
    """The sentence and buttons that offer to file after an answer."""
    texts = {
        DISCLOSURE: f"Would you like me to file this now for {school.head_teacher.name}?",
        FAMILY_LINK_DECLARATION: (
            f"Would you like me to file your declaration now, as your written notice to {school.head_teacher.name}?"
        ),
        SERVICE_PROPOSAL: f"Would you like me to file your proposal now, for {school.head_teacher.name} to approve?",
        CONCERN_REPORT: f"Would you like me to file a report now for {school.dsl.name}?",
    }
    return texts[kind], [
        {"title": "Yes, file it now", "payload": "/affirm"},
        {"title": "No, thanks", "payload": "/deny"},
    ]


def role_from_metadata(metadata: Optional[Mapping[str, object]]) -> Optional[str]:
    """The role of a signed-in user, as the widget's channel passes it
    (validated server-side) in message metadata: {"user": {"role": ...}}."""
    user = (metadata or {}).get("user") if isinstance(metadata, Mapping) else None
    role = user.get("role") if isinstance(user, Mapping) else None
    return role if role in ROLES else None


# --- offering to file after an answer ----------------------------------------------

#: Intents that start filing by themselves: the person is reporting or
#: declaring something, or asking how to (the answer is given first).
START_FOR_INTENT: Dict[str, Tuple[str, Optional[str]]] = {
    "report_adult_concern": (DISCLOSURE, "adult_at_school"),
    "declare_family_link": (FAMILY_LINK_DECLARATION, None),
    "ask_school_service_approval": (SERVICE_PROPOSAL, None),
    "ask_how_to_report_concern": (CONCERN_REPORT, "improper_contact"),
    "ask_report_working_day_use": (CONCERN_REPORT, "working_day_use"),
}
#: Readings about social networking in the working day (pupils' or staff's):
#: with a request to pass on what was seen, a report of that use.
WORKING_DAY_USE_INTENTS = frozenset({
    "ask_report_working_day_use", "ask_pupil_use_in_school", "ask_mobile_phones", "ask_firewall_breach", "ask_personal_use_at_work",
})
#: Policy answers after which the assistant offers to file, and what.
OFFER_FOR_INTENT: Dict[str, Tuple[str, Optional[str]]] = {
    "ask_disclosure_process": (DISCLOSURE, "adult_at_school"),
}
#: Decisions after which the assistant offers to file, and what.
OFFER_FOR_DECISION: Dict[str, Tuple[str, Optional[str]]] = {
    "permitted_declare_to_head_teacher": (FAMILY_LINK_DECLARATION, None),
    "not_school_responsibility": (CONCERN_REPORT, "cyberbullying"),
    "school_must_investigate": (CONCERN_REPORT, "cyberbullying"),
    "school_must_investigate_and_warn_parents": (CONCERN_REPORT, "cyberbullying"),
    "school_may_limit_to_in_school_bullying": (CONCERN_REPORT, "cyberbullying"),
    "refer_to_police": (CONCERN_REPORT, "cyberbullying"),
}


def offer_slot_value(kind: str, topic: Optional[str]) -> str:
    return f"{kind}:{topic}" if topic else kind


def with_offer(reply: Reply, kind: str, school: SchoolProfile) -> Reply:
    """The answer, then the offer to file (a sentence and two buttons)."""
    text, buttons = offer(kind, school)
    return Reply(text=reply.text + "\n\n" + text, buttons=list(reply.buttons) + buttons, custom=reply.custom)


# --- names ----------------------------------------------------------------------------

_NAME_PREFIX = (
    r"^\s*(?:(?:hi|hello|hiya|yes|yeah|ok|okay|sure|of course)[,!.]?\s+)*"
    r"(?:my name is|my name's|my names|name is|name:|i'?m called|i am called|i'?m|i am|im|it'?s|its|this is|call me|"
    r"you can call me|it is)\s+"
)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "rev", "prof"}
_NOT_A_NAME = {
    "want", "report", "teacher", "school", "happened", "help", "know", "sure", "think", "worried",
    "concern", "message", "messages", "because", "should", "would", "could", "please", "about",
    "the", "a", "an", "and", "but", "or", "so", "my", "his", "her", "their", "our", "your", "is", "was", "are",
    "i", "me", "he", "she", "they", "it", "this", "that", "from", "in", "at", "on", "of", "for", "to", "with",
    "year", "class", "parent", "mum", "dad", "governor", "staff", "pupil", "not", "no", "yes", "keep", "don't",
    "dont", "name", "anonymous", "here", "there", "just", "only", "also", "really", "very", "who", "what",
}
#: Words of a sentence, not of a name, when written in lower case ("ok u can
#: tell but only mrs hughes"; "Will Smith" is a name).
_SENTENCE_WORDS = {
    "ok", "okay", "u", "ur", "you", "can", "cant", "can't", "tell", "told", "telling", "will", "wont", "won't",
    "do", "did", "does", "doesnt", "didnt", "go", "get", "got", "said", "say", "says", "like", "sorry", "thanks",
    "thank", "know", "dunno", "if", "then", "when", "why", "how", "be", "been", "am", "im", "were", "had", "has",
    "have", "trouble", "fault", "scared", "secret", "anyone", "someone", "nobody", "everyone", "him", "them",
}
#: Where a name stops: a comma, a bracket, a dash, a full stop that is not an
#: initial's or a title's, or the start of another clause.
_NAME_END = re.compile(
    r"\s*(?:[,;:(\[/]|\s[-\u2013\u2014]\s|(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|Mx))(?<!\bMrs)\.(?:\s|$)|!|\?|\n)"
    r"|\s+(?:but|and|i'?m|i am|im|from|here|in|year|the|a|an|who|please|if|as|at|of|class|yr)\b"
    r"|\s+(?:y(?=\d)|\d{1,2}[A-Za-z]{0,2}\b)",  # "alfie 4W", "Mia y3": a class after the name
    re.IGNORECASE,
)
_CLASS = re.compile(r"\b(?:year|yr|y)\s*(\d{1,2}|r|reception)\b|\b(?:class|form)\s+\w+|\b\d[A-Za-z]\b", re.IGNORECASE)


def _name_words(candidate: str) -> Optional[str]:
    """The candidate when it reads as a name: 1 to 4 words (a title and
    initials besides), letters, apostrophes and hyphens only."""
    words = candidate.split()
    if not words:
        return None
    core = [w for w in words if w.lower().rstrip(".") not in _TITLES and not re.fullmatch(r"[A-Za-z]\.?", w)]
    if not core and len(words) >= 2:  # "Mrs J." is too little; "Mr K" is a name
        core = words[-1:]
    if not 1 <= len(core) <= 4 or len(words) > 6:
        return None
    for word in words:
        if not re.fullmatch(r"[^\W\d_][\w'\u2019.-]*", word):
            return None
    if {w.lower().strip(".'") for w in core} & _NOT_A_NAME:
        return None
    if {w.strip(".'") for w in core if not w[:1].isupper()} & _SENTENCE_WORDS:
        return None
    return " ".join(words)


def clean_name(text: str, pupil: bool = False) -> Optional[str]:
    """The name in an answer to "what is your name?", or None when the answer
    does not hold one. Takes the name from how people answer: "Priya Shah,
    Year 2 TA." -> "Priya Shah"; "it's Jo, but please don't pass my name on"
    -> "Jo"; "I'm Tom" -> "Tom". Pupils are asked for their class too
    ("Sam, Year 5" -> "Sam, Year 5")."""
    text = (text or "").strip()
    if not text or text.startswith("/"):
        return None
    rest = re.sub(_NAME_PREFIX, "", text, count=1, flags=re.IGNORECASE).strip()
    end = _NAME_END.search(rest)
    candidate = (rest[: end.start()] if end else rest).strip().strip(".!'\"")
    name = _name_words(candidate)
    if name is None:
        # "I'm the Year 2 TA, Priya Shah": a run of capitalised words elsewhere
        for match in re.finditer(r"\b(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+)?[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+){0,2}\b", text):
            name = _name_words(match.group(0))
            if name and match.start() > 0:
                break
            name = None
    if name is None:
        return None
    if pupil:
        found = _CLASS.search(text)
        if found and found.group(0).lower() not in name.lower():
            return f"{name}, {found.group(0)[0].upper()}{found.group(0)[1:]}"
    return name


_NO = r"^\s*(no|nope|nah|not quite|not really|that'?s wrong|wrong|incorrect|not right|that'?s not right)\b"


def is_no(text: str) -> bool:
    return _search(_NO, text or "")


_CORRECTION = (
    r"\b(change|wrong|incorrect|mistake|actually|update|instead|typo|fix|edit|amend|misspel\w*|should (be|say|read))\b"
)


def is_correction(text: str) -> bool:
    """"Actually my email is …", "change my name", "that's wrong"."""
    return _search(_CORRECTION, text or "")
