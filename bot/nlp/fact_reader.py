"""Facts the entity patterns cannot see: negations, contrasts and what is
implied.

The spaCy patterns (data/spacy) find phrases: "pupils", "Year 9", "16".
They cannot see "she was never one of yours", "isn't at Moat Farm", "a girl I
taught in Year 6" or "he's finished uni now". This module reads a whole
message for those, and says which decision facts it changes:

- who the young person is: `current_pupil`, `ex_pupil` (taught here before,
  has left, is at secondary school now), `not_a_pupil` (never at this
  school), or, for cyberbullying, `other_school`;
- how old they are now: from a year group above the school's ("in Year 9
  now" is 13), from time since they were taught ("I taught him in Year 6,
  ten years ago" is 20 or more; "back in 2015"), or as an adult ("finished
  uni", "mid twenties", "has kids of her own").

Anyone of 12 or over is not a current pupil of a junior school, whatever
word was used for them; anyone of 18 or over is an adult whatever else is
true. Pure Python; the actions apply it (actions/decisions.py).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, List, Optional

from bot.nlp.spelling import normalise
from bot.school import SchoolProfile

_I = re.IGNORECASE

_SCHOOL_WORDS = r"(?:this school|our school|the school|your school|here|ours|yours|mine|us|moat farm|{school})"

_NOT_HERE = (
    r"\b(?:isn'?t|is not|aren'?t|are not|wasn'?t|was not|weren'?t|were not|never|not|no longer|has never been|have never been)\s+"
    r"(?:been\s+)?(?:at|in|from|to|one of|a pupil (?:at|of)|pupils? (?:at|of)|part of|with)\s+" + _SCHOOL_WORDS +
    r"|\bnever (?:been )?one of (?:ours|yours|mine|us|my pupils|our pupils)\b"
    r"|\b(?:goes|go|went|is|are|she'?s|he'?s|they'?re)\s+(?:to|at)\s+(?:a different|another|the other|a|an|the)\s+"
    r"(?:school|academy|primary|secondary|high school|grammar(?: school)?|comprehensive|college)\b"
    r"|\b(?:only ever|always) been at (?:schools?|a school|another school|a different school|st\.? \w+|saint \w+)\b"
    r"|\bnever (?:once )?(?:set foot|been) in " + _SCHOOL_WORDS +
    r"|\b(?:at|from|goes to) the (?:grammar|academy|comp|high school|secondary)\b"
    r"|\b(?:at|from) (?:the )?(?:academy|grammar school|high school|secondary school|comprehensive) (?:in|down|across|near|up)\b"
    r"|\b(?:doesn'?t|doesnt|dosent|dosnt|don'?t|dont|never) (?:even )?(?:go|went|goes) (?:to )?" + _SCHOOL_WORDS +
    r"|\bgoes to (?:st\.? |saint )\w+|\b(?:goes|go) to [A-Z]\w+(?:'s)? (?:school|primary|academy|juniors?)\b"
    r"|\b(?:never|not|isn'?t|wasn'?t|has never|have never)\s+(?:been\s+)?(?:a\s+)?(?:pupils?|students?)\s+(?:here|of ours|at ours|with us)\b"
    r"|\bnone of them (?:have |has |had )?(?:ever )?(?:been|gone|go|went) (?:to|at|in) " + _SCHOOL_WORDS +
    r"|\b(?:goes|go|went) to (?:school|primary|secondary|a school) (?:in|over in|down in|up in) (?!(?:the same|here|this|our|my|his|her|year|y\d)\b)[a-z]+"
)

#: Not here in so many words ("never", "not one of ours"): not only at another school now.
_NEVER_HERE = re.compile(
    r"\bnever\b|\bonly ever\b|\b(?:not|isn'?t|wasn'?t|aren'?t|weren'?t|doesn'?t|don'?t|didn'?t)\s+(?:even\s+)?(?:been\s+)?"
    r"(?:at|in|from|to|go to|one of|a pupil|pupils?|part of)\b",
    _I,
)

#: Known from somewhere else ("a girl from my netball club", "a lad from
#: our street"): perhaps never a pupil here, but a pupil may go to a club
#: too. Not decided on: the person is asked ("Just to check: ...").
_MAYBE_NOT_HERE = re.compile(
    r"\b(?:from|at|in|through) (?:her|his|their|my|our|the) (?:dance|swimming|football|netball|drama|gym|gymnastics|karate|judo|church|street|road|"
    r"club|scouts|cubs|brownies|guides|youth club|cadets|choir|theatre|stage school|riding|tennis|rugby|cricket|hockey|"
    r"sunday school|mosque|gurdwara|temple|swim club|running club|holiday club)(?: class| club| group| team| school)?\b",
    _I,
)


_LEFT = (
    # "a lad who was a pupil here way back, he left after year 6"
    r"\b(?:was|were) (?:a )?(?:pupils?|students?) (?:here|of ours|at {school}|at (?:this|our) school)\b"
    r"|\bleft (?:after|at the end of|in|from) (?:year|yr|y) ?\d\b|"
    r"\b(?:i|we)\s+(?:taught|used to teach|once taught|have taught|'ve taught|coached|used to coach|had (?:him|her) at (?:after[- ]school|club))\b"
    r"|\b(?:i|we)\s+had\s+(?:\w+\s+){0,2}?in (?:my|our) (?:(?:year|yr|y) ?\d+ )?(?:class|form|year group)\b|\b(?:i|we)\s+had\s+(?:him|her|them)\s+in\b"
    # "a lad who used to come here", "she used to go to moat farm"
    r"|\bused to (?:come|go|be) (?:here|to (?:this|our|your) school|at (?:this|our|your) school|to {school}|at {school})\b"
    r"|\b(?:girl|boy|child|kid|lad|pupil|student)s?\s+(?:i|we)\s+(?:had|taught)\b"
    r"|\bused? to (?:be|go) (?:in |to |at )?(?:my|our|his|her|this) (?:class|form|school)\b|\bwas (?:in )?(?:my|our) (?:class|form)\b"
    r"|\bmy old (?:year \d+ |y\d+ )?(?:class|pupils?|lads?|girls?|boys?|students?|kids?)\b|\bone of my old\b"
    r"|\bfrom my (?:first|first ever|old|previous|last) (?:class|year group|school year)\b"
    # "lad from my yr 4 group 3 yrs ago", "a girl in my year 5 class back in 2019"
    r"|\b(?:from|in) my (?:old )?(?:yr|year|y) ?\d+ (?:group|class|set|form|lot)\b[^.?!]{0,30}?\b(?:\d+|a few|some|two|three|four|five) (?:yrs?|years) ago\b"
    r"|\bwho (?:was|used to be) in (?:his|her|their) (?:class|year)\b(?! (?:at|here|now))"
    r"|\bformer (?:pupil|student)s?\b|\bex[- ]?pupils?\b|\bex[- ]?students?\b"
    r"|\b(?:has|have|had)?\s*left (?:us|the school|our school|moat farm|{school}|last|in|at|years ago|a few years)\b"
    r"|\b(?:moved|went|gone|going) (?:up|on) to (?:secondary|high school|the high school|year 7|big school|the academy)\b"
    r"|\bmoved (?:schools|away|to (?:a|another|a different|a new|the) (?:school|primary|academy)|to [a-z]+ (?:primary|academy|juniors?))\b"
    r"|\b(?:isn'?t|is not|not|aren'?t) in (?:my|his|her|their) class any ?more\b"
    # "my daughter's old teacher from moat farm", "his old year 6 teacher": taught here once
    r"|\b(?:his|her|their|my \w+'?s|my) old (?:year \d+ |yr ?\d+ |y\d+ |class |form |primary (?:school )?)?(?:teacher|ta|teaching assistant|form tutor)\b(?! (?:at|from) (?!{school}))"
    # "he's not in 5B any more, he moved to St Mary's in January", "she's at St Anne's now"
    r"|\b(?:isn'?t|is not|not|aren'?t|no longer|not even) (?:in|at) (?:[3-6][a-z]{1,3}|year ?[3-6]|yr ?[3-6]|y[3-6]|" + _SCHOOL_WORDS + r")(?: any ?more| now)\b"
    r"|\bmoved (?:schools? )?(?:to|over to) (?!{school})(?:st\.? |saint )\w+"
    r"|\b(?:is|'s|are|'re) (?:now )?at (?!{school})(?:st\.? |saint )\w+(?:'s)? now\b"
    r"|\bstarted (?:year (?:[7-9]|1[0-3])|secondary|high school|big school|college|uni|university|sixth form)\b"
    r"|\b(?:is|'s|are|'re) (?:now )?(?:in|at) (?:year (?:[7-9]|1[0-3])|secondary(?: school)?|high school|college|uni|university|sixth form)\b"
)

_ADULT = (
    r"\b(?:finished|graduated from|left|dropped out of) (?:uni|university|college)\b|\bgraduated\b|\bhas graduated\b"
    r"|\b(?:at|in his|in her|in their|doing a) (?:uni|university)(?: now)?\b|\bis at uni\b"
    r"|\b(?:early|mid|late)[- ]?(?:twenties|thirties|20s|30s)\b|\bin (?:his|her|their) (?:twenties|thirties|20s|30s)\b"
    # (the young person married, not the writer: "i married her dad last year")
    r"|(?<!\bi )(?<!\bwe )(?<!\bi got )(?<!\bwe got )(?<!\bwe're )(?<!\bwere )(?<!\bi'm )(?<!\bim )\b(?:married|engaged)\b(?! (?:to )?(?:her|his|their) (?:dad|mum|father|mother|mom))"
    r"|\b(?:has (?:kids|children|a baby) of (?:his|her|their) own|has (?:his|her) own (?:kids|children))\b"
    r"|\b(?:teacher training|training to be a teacher|works? as|full[- ]time job|grown up now|a grown man|a grown woman|an adult now)\b"
    r"|\b(?:(?:just |recently |newly )?qualified as (?:a|an)|(?:is|'s) now (?:a|an)) (?:nurse|doctor|teacher|paramedic|midwife|solicitor|lawyer|"
    r"accountant|engineer|vet|police officer|social worker|electrician|plumber|hairdresser|mechanic|soldier)\b"
)

_YEAR_NOW = re.compile(r"\b(?:in|is in|'s in|started|starting|now in|going into)\s+(?:year|yr|y)\s*(\d{1,2})\b(?:\s+now)?", _I)
_TAUGHT_AGO = re.compile(
    r"\b(?:taught|had) (?:him|her|them)?\s*(?:in\s+)?(?:year|yr|y)?\s*(\d)?[^.]{0,40}?\b(\d{1,2}|a few|several|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve|fifteen|twenty) years ago\b", _I)
_BACK_IN = re.compile(r"\b(?:back )?in (19[89]\d|20[0-2]\d)\b", _I)
_YEAR_GROUP = re.compile(r"\b(?:year|yr|y)\s*(\d{1,2})\b", _I)
#: A number standing as a sentence of its own ("... on linkedin. 16.", "correction. 26. typo"): an age.
_LONE_AGE = re.compile(r"(?:^|[.!?;:(]\s*|\s-\s)(\d{1,2})\s*(?:yo|y/o|yrs?(?: old)?|years? old)?\s*(?:[.!?)]|$)", _I)
#: An age reached ("i turned 18 in march", "he's just turned 16"; "she turns 13 next week": not yet).
_TURNED = re.compile(r"\b(?:(turned)|turns|turning)\s+(\d{1,2})\b(?!\s*(?:mins?|minutes|%|years? ago))", _I)
_AGE_ABOUT = re.compile(r"\b(?:about|around|roughly|nearly|almost|maybe)\s+(\d{1,2})\b", _I)
_NUMBER_WORDS = {"a few": 3, "several": 4, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20}


def _school_pattern(template: str, school: SchoolProfile) -> re.Pattern:
    names = [re.escape(name.lower()) for name in (school.name, getattr(school, "short_name", "")) if name]
    return re.compile(template.replace("{school}", "(?:" + ("|".join(names) or "moat farm") + ")"), _I)


_IN_CHILDS_CLASS = re.compile(
    r"\b(?:my|our) (?:son|daughter|child|kid|boy|girl|lad)'?s? (?:year \d+ |y\d+ )?(?:class|year|form|year group)\b"
    r"|\b(?:in|from) (?:his|her|their) (?:own )?(?:year \d+ |y\d+ )?(?:class|year|form|year group)\b"
    r"|\b(?:in|at) (?:his|her|their) school\b(?!\s+(?:before|last))"
    r"|\b(?:in|from)\s+(?:[3-6][a-z]{1,3}|year\s*[3-6]|y[3-6]|the same class)\s+(?:with|as|like)\s+(?:her|him|them|my (?:son|daughter))\b",
    _I,
)
_WARNED = re.compile(
    # "the school looked into it and sent a letter to all of us saying get the kids off snapchat"
    r"\b(?:school|they|the head|the head teacher)\b[^.]{0,40}?\b(?:sent|wrote|emailed)\b[^.]{0,12}?\b(?:a |the |out a |home a |out )?(?:letters?|warnings?)\b"
    r"[^.]{0,30}?\b(?:to all|to every|to the parents|to us all|to all of us)\b|"
    r"\bwe\b[^.]{0,100}?\b(?:wrote|written|sent|emailed|e-mailed|warned|contacted)\b[^.]{0,40}?"
    r"\b(?:to )?all (?:the |of the )?(?:(?:year|yr|y) ?\d+ )?(?:parents|families)\b|"
    r"\b(?:school|you|they|the head|the head teacher|the office)\s+(?:already\s+|has\s+|have\s+|had\s+)?"
    r"(?:wrote|written|sent|sent out|emailed|e-mailed|texted|rang|phoned|spoke|spoken|warned|contacted|told)\b[^.]{0,60}?\b"
    r"(?:letter|email|e-mail|warning|note|every family|all (?:the |of the |three |two |four |five )?(?:(?:year|yr|y) ?\d+ |class |\w+ class )?(?:parents|families)|both families|"
    r"(?:each|every) (?:family|parent)|their parents|the parents|the families|them)\b"
    r"|\b(?:we|i)\s+(?:already\s+|have\s+|had\s+|'ve\s+|'d\s+)?(?:wrote|written|sent|sent out|emailed|e-mailed)\b[^.]{0,40}?\b(?:letter|warning|email|e-mail)\b"
    r"[^.]{0,60}?\b(?:too young|age limit|under 13|not (?:allowed|old enough)|condon\w*|minimum age|13)\b"
    r"|\bagain after (?:the|that|our|your) (?:letter|warning)\b"
    # "we got Mrs Example's letter last month saying Year 5 children shouldn't be on Instagram"
    r"|\b(?:letter|warning|email|e-mail)\b[^.]{0,80}?\b(?:shouldn'?t be on|should not be on|too young|age (?:limit|rules?)|under 13|"
    r"not (?:allowed|old enough) (?:on|to (?:be on|use|have))|breaks? \w+'?s? (?:own )?(?:age )?rules|has to stop|must stop)\b"
    r"|\b(?:were|was|got|received|had|have had)\s+(?:sent\s+)?(?:a|the)\s+(?:letter|warning|email)\b"
    r"|\b(?:after|since) (?:the|that|your) (?:letter|warning)\b|\bwarned (?:all )?(?:the )?(?:parents|families|us)\b"
    # "sent a letter round saying none of the kids should be on facebook at their age",
    # "the school wrote to all of us Year 6 parents saying the girls shouldn't be on Snapchat"
    r"|\b(?:letter|warning|email|e-mail|wrote|written)\b[^.?!]{0,100}?\b(?:should(?:n'?t| not)? be on|(?:can'?t|cannot|mustn'?t|must not) be on|"
    r"at (?:their|that|his|her) age|under ?age|too young)\b"
    r"|\b(?:school|they|the head|the head teacher)\b[^.]{0,30}?\b(?:wrote|written|sent|emailed|e-mailed|warned)\b[^.]{0,20}?\b(?:to )?(?:all of us|us all)\b"
    # "the school called all of us Year 5 parents in ... and said the kids shouldn't be on tiktok"
    r"|\b(?:school|they|the head|the head teacher|mrs \w+|mr \w+)\b[^.?!]{0,100}?\b(?:said|told (?:us|them|everyone|all)|explained|made (?:it )?clear)\b"
    r"[^.?!]{0,60}?\b(?:should(?:n'?t| not) be on|too young|under 13|not (?:allowed|old enough) (?:on|to)|age limit|minimum age)\b"
    r"|\b(?:were|was|have been|had been|got)\s+(?:all\s+)?(?:told|warned|written to|informed|reminded)\b[^.!?]{0,50}?"
    r"\b(?:in writing|by letter|letter|email|condone|not (?:allowed|to)|too young|age limit|under 13|last (?:term|year|month|week)|"
    r"already|before|by the (?:school|head))\b",
    _I,
)
_CONTINUING = re.compile(
    r"\b(?:started(?: up)? again|starting again|still (?:going on|happening|at it)|carr(?:ying|ies|ied) on|is continuing|"
    r"hasn'?t stopped|haven'?t stopped|has not stopped|have not stopped|won'?t stop|keeps? happening|happening again|back again|again now|"
    r"still (?:\w+ing|coming|going)|every (?:single )?(?:night|evening|day|weekend)|at it again|going on again|daily|nightly|"
    r"(?:kicked|kicking|flared|flaring|blown|blew|started|starting|flared) (?:off |up )?again)\b",
    _I,
)
_REFUSE = re.compile(
    r"\b(?:won'?t|wont|refuse[sd]? to|refusing to|will not|don'?t want to|not willing to|aren'?t willing to|wouldn'?t|wouldnt)\s+"
    r"(?:even\s+)?(?:engage|talk|speak|meet|co-?operate|do anything|listen|respond|reply|come in|answer|pick up|get involved)\b"
    # (not "sorry no ignore me, she's 18": someone else ignoring the school)
    r"|\b(?:they|he|she|parents?|mum|dad|family|families|carers?)\b(?:\s+\w+){0,3}?\s+ignor(?:e|es|ed|ing) (?:it|the school|us|me|the calls|the letters?|the messages|the emails?|every\w*|all)\b"
    r"|\bignor(?:ed|ing) (?:it|the school|us|every\w*|all|(?:the |both |two |three |all (?:the |our )?|our |my )?(?:phone )?(?:calls|letters?|messages|emails?))\b"
    r"|\bparents? (?:don'?t|do not|doesn'?t|dont) care\b|\bnot interested\b"
    # "we asked the girl's parents to come in and they refused", "didn't turn up to either meeting"
    r"|\b(?:they|parents?|family|mum|dad|carers?|they'?ve|they'?re)\s+(?:have\s+|has\s+|just\s+|flatly\s+|all\s+)?(?:refused|refuse|refusing|declined|ignored)\b"
    r"|\bkeep (?:our|their|your) noses? out\b"
    r"|\b(?:didn'?t|didnt|did not|never|won'?t|wont)\s+(?:turn up|show up|come|reply|respond|answer|engage|call back|ring back|get back)\b"
    r"|\b(?:flatly|point[- ]blank|just) refused\b|\brefused to (?:come|engage|meet|talk|speak|come in|take part|do anything)\b"
    r"|\b(?:can|could) do what (?:he|she|they) (?:likes?|wants?) on (?:his|her|their) own phone\b"
    # "the other family haven't replied at all", "one dad told the office to 'do one'"
    r"|\b(?:haven'?t|havent|have not|hasn'?t|hasnt|has not)\s+(?:even\s+|ever\s+)?(?:replied|responded|answered|got back|come in|turned up|engaged)\b"
    r"|\btold (?:the office|the school|us|me|the head|the teacher|them) to ['\"\u2018\u2019]?(?:do one|get lost|jog on|sod off|go away|back off)\b"
    r"|\b(?:have|has|they'?ve|they)\s+blocked (?:me|us|the school|my number|our number)\b"
    r"|\b(?:mind (?:its|their|our|her|his) own business|told (?:the school|us|me|them|her|him|the head|the teacher|sir|miss) to (?:get lost|go away|back off|mind|leave))\b"
    r"|\bput the phone down on (?:her|him|me|us|the school)\b|\b(?:and )?put the phone down\b"
    r"|\b(?:none of|not) (?:our|the school'?s|your|their) business\b"
    r"|\b(?:family|parents?|mum|dad|carers?)\b[^.!?]{0,40}?\b(?:have|has|had)\s+(?:\w+\s+)?(?:refused|ignored|cancelled|missed)\b",
    _I,
)
# exams and stages that say how old someone is now, at least
_STAGE_AGE = (
    (re.compile(r"\b(?:doing|sitting|taking|revising for|in the middle of) (?:his|her|their)? ?gcses?\b|\bgcse (?:year|exams)\b", _I), 15),
    (re.compile(r"\b(?:doing|sitting|taking|revising for) (?:his|her|their)? ?a[- ]?levels?\b|\bin (?:the )?sixth form\b|\bin year 1[23]\b", _I), 16),
    (re.compile(r"\bat (?:secondary|high school|big school)\b|\b(?:in|at|to) (?:year 7|y7)\b"
                r"|\b(?:starting|going (?:up )?to|moving (?:up )?to|moved (?:up )?to) (?:secondary|high school|big school|year 7)\b", _I), 11),
)
# "25 not 15" / "not 15, 25" (a typed age put right; not "3 boys not 2")
_AGE_CORRECTED = re.compile(
    r"\b(\d{1,2})\s*,?\s*not\s+\d{1,2}\b(?!\s*(?:boys|girls|kids|children|pupils|of|times|years? ago))"
    r"|\bnot\s+\d{1,2}\b\s*[,-]?\s*(?:but\s+|it'?s\s+|he'?s\s+|she'?s\s+)?(\d{1,2})\b(?!\s*(?:boys|girls|kids|children|pupils|of|times))",
    _I,
)
# "15 or 16", "15-16", "about 15/16": the youngest of the range
_AGE_RANGE = re.compile(r"\b(\d{1,2})\s*(?:or|-|–|to|/)\s*(\d{1,2})\b(?!\s*(?:years? ago|pm|am|:))", _I)


_NOT_FAMILY = re.compile(
    r"\b(?:no|not any|without any) (?:family )?(?:connection|link|links|relation|ties?)\b(?=[^.!?]{0,20}\b(?:family|related|relation)?)"
    r"|\bno family (?:connection|link|links|ties?|relation)\b|\b(?:isn'?t|aren'?t|not|wasn'?t) (?:really |actually |even )?(?:related|family|a relative)\b"
    # "she's not really my cousin, i just call her that", "no relation"
    r"|\bnot (?:really |actually |even )?(?:my|a) (?:real |proper |blood )?(?:cousin|niece|nephew|aunt|auntie|uncle|relative|relation)\b|\bno relation\b|\bi just call (?:her|him|them)\b",
    _I,
)


#: Someone who is at this school now, whatever they were before ("she moved
#: to Moat Farm in September and she's in his Year 4 class now").
_NOW_HERE = (
    r"\b(?:moved|came|transferred|started) (?:to|at|into) (?:{school}|this school|our school|us|here)\b"
    r"|\bjoined (?:{school}|this school|our school|us)\b"
    r"|\b(?:is|'s|are|'re) (?:now )?(?:in|at) (?:his|her|their|my \w+'s) (?:own )?(?:year \d+ |y\d+ )?class now\b"
    # a member of staff's "they're all ours", "in our year 4 classes", "in year 5 with us"
    r"|\b(?:(?:all|both) (?:of )?(?:them |the \w+ )?(?:are|'re) ours|(?:they|them|she|he|both|all)(?: are|'re|'s| is)? (?:all |both )?ours|are ours|"
    r"in our (?:year \d+ |y\d+ |yr \d+ )?class(?:es)?|in (?:year|yr|y) ?\d+ with us|(?:who'?s|who is|is|are) (?:in (?:year|yr|y) ?\d+ )?with us)\b"
    r"|\b(?:they|they'?re|they are|all|both|them)\b[^.?!]{0,20}\bin (?:year|yr|y) ?\d+ (?:here|at {school}|at this school|at our school)\b"
    # "one of them, Leah, is actually in her class at moat farm"
    r"|\b(?:is|are|'s|'re) (?:actually|also|definitely|really) (?:in (?:his|her|their|my \w+'s) (?:own )?(?:class|year|form) )?(?:at|in) {school}\b"
    r"|\bin (?:his|her|their|my \w+'s) (?:own )?(?:class|year|form) at {school}\b"
    # "she's still in 5 with my daughter", "he's still at moat farm", "still in year 4 with him"
    r"|\b(?:is|'s|are|'re) still (?:in (?:year |yr |y)?[3-6][a-z]{0,3} (?:with|like) (?:my|our|her|him|his|them)\b|(?:at|in) {school}\b)"
    # "its 2 girls still in ellies class that are sending the texts"
    r"|\bstill (?:in|at) (?:(?!(?:his|her|their|my|our|the|a|an|that|this|same|year|yr)\b)[a-z]+'?s|his|her|their|my \w+'?s|our \w+'?s?) (?:own )?(?:year \d+ |y\d+ )?class\b"
)


#: A message that changes a fact of the decision just given ("what if he was
#: 19?", "sorry, it's actually mostly on Snapchat", "scratch that", "forgot to say").
_CHANGES_A_FACT = re.compile(
    r"^\W*(?:oops|wait|update|no,|sorry\b(?!\s+(?:to|for|if|about|but)\b))|\b(?:what if|actually|sorry,? (?:she|he|it|they)(?:'s|'re| is| was| are)\b|hang on|hold on|i mean|i meant|not (?:my|a|actually)|misread|"
    r"got (?:that|it) wrong|correction|scratch that|scrap that|turns out|just (?:found out|checked|heard)|"
    r"should ?(?:of|have|'ve) (?:said|mentioned)|forgot to (?:say|mention)|i didn'?t (?:say|mention)|oh and|by the way|btw|"
    r"ignore that|my mistake|i got (?:myself )?(?:in a muddle|mixed up|confused))\b",
    _I,
)


#: A child of the case still at this school ("Jayden is still at Moat Farm in
#: his class", "who is still in our grandsons class").
_STILL_HERE = r"\b(?:still|is|are|'s)\s+(?:at|in)\s+(?:{school}|this school|our school|(?:his|her|their|our \w+'?s?) class)\b"


def still_here(text: str, school: SchoolProfile) -> bool:
    return bool(_school_pattern(_STILL_HERE, school).search(text or ""))


def maybe_not_here(text: str) -> bool:
    """The young person is known from somewhere else ("a girl from my netball
    club"): whether they are a pupil here is worth checking, not assuming."""
    return bool(_MAYBE_NOT_HERE.search(text or ""))


def changes_a_fact(text: str) -> bool:
    return bool(_CHANGES_A_FACT.search(text or ""))


def tells_of_warning(text: str) -> bool:
    """The school has already warned the families about the children's use
    of a site ("letter to all y6 parents saying kids shouldnt be on tiktok")."""
    return bool(_WARNED.search(text or ""))


def slot_values(value: object) -> List[str]:
    """A list slot's values ("escalation"), whatever a tracker holds in it."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, (list, tuple)) else []


def _held_age(value: object) -> Optional[int]:
    """An age slot's value as whole years ("15"), if it is one."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


@dataclass(frozen=True)
class ReadFacts:
    not_here: bool = False  # never a pupil of this school
    left: bool = False  # was a pupil here, has left
    age: Optional[int] = None  # at least this old now
    adult: bool = False
    in_childs_class: bool = False  # "in my daughter's class": pupils here
    not_family: bool = False  # "there's no family connection"
    now_here: bool = False  # at this school now, whatever they were before
    escalation: tuple = ()  # warned_before, continuing, parents_refuse
    in_year_group: bool = False  # "a yr 6 lad", "one of the year 5 girls": in a year group of this school now
    maybe_not_here: bool = False  # known from a club or the street: perhaps never a pupil here (asked, not decided)
    staffs_relative: bool = False  # "one of our teachers ... his granddaughter": a member of staff's family

    def slots(self, topic: str, current: Dict[str, object], school: SchoolProfile) -> Dict[str, object]:
        """The slot values these facts change for a decision on `topic`."""
        changes: Dict[str, object] = {}
        youngest_pupil_over = max((g.max_age for g in school.year_groups), default=11)
        if topic == "cyberbullying":
            if self.now_here:
                changes["bullying_who"] = "current_pupil"
            elif self.not_here and not self.left:
                changes["bullying_who"] = "other_school"
            elif self.left:
                changes["bullying_who"] = "ex_pupil"
            elif (self.in_childs_class or self.in_year_group) and current.get("bullying_who") is None:
                # "in my daughter's class"; "we've got Year 5 children being nasty to another Y5 child"
                changes["bullying_who"] = "current_pupil"
            if self.escalation:
                held = slot_values(current.get("escalation"))
                merged = list(dict.fromkeys([*held, *self.escalation]))
                if merged != held:
                    changes["escalation"] = merged
            return changes
        who = current.get("contact_who")
        if self.in_year_group and who is None and not (self.left or self.not_here or self.adult):
            # "yr 6 lad sent a follow request to my personal insta": a pupil here
            changes["contact_who"] = who = "current_pupil"
        if self.now_here and not self.left and who in (None, "ex_pupil", "not_a_pupil", "other_school"):
            # "the request is actually from her little brother, he's in year 5 with us now"
            changes["contact_who"] = who = "current_pupil"
        if self.staffs_relative and not self.not_family and who in (None, "current_pupil"):
            # asking for a colleague: "his granddaughter has just started in Year 3"
            changes["contact_who"] = who = "family"
        if self.not_family and who == "family":
            # "no family connection as far as I know": the word "family" was not a relative
            changes["contact_who"] = who = ("ex_pupil" if self.left else "current_pupil")
        if self.left and who in (None, "current_pupil", "other_school", "not_a_pupil"):
            changes["contact_who"] = "ex_pupil"  # taught here, at another school now
        elif self.not_here and not self.left and who in (None, "current_pupil", "friends_child", "family", "other_school"):
            changes["contact_who"] = "not_a_pupil"
        if (self.adult or (self.age is not None and self.age > youngest_pupil_over)) and (changes.get("contact_who") or who) == "current_pupil":
            changes["contact_who"] = "ex_pupil"  # too old to be a pupil of this school ("qualified as a teacher herself")
        held_age = self.age if self.age is not None else _held_age(current.get("age"))
        if held_age is not None and youngest_pupil_over < held_age < 18 and (changes.get("contact_who") or who) == "friends_child":
            # a friend's or neighbour's child too old to be a pupil here: an
            # ex-pupil or never one of ours, which decides it; ask unless told
            changes["contact_who"] = "ex_pupil" if self.left else ("not_a_pupil" if self.not_here else None)
        if self.age is not None and current.get("age") != str(self.age):
            changes["age"] = str(self.age)  # the latest message's age wins, as a correction does
        elif self.adult and current.get("age") in (None, "under_18"):
            changes["age"] = "18_or_over"
        return changes


def read_facts(text: str, school: SchoolProfile, today: Optional[dt.date] = None) -> ReadFacts:
    text = text or ""
    not_here = bool(_school_pattern(_NOT_HERE.replace("{school}", "{school}"), school).search(text))
    left = bool(_school_pattern(_LEFT, school).search(text))
    adult = bool(re.search(_ADULT, text, _I))
    age: Optional[int] = None
    top = max((g.year for g in school.year_groups), default=6)
    # "when she was in year 6 ... she's in year 9 at the high school now": any
    # year group above this school's that they are in means they have left
    above = [int(m.group(1)) for m in _YEAR_NOW.finditer(text) if int(m.group(1)) > top]
    if not above and (left or not not_here):
        # "hes at the secondary up the road now, year 9": a year group no pupil
        # of this school is in, named at all, is the young person's now
        above = [int(m.group(1)) for m in _YEAR_GROUP.finditer(text) if top < int(m.group(1)) <= 13
                 and not re.search(r"\b(?:was|were) (?:in )?$", text[max(0, m.start() - 12):m.start()], _I)]
    if above:
        # in year 9: left us, unless never one of ours ("never been at our school,
        # he's in year 9"); "at the high school" alone is where ex-pupils go too
        left = left or not _NEVER_HERE.search(text)
        age = above[-1] + 4  # England: Year N is age N+4 at its start
    if re.search(rf"\b(?:was|were) (?:in |still in )?(?:year|yr|y) ?{top}\b|\bin (?:year|yr|y) ?{top} (?:back )?then\b|\b(?:year|yr|y) ?{top} (?:leaver|leavers)\b",
                 text, _I) and not re.search(r"\b(?:is|'s|are|'re) (?:still )?in (?:year|yr|y) ?\d", text, _I):
        left = True  # "when she was in year 6" (this school's last year): she has left since
    if age is None and re.search(r"\b(?:just )?started (?:secondary|high school|big school|year 7)\b|\bin year 7\b", text, _I):
        age = max((g.year for g in school.year_groups), default=6) + 5  # Year 7 starts at 11
        left = True
    ago = _TAUGHT_AGO.search(text)
    if ago:
        years = ago.group(2).lower()
        n = int(years) if years.isdigit() else _NUMBER_WORDS.get(years, 3)
        taught_year = int(ago.group(1)) if ago.group(1) else 3
        age = max(age or 0, taught_year + 4 + n)
        left = True
    back = _BACK_IN.search(text)
    year_then = _YEAR_GROUP.search(text)
    if back and (year_then or re.search(r"\b(?:taught|had|teach|class)\b", text, _I)):
        # "year 3, in 2019": at least Year N's starting age then, and the years since
        since = (today or dt.date.today()).year - int(back.group(1))
        if since > 0:
            youngest = min((g.min_age for g in school.year_groups), default=7)
            then = int(year_then.group(1)) + 4 if year_then and 1 <= int(year_then.group(1)) <= 13 else youngest
            age = max(age or 0, then + since)
            left = True
    about = _AGE_ABOUT.search(text)
    if about and age is None:
        age = int(about.group(1))
    for pattern, stage_age in _STAGE_AGE:
        if pattern.search(text):
            age = max(age or 0, stage_age)
            left = left or not not_here
            break
    lone = _LONE_AGE.search(text)
    if lone and age is None and 5 <= int(lone.group(1)) <= 99:
        age = int(lone.group(1))  # "old pupil wants to connect on linkedin. 16.", "correction. 26. typo"
    reached = _TURNED.findall(text)
    if reached:
        # the latest said: "i turned 18 in march" is 18; "she turns 13 next week" is still 12
        past, years = reached[-1]
        age = int(years) if past else int(years) - 1
    corrected = _AGE_CORRECTED.search(text)
    if corrected:
        # "sorry typo!! 25 not 15", "not 15, 25": the age meant, whatever came before
        age = int(corrected.group(1) or corrected.group(2))
    span = _AGE_RANGE.search(text)
    if span and age is None:
        low, high = sorted((int(span.group(1)), int(span.group(2))))
        if 5 <= low <= 30 and high - low <= 3 and (low >= 18 or high < 18):
            age = low  # both ends on the same side of 18: the decision is the same

    if age is not None and age >= 18:
        adult = True
    spelt = normalise(text)  # "the scool sent a leter home", "complane agen"
    escalation = [value for value, pattern in (("warned_before", _WARNED), ("parents_refuse", _REFUSE), ("continuing", _CONTINUING))
                  if pattern.search(text) or pattern.search(spelt)]
    return ReadFacts(
        not_here=not_here, left=left, age=age, adult=adult,
        in_childs_class=bool(_IN_CHILDS_CLASS.search(text)), escalation=tuple(escalation),
        not_family=bool(_NOT_FAMILY.search(text)),
        now_here=bool(_school_pattern(_NOW_HERE, school).search(text)),
        in_year_group=_in_year_group(text, school),
        maybe_not_here=bool(_MAYBE_NOT_HERE.search(text)) and not not_here and not left,
        staffs_relative=staffs_relative(text),
    )


#: A child named by their year group, as they are now ("a yr 6 lad", "one of
#: the year 5 girls", "a boy in year 4").
_BY_YEAR_GROUP = re.compile(
    r"(?:^\W*|\b(?:a|an|one|this|that|the|one of (?:the|my|our)|some|two|three|four|a few|several|got|have|our)\s+)(?:yr|year|y)\s?(\d{1,2})\s?(?:lad|boy|girl|kid|child|pupil|student|children)s?\b"
    r"|\b(?:lad|boy|girl|kid|child|pupil|student) (?:in|from) (?:my |our |the )?(?:yr|year|y) ?(\d{1,2})\b"
    # "one of my friday readers (year 5)", "a girl (y4)"
    r"|\((?:in |she'?s in |he'?s in )?(?:yr|year|y) ?(\d{1,2})\)"
    # a year group's pupils by its name: "one of the yr5s in my class", "two of my year 6s"
    r"|\b(?:one|two|three|some|a few|a couple) of (?:the|my|our) (?:yr|year|y) ?(\d{1,2})s\b"
    # "our office manager's son is in Y5"
    r"|\b(?:son|daughter|boy|girl|lad|kid|child)\b(?: \w+)? (?:is|'s) (?:now )?in (?:yr|year|y) ?(\d{1,2})\b(?!\s+(?:at|in)\s+(?:st|saint|another|a different|the other)\b)",
    _I,
)
#: ... unless the year group is of the past ("a girl who was in year 6 when I taught her").
_YEAR_GROUP_PAST = re.compile(
    r"\b(?:(?:was|were|used to be) (?:\w+ )?(?:in|at|a pupil|pupils|one of|my|our)|back when|when (?:he|she|they) (?:was|were)|taught|"
    r"had (?:him|her|them))\b",  # (not "we're not related": "were" alone is no past)
    _I,
)


def _in_year_group(text: str, school: SchoolProfile) -> bool:
    found = _BY_YEAR_GROUP.search(text or "")
    if not found or _YEAR_GROUP_PAST.search(text) or _BACK_IN.search(text):
        return False
    year = int(next(g for g in found.groups() if g))
    return any(g.year == year for g in school.year_groups)


_OWN_CHILD = re.compile(
    # a carer's child too: "our girl (she's 9)", "my foster son", "the little boy we foster"
    r"\b(?:our|my) (?:foster (?:son|daughter|child|boy|girl)|(?:little |youngest |eldest |oldest )?(?:girl|boy|son|daughter|lad))\b(?!'?s? (?:teacher|class|friend|school))|\b(?:boy|girl|child) we (?:foster|look after|care for)\b|"
    r"\bmy (?:son|daughter|child|children|kid|boy|girl|little one|stepson|stepdaughter|step-son|step-daughter|twin|lad|eldest|youngest|oldest|middle one|little girl|little boy|"
    r"\d{1,2}[- ]?(?:year|yr)[- ]?old|"
    r"(?:nine|eight|seven|ten|eleven)[- ]year[- ]old)s?\b",
    _I,
)
_STAFF_SELF = re.compile(
    r"\b(?:i teach|i work (?:at|in|here)|i'?m (?:a |the )?(?:pe |pe\. |sports |football |class |year \d+ |music |supply |new )?(?:teacher|ta|teaching assistant|tutor|coach|head|senco|"
    r"midday supervisor|lunchtime supervisor|member of staff|staff)|as a (?:teacher|member of staff)|my class|my pupils|colleague"
    r"|(?:one of )?our pupils|one of ours|i work with|where i work|(?:i am |i'?m |im )?work(?:ing)? as (?:a |an )?(?:teacher|ta|teaching assistant|tutor|coach|midday|lunchtime|dinner|cook|cleaner|caretaker|office)"
    r"|i do (?:the )?dinners|i'?m (?:a |the )?dinner lady|i'?m (?:on|in) the (?:kitchen|office)|i'?m the (?:sbm|business manager|school business manager|office manager|bursar)"
    # (the writer's own telling: not a parent's "will the teacher tell the head?")
    r"|in writing|written notice|declar\w*|(?:i|i'?ll|i will|i need to|i have to|i must|should i|do i|must i|do i need to|to)\s+(?:\w+\s+)?(?:let the head know|tell the head))\b",
    _I,
)


#: A brother or sister of the young person just spoken of ("what about his
#: little sister? she's in year 3 here"): after a family link, family too.
_THEIR_SIBLING = re.compile(
    r"\b(?:his|her|their) (?:little |big |older |younger |baby |twin |other )?(?:sister|brother|sibling|sis)s?\b", _I,
)


def their_sibling(text: str) -> bool:
    """The message turns to the brother or sister of the young person before."""
    return bool(_THEIR_SIBLING.search(text or "")) and not _NOT_FAMILY.search(text or "")


def own_child(text: str) -> bool:
    """The writer speaks of their own child ("my son", "both my kids")."""
    return bool(_OWN_CHILD.search(text or "")) or bool(re.search(r"\b(?:both|all) (?:of )?my (?:kids|children|sons|daughters)\b|\bmy own (?:kids|children|son|daughter)\b", text or "", _I))


#: A question about a child's own use of an app ("is he allowed", "he keeps
#: on at me to help him put the facebook on his tablet", "can she have
#: tiktok?"): the age limits, not the writer's contact with the child.
_CHILDS_OWN_USE = re.compile(
    r"\b(?:is|are) (?:he|she|they) (?:even )?allowed\b(?! to (?:add|follow|friend|message) me)"
    r"|\b(?:can|may|should|could) (?:he|she|they|my \w+) (?:have|get|use|go on|join|be on|download|set up)\b(?! (?:me|with me)\b)"
    r"|\bhelp (?:him|her|them) (?:to )?(?:put|get|download|set up|install|make|join)\b"
    r"|\b(?:begging|keeps? (?:on )?at me|nagging|pestering|asking) (?:me )?(?:for|to (?:get|have|let|help))\b"
    # "she is desperate for Instagram", "he's dying to get snapchat"
    r"|\b(?:desperate|dying|mad keen|itching) (?:for|to (?:have|get|go on|join|be on|use))\b"
    r"|\blet (?:him|her|them) (?:have|get|use|go on|join)\b"
    # "his mum says he can have facebook to talk to his cousins ... is that alright?"
    r"|\b(?:he|she|they) (?:can|could|may|should|is allowed to|are allowed to) (?:have|get|use|go on|join|be on|download|set up)\b(?! (?:me|with me)\b)",
    _I,
)


def asks_about_childs_own_use(text: str) -> bool:
    """The writer asks whether a child may have or use an app themselves."""
    return bool(_CHILDS_OWN_USE.search(text or ""))


#: A member of staff's own relative, told by someone asking for them ("one of
#: our long-serving teachers ... his granddaughter has just started in Year 3").
_STAFFS_RELATIVE = re.compile(
    r"(?:\b(?:teachers?|colleagues?|tas?|teaching assistants?|members? of staff|caretaker|cleaner|deputy|coach|(?:lunchtime|midday) supervisors?)\b"
    r"|\b(?:mr|mrs|ms|miss)\.? [a-z]+\b(?= (?:asked|wants|wanted|is|has|says|said|told))(?![^?!]{0,120}?\b(?:my|our) (?:son|daughter|child)\b))"
    r"[^?!]{0,120}?\b(?:his|her|their) (?:own )?(?:grand(?:daughter|son|child|kid)|niece|nephew|step ?(?:son|daughter|child)|"
    r"cousin|god(?:son|daughter|child))s?\b",
    _I,
)


def staffs_relative(text: str) -> bool:
    """A member of staff's own relative, told by someone else for them."""
    return bool(_STAFFS_RELATIVE.search(text or "")) and not _MY_STAFF_RELATIVE_NOT.search(text or "")


#: ... not when the relative is the writer's ("my son's teacher ... her niece" is still the teacher's).
_MY_STAFF_RELATIVE_NOT = re.compile(r"\bmy (?:own )?(?:son|daughter|child)'?s? (?:teacher|ta)\b", _I)


#: A parent whose own relative works at the school ("my sister is a TA at
#: the school and my daughter, her niece, is in Year 4"): the member of staff
#: and the pupil are family.
_RELATIVE_ON_STAFF = re.compile(
    r"\bmy (?:(?:husband|wife|partner)'?s (?:sister|brother|mum|mother|dad|father)|sister|brother|mum|mom|mam|mother|dad|father|aunt|auntie|aunty|uncle|cousin|nan|nana|nanna|gran|granny|grandma|nanny|"
    r"grandad|grandpa|grandmother|grandfather|(?:sister|brother|mother|father)[- ]in[- ]law|husband|wife|partner|step ?mum|step ?dad|"
    r"other half|fianc[eé]e?)\b[^.?!]{0,40}?\b(?:is|works|teaches|helps|does)\b[^.?!]{0,30}?"
    r"\b(?:teacher|ta|teaching assistant|staff|at (?:the |your |our )?school|there|in the office|office|lunchtime|dinner lady|"
    r"midday|caretaker|head|senco|cook|kitchen|coach|volunteer|governor|moat farm)\b"
    r"|\b(?:her|his|their) (?:own )?(?:niece|nephew|granddaughter|grandson|grandchild|grandkid)\b",
    _I,
)


def relative_on_staff(text: str) -> bool:
    """A parent says the member of staff is their relative (so the pupil is the member of staff's too)."""
    return bool(_RELATIVE_ON_STAFF.search(text or ""))


def parent_about_own_child(text: str) -> bool:
    """A parent speaking of their own child ("my son sent his teacher a
    follow request", "my 9-year-old keeps begging for Snapchat"): not a
    member of staff with a family link to a pupil (nor a parent whose
    sister is the teacher: `relative_on_staff`)."""
    text = text or ""
    return bool(_OWN_CHILD.search(text)) and not _STAFF_SELF.search(text) and not relative_on_staff(text) \
        and not _GRANDCHILD.search(text) and not _WRITER_IN_TOUCH.search(text)


#: The writer in touch with the child themselves ("we're in a family whatsapp
#: group and she msgs me"): their own contact is the question, a family link.
_WRITER_IN_TOUCH = re.compile(
    r"\b(?:she|he|they) (?:msgs?|messages?|messaging|texts?|texting|snaps?|dms?|calls?|facetimes?|adds?|added|follows?|followed) me\b"
    r"|\b(?:we'?re|we are|i'?m|i am) (?:in|on) (?:a |the |our )?family (?:whatsapp|group|chat)\b|\bdo i (?:have|need) to (?:leave|unfriend|block)\b",
    _I,
)


#: "my granddaughter evie is in year 4. my daughter set her up...": the
#: writer's own child is the pupil's parent; the pupil is their relative.
_GRANDCHILD = re.compile(r"\bmy (?:grand(?:daughter|son|child|kid|baby)s?|great[- ]grand\w+)\b", _I)


_NEGATED_BEFORE = re.compile(r"(?:\bnot|isn'?t|isnt|aren'?t|wasn'?t|no|never|doesn'?t (?:even )?(?:have|use|go on)|don'?t (?:even )?(?:have|use))\W+(?:\w+\W+){0,2}$", _I)


def platform_meant(text: str, entities) -> Optional[str]:
    """The platform the person means when they name more than one or take
    one back ("it isn't on facebook, it's texts"): the last one named that
    is not negated. None when no platform entity is given."""
    found = stressed = None
    for entity in entities or []:
        if entity.get("entity") != "platform" or not isinstance(entity.get("value"), str):
            continue
        start, end = entity.get("start"), entity.get("end")
        before = (text or "")[max(0, start - 40):start] if isinstance(start, int) else ""
        after = (text or "")[end:end + 30] if isinstance(end, int) else ""
        if before and _NEGATED_BEFORE.search(before):
            continue
        if after and _PLAYED_DOWN_AFTER.search(after):
            continue  # "the texts were only a couple"
        if _writers_own_call(text or "", start, end, before, after):
            continue  # "just rang her back", "had a mum on the phone": how the writer heard, not where it happens
        found = entity["value"]
        if before and _STRESSED_BEFORE.search(before):
            stressed = stressed or found  # "it's actually mostly in a Snapchat group"
    return stressed or found


_CALL_WORDS = re.compile(r"^(?:rang|rung|phoned|called|rings?|phones?|calls?|on the phone|phone call|a call)\b", _I)
_CALLER_BEFORE = re.compile(r"(?:\b(?:i|we|i'?ve|we'?ve|i have|we have|just|i just|i'?ll|we'?ll)|\b(?:mum|dad|parent|carer|grandparent|nan|family|mother|father|head|office))\W+(?:\w+\W+){0,2}$", _I)
_CALLED_AFTER = re.compile(r"^\W*(?:(?:her|him|them) back|back|the (?:mum|dad|parents?|family|school|office|head)|(?:his|her|their) (?:mum|dad|parents?))\b", _I)


def _writers_own_call(text: str, start, end, before: str, after: str) -> bool:
    """A phone call between adults about the case ("just rang her back", "had
    a mum on the phone"), not the bullying's medium."""
    if not (isinstance(start, int) and isinstance(end, int)):
        return False
    if not _CALL_WORDS.match(text[start:end].strip()):
        return False
    return bool(_CALLER_BEFORE.search(before) or _CALLED_AFTER.search(after))


_STRESSED_BEFORE = re.compile(r"\b(?:mostly|mainly|mostly on|mainly on|actually|really|more|largely|all)\W+(?:\w+\W+){0,3}$", _I)
_PLAYED_DOWN_AFTER = re.compile(r"^\W*(?:\w+\W+)?(?:were|was|is|are)? ?(?:only|just) (?:a couple|a few|one|once|twice|the odd)|^\W*(?:\w+\W+)?(?:hardly|barely)\b", _I)


_MY_PUPILS = re.compile(
    r"\b(?:the|my|our) (?:children|kids|class|pupils|students|year \d+s?)\b"
    r"|\b(?:the|my|our) (?:year|yr|y) ?\d+ (?:lads|girls|boys|kids|children|pupils|class|lot)\b",
    _I,
)


def staff_about_own_pupils(text: str) -> bool:
    """"I teach Year 5 ... follow the children": the young people are current pupils."""
    return bool(_STAFF_SELF.search(text or "")) and bool(_MY_PUPILS.search(text or ""))
