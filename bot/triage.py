"""Safety first: is this possibly a child who needs help?

Runs on every message before anything else decides what it means
(actions/base.py): a message that may be a child at risk is answered as one
even when nothing else in it is understood. Pure Python.

Two questions, each by patterns written for how children write (lower case,
no apostrophes, "u", "miss", "sir", "my mum"):

- `child_voice`: does a child seem to be writing? A signed-in pupil always
  is; otherwise the words say so ("miss", "sir", "my mum", "my teacher",
  "im in year 4", "i'm 9", "at school today", text-speak).
- `worry`: what is wrong, if anything: `danger` (hurt, unsafe, knows where I
  live, wants to meet), `secret` (told not to tell, our secret, send
  pictures), `bullying` (mean, horrible, bullying, won't stop), `feelings`
  (scared, sad, worried, crying), `help` ("can you tell miss", "i need
  help", "who do i tell").

What a child is told, every time (`support_reply`): you did the right thing
to tell; tell your class teacher or a grown-up you trust today; 999 if you
are in danger now; Childline 0800 1111, free, any time; and an offer to pass
it on to the named child protection person. Never "not sure I understood",
never "not the school's responsibility", no adult jargon.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.dialogue import BULLYING_WHO_VALUES
from bot.nlp.scope_cues import medical_need
from bot.nlp.spelling import normalise
from bot.replies import Reply
from bot.school import SchoolProfile

CHILDLINE = "0800 1111"

# --- is a child writing? ----------------------------------------------------------------

_CHILD_VOICE = re.compile(
    r"(?<!dear )\b(?:miss|sir)\b(?!\s+(?:out|you|it|the|a|this|that)\b)(?!\s*(?:/|or|and) ?madam)"
    r"|\bmy (?:mum|mam|mom|mummy|dad|daddy|nan|nanny|gran|grandad|step ?dad|step ?mum|teacher|class teacher|tablet|ipad|xbox|switch)\b"
    r"|\b(?:i'?m|im|i am) (?:in )?(?:year|yr|y) ?[1-6]\b(?!\s*(?:lead|leader|team|co-?ordinator|teacher|class teacher|ta|tutor|phase))|\bi'?m (?:[6-9]|1[0-2]|six|seven|eight|nine|ten|eleven|twelve)(?: years old)?\b"
    r"|\b(?:at school today|in my class|at playtime|my friends? at school|golden time|my form)\b"
    r"|\bcan i (?:add|follow|friend|message|text|snap) (?:mr|mrs|miss|ms|sir|my teacher|my class teacher)\b"
    r"|\b(?:my|our) (?:old )?school\b(?=.*\b(?:me|i)\b)|\bmy fav(?:ou?rite|rite) teacher\b"
    r"|\bthe best teacher (?:ever|in the world)\b|\bwhen i get (?:it|one|a phone|insta\w*|tiktok|snapchat)\b"
    r"|\b(?:in|helps in|from|with) our class\b(?=.*\bme\b)"
    # in trouble where a child answers for it ("will i get in trubble at school")
    r"|\b(?:get|be|am i|will i be) in (?:trouble|trubble|truble) (?:at|with|from|in) (?:school|skool|scool|class|my teacher|miss|sir|the teacher|the head)\b",
    re.IGNORECASE,
)
#: Text-speak: children write it, and so do some adults.
_TEXT_SPEAK = re.compile(
    r"\b(?:u|ur|pls|plz|dont|wont|cant|im|becos|becuz|cuz|coz|wot|wat|sum1|some1|sumone|somone|sumthing|freind|freinds|frend|skool|nite|ppl|ok\?+|"
    r"ther|thay|difrent|diffrent|peple|no1|evry1|every1|wekend|skul|scool|laffed|vidio|cusin|mite|nun|sumwere|sumwhere|"
    r"didnt|doesnt|isnt|wasnt|havent|anyting|trubble|tomorow|alowed|aloud|wen|wiv|bcos|bcoz|realy|relly|vids|are class|sed|ses|"
    r"clas|wach|pleese|pleez|plees|computa|compyuter|techer|teecher)\b",
    re.IGNORECASE,
)
#: Adults talking about a child, not a child talking.
#: An adult passing on someone else's words ("pasting what a mum sent", "a
#: parent emailed"): whatever those words say, they are not the writer's.
PASSES_ON_WORDS = (
    r"\b(?:pasting|pasted|forwarding|forwarded|copying|copied) (?:in |below |here )?(?:what|an? |the |this |it (?:in|below|here)\b)"
    r"|\b(?:a|one of the|the|another) (?:mum|mom|dad|parent|carer)s? (?:has |have )?(?:sent|emailed|e-mailed|wrote|rang|phoned|called|messaged|told me|came to)\b"
    r"|^\W*(?:(?:so|ok|hi|morning)\W+)?(?:a )?(?:mum|mom|dad|parent|carer) (?:has |just )?(?:sent|emailed|e-mailed|wrote|messaged) (?:me|us|in|the school)\b"
)
#: Jobs on a school's staff that a writer may give as who they are ("I'm the
#: SBM"): adults here, and staff when they file (bot/filing.py).
SCHOOL_STAFF_JOBS = (
    r"sbm|school business manager|business manager|bursar|finance officer|site manager|premises manager|caretaker|"
    r"it technician|technician|network manager|data manager|office manager|administrator|admin assistant|receptionist|"
    r"pa to the head|head'?s pa|secretary|clerk(?: to the governors)?|senco|dsl|deputy dsl|deputy head|assistant head|"
    r"head of year|cover supervisor|supply teacher|student teacher|trainee teacher|pe teacher|music teacher|"
    r"peripatetic \w+ teacher|sports coach|coach|cleaner|cook|school cook|chef|kitchen assistant|librarian|learning mentor|"
    r"family support worker|attendance officer|school nurse|midday assistant|midday supervisor|dinner lady|lunchtime assistant|"
    r"teaching assistant|hlta"
)
#: A member of staff saying what they are without "a" or "the" ("I'm year 4
#: lead", "im office staff", "i work in the office"): adults here, and staff
#: when they file (bot/filing.py).
SAYS_STAFF_TEAM = (
    r"(?:i'?m|im|i am) (?:the |a )?(?:year|yr|y) ?\d (?:lead|leader|team leader|phase leader|co-?ordinator)"
    r"|(?:i'?m|im|i am) (?:on the |part of the |in the )?(?:office|support|admin|kitchen|teaching|site|lunchtime|cleaning|premises|school) (?:staff|team)"
    r"|i work in the (?:school )?(?:office|kitchen)"
)
#: ... and other adults' roles at a school.
_SCHOOL_ROLES = SCHOOL_STAFF_JOBS + r"|supply|chair of governors|governor|pta chair|chair of the pta"
_ADULT_VOICE = re.compile(
    # ("my class" is not here: "some kids in my class keep sending me horrible
    # messages" is a child's, and a teacher's message says more)
    r"\b(?:my|our) (?:son|daughter|child|kid|kids|children|boy|girl|lad|little one|grandson|granddaughter|stepson|stepdaughter|eldest|youngest|"
    r"pupils?|niece|nephew|grandchild|grandchildren)(?:'?s)?\b"
    # a parent's forum shorthand for their own child ("my dd", "ds2": dear daughter, dear son)
    # ("my ds" alone may be a games console: a son is told by what he does)
    r"|\b(?:my |our )?dd[1-4]?\b(?=.*\b(?:is|was|has|keeps|gets|got|getting|being|says|said)\b)"
    r"|\b(?:my |our )?ds[1-4]?\b(?=\W+(?:\w+\W+)?(?:is being|was being|has been|is getting|keeps getting|says|said|told|came home|is in|in (?:year|yr|y) ?\d))"
    r"|\b(?:i teach|i taught|i work|as a (?:teacher|parent|governor|mum|dad)|my colleague|colleagues?|our pupils|"
    r"one of (?:the |our |my |last \w+ |this \w+ )?(?:year ?6 |y6 |yr ?6 )?leavers|(?:our|my) (?:year ?6 |y6 )?leavers|"
    r"i volunteer|i'?m (?:a |one of the )?volunteers?|volunteering|one of the (?:year|yr|y) ?\d+s|"
    r"(?:a|one of the|one of our) (?:pupils?|children|kids?|boys?|girls?|year \d+s?) (?:has )?(?:told|came to) (?:me|us)|"
    r"(?:was|were|used to be) in my (?:class|form)|(?:had|have|taught) in my (?:class|form|group|set)|(?:years?|while) back\b|i used to (?:have|teach)|my old (?:class|pupils?)|years ago|one of my (?:class|form)|left us|"
    r"(?:not|no longer) (?:\w+ )?ours|one of ours|(?:lovely|sweet|nice|good) (?:kid|lad)\b|last years? (?:y6|yr ?6|year ?6)|one of our (?:teachers|staff|tas|colleagues|lunchtime|dinner)|i confiscated|"
    r"one of my (?:yr|year|y) ?\d|my (?:yr|year|y) ?\d+s\b|my (?:yr|year|y) ?\d+ (?:boys|girls|kids|class|lot)|"
    r"i'?m (?:a |the |one of the |his |her |their |your )?(?:teacher|ta|parent|governor|head|mum|dad|lunchtime|supervisor)|"
    r"keep an eye on (?:what )?(?:my|our|the) (?:class|pupils|kids|children)|for safeguarding (?:reasons|purposes)|i do (?:the )?dinners|"
    # a teacher's words for a child of their class ("a Year 6 pupil in my class", "a pupil of mine")
    r"(?:pupils?|students?) (?:in|from) my (?:class|form|group|set)|(?:pupils?|students?) of mine|"
    # a parent among parents ("a post going round the local mums facebook", "the class parents page")
    r"(?:local |school |the )?mums'? (?:facebook|fb|group|whatsapp|chat|page)|class parents'? (?:page|group|whatsapp|chat)|"
    r"parents'? (?:whatsapp|group chat|facebook group)|"
    # a foster or kinship carer ("i foster a boy in year 4", "my foster daughter")
    r"i foster|we foster|(?:my|our) foster (?:son|daughter|child|children|kid|kids|boy|girl)|i'?m (?:a |his |her |their )?(?:foster |kinship )?carer|(?:his|her) (?:mum|dad|parents?)\b(?=.*\bi\b))\b"
    # a member of staff introducing themselves ("Class teacher 5H.", "TA here:"),
    # or passing on what a parent wrote ("pasting what a mum sent")
    r"|^\W*(?:class teacher|teacher|ta|teaching assistant|senco|dsl|head ?teacher|deputy head|governor|parent governor|"
    r"lunchtime supervisor|midday supervisor|office manager|nqt|ect)\b(?=\s*(?:[.,:;-]|here\b|(?:of|in|for) \w+|[3-6][a-z]{1,3}\b|(?:year|yr|y) ?[3-6]\b))"
    # the writer's job at the school ("I'm the SBM.", "as the site manager")
    rf"|\b(?:i'?m|i am|im|as)(?: (?:only|just))?(?: (?:a|an|the|one of the|your|their|our))? (?:{_SCHOOL_ROLES})\b"
    rf"|{PASSES_ON_WORDS}"
    r"|\b(?:at work|my job|staff ?room|(?:get|got|be|being) (?:sacked|fired|dismissed|disciplined)|disciplinary|my (?:employer|contract)|my (?:husband|wife|partner|ex|boss|manager)|(?:the|some|a) parents?|a pupil|pupils|the policy|staff|"
    r"end of my tether|the school (?:has|have|said|told|tried)|"
    # staff writing of the families in a case ("we wrote to all 5 families", "the victim's dad")
    r"we(?:'ve|ve| have|'d| had)? (?:already )?(?:wrote|written|sent|emailed|e-?mailed|phoned|rang|called|spoke|spoken|talked|met|contacted|invited) (?:to |with )?(?:all |both |the |each )?"
    r"(?:\d+ |two |three |four |five |six )?(?:families|parents|carers)|victim'?s (?:mum|dad|parents?|family|carers?)|"
    r"where do (?:we|i) stand|(?:need|want|after) (?:a|some) steer|"
    # the adults who work there out of hours ("i clean upstairs in the evenings")
    r"i clean\b|i do (?:the )?cleaning|i'?m (?:still |just |only )?(?:a |an |the |one of the )?(?:evening |night )?cleaners?|(?:evening|night) cleaner|"
    r"(?:when )?i (?:first )?started (?:here|working here|at the school|at moat farm|in (?:19|20)\d\d)|"
    r"(?:one of )?my (?:other )?(?:players|squad|team members)|(?:when|while) i was (?:a |the )?(?:ta|teacher|teaching assistant|coach)\b|"
    # the adult side of a contact question: an adult's words for a child, their
    # own past pupils, the club they run, the office or placement they work in
    r"ex[- ]?pupils?|my first (?:year|term) (?:here|teaching)|one of my lot|my lot (?:from|in)|(?:year|yr|y) ?\d+ (?:lads?|lasses)|"
    r"i coach\b|i run (?:the |an? |our |a few )?[\w -]{0,30}?(?:club|clubs|team|group|session|sessions)\b|"
    r"(?:i'?m|im|i am|i'?ve been) (?:employed|contracted|hired|taken on|brought in) by|(?:" + SAYS_STAFF_TEAM + r")|"
    r"(?:i'?m|im|i am) in the (?:school )?office|"
    r"on (?:my |a |teaching )?placement|"
    r"(?:a|one of (?:the|my|our)) (?:(?:year|yr|y) ?\d+ )?(?:girls?|boys?|kids?|pupils?|child) (?:has |have |had )?"
    r"(?:found my (?:insta\w*|facebook|fb|tiktok|account|profile|page)|sent me a (?:friend|follow) request|"
    r"asked (?:if|whether) (?:he|she|they) (?:can|could) (?:add|follow|friend) me|(?:showed|handed|gave) me)|"
    r"(?:cousin|sister|brother)'?s'? (?:daughter|son|kids?|boy|girl|twins|children|little one)|"
    r"i'?d like to propose|we'?d like to (?:propose|set up|start)|"
    # a chat pasted in ("copied from the yr5 parents group", "Sarah (Ollie's mum):")
    r"(?:copied|pasted|forwarded|screenshotted) (?:this )?from|"
    # a letter's conventions ("Dear Sir/Madam", "I am writing in my capacity as", "Kind regards")
    r"dear (?:sir|madam|mrs?|ms|head|all)\b|(?:i am|i'm|we are) writing (?:to|in|on|as|about|regarding|with)\b|in my capacity as|(?:all of )?(?:us|we) parents|fellow parents|"
    r"(?:kind|warm|best) regards|yours (?:sincerely|faithfully)|on (?:our|my) behalf|(?:the|our) committee|(?<=\()\w+'?s (?:mum|dad|mom|nan|gran|carer)(?=\)))\b",
    re.IGNORECASE,
)
#: Fear or hurt the writer feels themselves ("i feel scared", "im so upset").
_OWN_FEAR = re.compile(
    r"\b(?:i|i'?m|im|i am|i feel|i felt|makes me|made me)\s+(?:so |really |very |a bit |feel |feeling )?"
    r"(?:scared|frightened|afraid|upset|sad|crying|cry|lonely|nervous|sick)\b",
    re.IGNORECASE,
)
#: Bullying that is happening to the writer ("they keep being mean to me"),
#: not a question about bullying ("how does the school deal with bullying?").
_BULLIED_ME = re.compile(
    r"\b(?:bull(?:y|ies|ying)|picking on|picks on|mean to|horrible to|nasty to|rude to|laugh(?:s|ing)? at|threaten\w*|"
    r"leav(?:e|es|ing) out|left|calling|call(?:s|ed)?)\s+me\b"
    r"|\bi'?m (?:being |getting )?bullied\b|\bi (?:get|got|am getting|keep getting) bullied\b|\bbullied me\b"
    r"|\b(?:keeps?|kept|won'?t stop|wont stop)\s+(?:\w+ing\s+)?(?:me\b|saying (?:i|im|i'?m|that i|mean|nasty|horrible)\b|sending me\b(?! (?:a |more )?(?:friend|follow)[- ]?requests?)|messaging me\b|posting (?:about )?me\b)"
    r"|\bsending me\b(?! (?:a |more )?(?:friend|follow)[- ]?requests?)|\bsaying (?:mean|horrible|nasty) things\b",
    re.IGNORECASE,
)
#: Hurt said plainly in the first person: heard however sure the NLU is of
#: something else (unlike "it keeps logging me out", which only looks like it).
_HURT_SAID = re.compile(
    r"\b(?:(?:said|says|saying|say|calls?|called|calling) (?:that )?(?:i|i am|me) (?:smell\w*|stink\w*|ugly|fat|stupid|weird|disgusting|a loser|dumb)|"
    r"put me last|(?:do not|don'?t) want to (?:go|come) (?:in|back|to school|into school)|everyone hates me|nobody likes me|no one likes me|"
    r"(?:kicked|blocked|removed) me (?:out of|from) the (?:group|chat))\b",
    re.IGNORECASE,
)
#: Schoolwork a child wants help with (no worry in it by itself).
_SCHOOLWORK = re.compile(
    r"\b(?:spellings?|spelling test|homework|times tables?|my sums|phonics|reading book|worksheet|long division|fractions|"
    r"help me (?:learn|with) my (?:words|spellings|tables|sums|reading|maths))\b",
    re.IGNORECASE,
)
#: The writer speaks of themselves.
_SELF = re.compile(r"\b(?:me|i|i'?m|im|my|myself)\b", re.IGNORECASE)


def child_voice(text: str, role: Optional[str] = None) -> bool:
    if role == "pupil":
        return True
    if role in ("staff", "parent", "governor"):
        return False
    text = text or ""
    return bool(_CHILD_VOICE.search(text) or _TEXT_SPEAK.search(text)) and not _ADULT_VOICE.search(text)


def adult_voice(text: str, role: Optional[str] = None) -> bool:
    """Does the writer say they are an adult (a signed-in adult role, or "my
    son", "I teach", "as a parent")?"""
    if role in ("staff", "parent", "governor"):
        return True
    return bool(_ADULT_VOICE.search(text or ""))


# --- what is wrong ----------------------------------------------------------------------

_WORRIES = (
    ("danger", re.compile(
        r"\b(?:(?<!nobody )(?<!nobody is )(?<!no one )(?<!no one is )(?<!noone )(?<!not )(?<!isnt )(?<!isn't )(?<!arent )(?<!aren't )in danger|(?:don'?t|dont|do not|not|never) feel safe|feel unsafe|(?:i'?m|im|i am) not safe|not safe (?:at home|at school|here|to go home)|hurt(?:s|ing)? me|hit(?:s|ting)? me|kill|knows? (?:where i live|my (?:road|street|address|house|school))|(?:no|noe|nos|knw|now) (?:were|wer|wear|where) (?:i|u) (?:live|liv)|"
        r"(?:wants?|asked) (?:me )?to meet|meet (?:up|me)|come to my house|outside my (?:house|school)|follow(?:s|ed|ing)? me home|"
        r"hurt myself|self harm|kill myself|want to die|run away|"
        r"(?:put|post|share|send) my (?:adres|adress|addres|address|home address|house)|(?:he|she|they|hes|shes|theyre|he'?s|she'?s|they'?re)(?:'ll|ll| will| is going to| are going to| gonna| is gonna| are gonna)? "
        r"(?:get|hurt|beat|batter|smash|stab|jump) me(?: up)?(?: when| after| if|$|\b))\b", re.IGNORECASE)),
    ("secret", re.compile(
        r"\b(?:(?:dont|don'?t|not to|never) tell|our (?:little )?secret|keep (?:it )?(?:a )?secret|(?:send|sent) (?:him|her|them) (?:a |some |more )?(?:pics?|pictures?|photos?|nudes|selfies?)|"
        r"(?:ask(?:s|ed|ing)?|wants?|keeps? asking)(?: me)?(?: for| to send)?(?: me)? (?:a |some |more )?(?:pics?|pictures?|photos?|nudes|selfies?)|send (?:me )?(?:a |some )?(?:nudes|selfies?)|"
        r"pics? of me|photos? of me|pictures? of me|without (?:my )?clothes|"
        r"(?:asked|asks|wants|told) me to (?:go|come|join|chat|talk) (?:on|in|to|into)? ?(?:a |his |her |their )?(?:private|secret)|just (?:him|her) and me|"
        r"delete (?:the |our )?(?:messages|chats))\b", re.IGNORECASE)),
    ("bullying", re.compile(
        r"\b(?:bull(?:y|ies|ied|ying)|mean to me|(?:mean|nasty|horrible|horible|horrid|unkind) (?:girls?|boys?|kids?|people|person)|being (?:really |so |very )?(?:horrid|horrible|horible|nasty|unkind|mean|rude|horribul)\b|(?:horrible|mean|nasty|rude) (?:to me|stuff|things|messages|names)|nasty|picking on me|picks on me|"
        r"laugh(?:s|ing)? at me|leave me out|left me out|won'?t (?:stop|leave me alone)|wont (?:stop|leave me alone)|keeps? (?:sending|saying|messaging)|"
        r"call(?:s|ed|ing)? me names|rude to me|threaten\w*|scary messages|we hate|everyone hates me|"
        r"saying (?:i'?m|im|i am|that i'?m|that i am|i look) (?:ugly|fat|stupid|weird|smelly|disgusting|a loser|dumb|thick)|"
        r"(?:tiktoks|videos|posts|pics|memes|lies|rumours|horrible things|mean things) about me|"
        r"(?:horrible|mean|nasty|rude|scary|vile) (?:\w+ )?(?:snaps?|snapchats|texts|comments|voice notes|videos|posts|pictures|pics|emojis)|"
        r"(?:tells?|telling|told) (?:everyone|everybody|people|the class|them all|all my friends) (?:that )?(?:i am|i'?m|im|i)\b|"
        r"(?:said|says|saying|say) (?:that )?(?:i|i am|i'?m|im) (?:smell\w*|stink\w*|ugly|fat|stupid|weird|disgusting|a loser|dumb|horrible)|"
        r"put me last|(?:rates|rating|rated|ranks|ranking) (?:us|me|people in)|(?:kicked|blocked|removed) me (?:out of|from) the (?:group|chat))\b", re.IGNORECASE)),
    ("feelings", re.compile(
        r"\b(?:scared|frightened|afraid|worried|upset(?! (?:him|her|them|anyone|the))|sad|crying|cried|lonely|nervous|anxious|don'?t want to go to school|dont want to go to school|feel (?:bad|sick|awful)|"
        r"(?:don'?t|do not|dont) want to (?:go|come) (?:in|back|to school|into school)(?: tomorrow| on monday| today)?)\b",
        re.IGNORECASE)),
    ("help", re.compile(
        r"\b(?:can (?:u|you) tell (?:miss|sir|my teacher|someone|my mum|a teacher|(?:mrs|mr|ms|miss) \w+)|tell (?:miss|sir) for me|i need help|help me|"
        r"who do i tell|who can i tell|what do i do|what should i do|"
        # a child about to tell ("if i tell u sumthing will my big sister get in trubble")
        r"(?:if|can|could|may|shall) i tell (?:u|you) (?:sumthing|something|somethin|summat|a secret)|"
        r"i (?:need|want|have|got) to tell (?:u|you|someone|somebody|sum1) (?:sumthing|something|somethin|summat))\b", re.IGNORECASE)),
)


WORRY_KINDS = frozenset(kind for kind, _ in _WORRIES)

#: A child asking us to pass it on ("can u tell a teacher", "please tell miss for me").
_TELL_FOR_ME = re.compile(
    r"\b(?:can|could|will|would) (?:you|u) (?:please |pls )?(?:tell|let) (?:a |my |the |our )?(?:teacher|miss|sir|mr \w+|mrs \w+|ms \w+|head|grown ?up|adult|someone|somebody)"
    r"|\b(?:please|pls|plz) (?:tell|let) (?:a |my |the )?(?:teacher|miss|sir|head|grown ?up|adult|someone|somebody)\b"
    r"|\btell (?:miss|sir|a teacher|my teacher|the teacher|the head) for me\b|\bpass (?:it|this) on\b",
    re.IGNORECASE,
)


#: A child afraid of being in trouble for what they did themselves ("will i get
#: banned", "am i going to get exspelled").
_FEARS_TROUBLE = re.compile(
    r"\b(?:get|be|getting|am i|will i|im going to|i'?m going to|gonna|going to)\b[^.?!]{0,20}?"
    r"\b(?:in (?:big |so much |loads of |massive )?(?:trouble|trubble|truble)|banned|band|expelled|exspelled|expeled|excluded|told off|kicked out)\b",
    re.IGNORECASE,
)


def fears_trouble(text: str) -> bool:
    return bool(_FEARS_TROUBLE.search(text or ""))


def asks_us_to_tell(text: str) -> bool:
    """A child asking the assistant to tell a grown-up for them."""
    return bool(_TELL_FOR_ME.search(normalise(text or "")))


def worry(text: str) -> Optional[str]:
    """The most urgent worry in the message, or None (read with text-speak
    and common misspellings spelt out: "i need hlep", "bullyed")."""
    text = normalise(text or "")
    for kind, pattern in _WORRIES:
        if pattern.search(text):
            return kind
    return None


#: Intents that, in a child's words, are a child telling of a risk to them.
RISK_INTENTS = frozenset({"ask_adult_posing_as_child", "report_adult_concern", "ask_how_to_report_concern"})
#: The NLU's intent for someone telling us something is wrong (data/nlu/worries.yml).
WORRY_INTENT = "tell_worry"
#: Intents confident enough that a weak worry pattern in them is not a child's
#: worry ("it keeps saying payment failed" from a parent paying for dinners).
_NOT_A_WORRY_CONFIDENCE = 0.6
_ELSEWHERE = frozenset({"out_of_scope", "greet", "goodbye", "thank", "ask_capabilities", "ask_who_to_contact"})
#: The NLU's `tell_worry` anywhere near the top of an unsure reading is heard
#: ("someone put a really scary pic in our group chat" read as nothing in
#: particular): safety before understanding.
_WORRY_NEARBY = 0.3
_WORDS = re.compile(r"\w+")
#: A message this short that names a worry, and was not understood, is heard as a child's.
_FEW_WORDS = 4
_SELF_HARM = re.compile(r"\b(?:hurt myself|kill myself|want to die|self harm|in danger|dont want to be here|don'?t want to be alive)\b", re.I)


def child_needs_help(
    text: str,
    role: Optional[str] = None,
    intent: Optional[str] = None,
    confidence: float = 0.0,
    child_before: bool = False,
    worry_confidence: float = 0.0,
    adult_before: bool = False,
) -> Optional[str]:
    """The worry when a child seems to be telling us something is wrong
    (or anyone says a child is in danger right now); else None.

    Three kinds of evidence, any of which is enough: the words (a worry
    written in a child's voice, or in the first person by someone who has
    not said they are an adult); the NLU (`tell_worry`, learnt from many
    ways children say something is wrong, so it hears "sumone wants a pic"
    that no pattern lists); and the conversation (a child who has already
    told us something: everything they add is heard as theirs).
    `worry_confidence`: how likely the NLU found `tell_worry` when it was
    unsure what the message is."""
    text = text or ""
    found = worry(text)
    if found == "danger" and _SELF_HARM.search(text):
        return found  # whoever writes it
    # (`adult_before`: an earlier message of the conversation was an adult's
    # own words, "a colleague has a tiktok where he pretends to be 14": their
    # "nobody in danger right now" is not a child's)
    adult = role in ("staff", "parent", "governor") or bool(_ADULT_VOICE.search(text)) or (adult_before and not child_before)
    if found in (None, "help") and medical_need(text):
        return None  # "my tummy hurts and i dont feel well": poorly, told where to go for that (replies.out_of_scope_for_a_child)
    if found in (None, "help") and _SCHOOLWORK.search(normalise(text)):
        return None  # "can u help me lern my spelings for friday": help with schoolwork, no worry in it
    if intent == WORRY_INTENT and confidence >= 0.5 and not adult:
        return found or "help"
    unsure = intent in (None, "nlu_fallback") or confidence < 0.5
    if unsure and worry_confidence >= _WORRY_NEARBY and not adult and role is None:
        return found or "help"
    if found not in (None, "help") and role is None and not adult and len(_WORDS.findall(text)) <= _FEW_WORDS \
            and (found != "feelings" or not (intent in _ELSEWHERE and confidence >= _NOT_A_WORRY_CONFIDENCE)):
        return found  # "mean girl", "scared": a few words of a worry from someone not understood, who may be a child
    if found is None:
        if intent in RISK_INTENTS and not adult and child_voice(text, role):
            return "help"  # a child telling of an adult posing as a child, or of an adult at school
        return None
    if child_before and not adult:
        return found
    # sure it is something else altogether (dinner money, a password): weak
    # patterns in it are not a worry
    confident_elsewhere = intent in _ELSEWHERE and confidence >= _NOT_A_WORRY_CONFIDENCE
    if found in ("bullying", "feelings") and _HURT_SAID.search(normalise(text)) and role is None and not adult:
        return found  # "they put me last and said i smell", "i dont want to come in tomorrow": whatever the NLU thought
    if child_voice(text, role) and not (adult_before and role is None):
        # text-speak alone ("it keeps saying i cant log in") is not a child's
        # voice when the message is confidently about something else
        if found in ("danger", "secret") or role == "pupil" or _CHILD_VOICE.search(text) or not confident_elsewhere:
            return found
        return None
    if found in ("danger", "secret") or (found == "bullying" and _BULLIED_ME.search(text)) \
            or (found == "feelings" and _OWN_FEAR.search(text)):
        if role is None and _SELF.search(text) and not adult and not (confident_elsewhere and found != "secret"):
            return found  # "i feel scared": nobody says who they are, so it may be a child
    return None


# --- what a child is told ---------------------------------------------------------------


def support_reply(kind: str, school: SchoolProfile, offer: bool = True, again: bool = False) -> Reply:
    """What a child telling us something is wrong is told. `again`: they have
    already been told all of it in this conversation and are saying more."""
    kind = kind if isinstance(kind, str) and kind in WORRY_KINDS else "help"
    first = {
        "bullying": "I'm sorry that's happening. No one deserves to be treated like that. You have not done anything wrong, "
                    "and you did the right thing to tell me.",
        "danger": "Thank you for telling me. You did the right thing, and you have not done anything wrong.",
        "secret": "Thank you for telling me. You did the right thing: this is not a secret you have to keep, "
                  "and you are not in trouble.",
        "feelings": "I'm sorry you feel like that. You have not done anything wrong, and you did the right thing to tell me.",
        "help": "You did the right thing to ask for help. You are not in trouble.",
    }.get(kind, "You did the right thing to tell me.")
    if again:
        lines = [
            "Thank you for telling me more. You are not in trouble, and you have not done anything wrong.",
            "Please tell your class teacher, or another grown-up you trust, today. "
            f"If you are in danger right now, call {school.police_emergency}. "
            f"Childline is free, any time, on {CHILDLINE}.",
        ]
    else:
        lines = [
            first,
            "Please tell your class teacher, or another grown-up you trust, today.",
            f"If you are in danger right now, call {school.police_emergency}.",
            f"You can also talk to Childline at any time. It is free: call {CHILDLINE}.",
        ]
    buttons = []
    if offer:
        lines.append(f"Would you like me to tell {school.dsl.name}? They help keep children safe at our school.")
        buttons = [
            {"title": "Yes, please tell them", "payload": "/affirm"},
            {"title": "No, not now", "payload": "/deny"},
        ]
    refs = ["pupils.report-concerns"] + (["pupils.zero-tolerance"] if kind == "bullying" else [])
    return Reply(text="\n\n".join(lines), buttons=buttons, custom={"policy_refs": refs, "child_support": kind})


#: The NLU's intent for a question about adults pretending to be children online.
POSING_INTENT = "ask_adult_posing_as_child"


def posing_answer_for_a_child() -> Reply:
    """A child asking whether grown-ups may pretend to be children online
    ("my cuzin said there r grown ups on roblox who pretend there kids"):
    the policy's answer (staff.no-child-impersonation), in a child's words."""
    return Reply(
        text="A grown-up pretending to be a child online is not allowed: it is against the law. "
             "If someone online says they are a child and something about them feels wrong, stop chatting, "
             "and tell your class teacher or another grown-up you trust.",
        custom={"policy_refs": ["staff.no-child-impersonation", "pupils.report-concerns"]},
    )


def declined_reply(school: SchoolProfile) -> Reply:
    """A child said no to being passed on: no pressure, and the ways to get help."""
    return Reply(
        text=(
            "That's OK. If you change your mind, you can tell me, your class teacher or a grown-up you "
            f"trust at any time. You can call Childline too, free, on {CHILDLINE}. If you are in danger "
            f"right now, call {school.police_emergency}."
        ),
        custom={"policy_refs": ["pupils.report-concerns"]},
    )


#: A child asking about their own contact with a grown-up at school ("can i
#: follow miss patel on insta", "am i allowed to add sir").
_MY_OWN_CONTACT = re.compile(
    r"\b(?:can|could|may|am)\s+i\b(?:\s+(?:be allowed to|allowed to|still))?\s+(?:follow|add|friend|message|dm|text|snap|chat (?:to|with)|be friends with)\b"
    r"|\b(?:i (?:really )?(?:want|wanna|would like|'d like) to|is it (?:ok|okay|alright|allowed) (?:if i|for me to|to))\s+(?:follow|add|friend|message|dm|text|snap|be friends with)\s+"
    r"(?:mr|mrs|miss|ms|sir|my teacher|my class teacher|our teacher|the teacher|my ta)\b",
    re.IGNORECASE,
)
#: ... once they have left ("when i leave", "when i go to big school", "after year 6").
_WHEN_I_HAVE_LEFT = re.compile(
    r"\b(?:when|once|after)\s+i(?:'ve| have)?\s+(?:leave|left|go to (?:big|high|secondary|senior|my new) school|move (?:up )?to (?:big|high|secondary) school)\b"
    r"|\bafter year 6\b|\bat (?:big|high|secondary) school\b",
    re.IGNORECASE,
)


def childs_own_contact(text: str) -> Optional[str]:
    """Who the young person is when a child asks about their own contact with
    an adult at school: themselves, a pupil now ("current_pupil") or once
    they have left ("ex_pupil"; still a child, so under 18). None when the
    child is not asking about themselves."""
    text = normalise(text or "")
    if not _MY_OWN_CONTACT.search(text):
        return None
    return "ex_pupil" if _WHEN_I_HAVE_LEFT.search(text) else "current_pupil"


def child_decision_reply(topic: str, outcome: str, refs, school: SchoolProfile, offer: bool = True) -> Reply:
    """A decision told to a child: what it means for them, in short words,
    and who helps. Never "not the school's responsibility". `offer`: ask
    whether to pass it on (not when they have already asked us to)."""
    if topic == "contact":
        if outcome == "permitted_declare_to_head_teacher":
            said = (
                "Because they are family, that can be OK. The grown-up who works at school needs to tell "
                "the head teacher in writing that you are related, and they shouldn't talk to you about "
                "school things online.\n\n"
                "If anything online ever worries you, tell your class teacher or another grown-up you "
                "trust. You did the right thing to ask."
            )
        else:
            said = (
                "You can't be friends with your teachers, or other grown-ups who work at school, on apps "
                "like TikTok, Snapchat or Facebook while you are at our school. That rule is for the "
                "grown-ups too, to keep everyone safe.\n\n"
                "If a grown-up from school asks you to add them, follow them or message them, tell your "
                "class teacher or another grown-up you trust. You did the right thing to ask."
            )
        refs = list(refs) + ["pupils.report-concerns"]
        if max((g.max_age for g in school.year_groups), default=11) < 13:
            # every pupil here is under 13: the policy's own rule for them, in their words
            said += (
                "\n\nChildren under 13 shouldn't be on social networking sites at all. Facebook, for example, "
                "doesn't let anyone under 13 join."
            )
            refs += ["pupils.under-13", "facebook.age-limit"]
        return Reply(text=said, custom={"decision": outcome, "policy_refs": refs, "topic": topic})
    lines = ["I'm sorry that's happening. No one deserves to be treated like that. You have not done anything wrong, "
             "and you did the right thing to tell me."]
    if outcome == "not_school_responsibility":
        lines.append(
            "Even if the person doing it goes to a different school, the grown-ups at our school can "
            "still help: they can talk to your family and to the other school."
        )
    else:
        lines.append("The grown-ups at our school will help sort it out.")
    lines += [
        "Please tell your class teacher, or another grown-up you trust, today. Keep the messages: "
        "don't reply to them, and don't delete them.",
        f"If you are in danger right now, call {school.police_emergency}. You can talk to Childline "
        f"any time, free, on {CHILDLINE}.",
    ]
    if offer:
        lines.append(f"Would you like me to tell {school.dsl.name}? They help keep children safe at our school.")
    return Reply(
        text="\n\n".join(lines),
        buttons=[
            {"title": "Yes, please tell them", "payload": "/affirm"},
            {"title": "No, not now", "payload": "/deny"},
        ] if offer else [],
        custom={
            "decision": outcome,
            "policy_refs": ["pupils.report-concerns", "pupils.zero-tolerance", *refs],
            "topic": topic,
            "child_support": "bullying",
        },
    )


#: The writer's own age ("im 17", "i turned 18 in march", "i'm 15 now").
#: (not "i was 10 when she taught me": an age then; "im nearly 18" is 17 now)
_OWN_AGE = re.compile(r"\b(?:i'?m|im|i am|i turned|i'?ve turned|i just turned)\s+(?:now\s+)?((?:nearly|almost)\s+)?(\d{1,2})\b(?!\s*(?:mins?|minutes|hours|%|p\b))", re.IGNORECASE)


def writers_own_age(texts) -> Optional[int]:
    """The age the writer last gave as their own ("im 17 ... wait, i turned 18": 18)."""
    ages = [int(m.group(2)) - (1 if m.group(1) else 0) for text in texts if isinstance(text, str) for m in _OWN_AGE.finditer(text)]
    return ages[-1] if ages else None


def writer_older_than_pupils(texts, school: SchoolProfile) -> bool:
    """The writer gives their own age, older than any pupil of the school."""
    age = writers_own_age(texts)
    return age is not None and age > school.oldest_age


#: The writer is the young person a contact question is about ("he taught me
#: in year 5", "is mr okafor allowed to accept my friend request").
_WRITER_IS_THE_YOUNG_PERSON = re.compile(
    r"\b(?:taught|teaches|used to teach|had) me\b|\bmy (?:old |former |year \d )?(?:teacher|ta|form tutor|class teacher)\b"
    r"|\b(?:accept|add|follow|friend|unblock) me\b|\bmy (?:friend|follow) request\b|\bwhen i (?:was|were) (?:at|in)\b",
    re.IGNORECASE,
)


def young_person_writing_of_own_contact(texts, school: SchoolProfile) -> Optional[int]:
    """A young person older than any pupil asking about their own contact
    with someone at the school: their age, else None."""
    texts = [t for t in texts if isinstance(t, str)]
    if any(_ADULT_VOICE.search(t) for t in texts) or not any(_WRITER_IS_THE_YOUNG_PERSON.search(t) for t in texts):
        return None
    age = writers_own_age(texts)
    return age if age is not None and age > school.oldest_age else None


def conversation_is_child(texts, role: Optional[str] = None, strict: bool = False) -> bool:
    """Whether this conversation is a child's: a signed-in pupil, or some
    message written as a child writes and none as an adult ("my son's
    class", "I teach Year 5") writes. `strict`: text-speak alone ("im",
    "dont", "u") is not enough (some adults write it too)."""
    if role is not None:
        return role == "pupil"
    texts = [text for text in texts if isinstance(text, str) and not text.startswith("/")]
    if any(_ADULT_VOICE.search(text) for text in texts):
        return False
    if strict:
        return any(_CHILD_VOICE.search(text) for text in texts)
    return any(child_voice(text) for text in texts)


# --- a child's bullying, decided from their own words -----------------------------------

#: An adult, a stranger or an older person in the story: not children
#: bullying each other, so no decision about whose case it is (the child is
#: heard, and offered to be passed on).
_ADULT_IN_IT = re.compile(
    r"\b(?:man|men|lady|ladies|woman|women|adult|grown ?ups?|teacher|teachers|miss|sir|mr|mrs|ms|coach|stranger|"
    r"someone i (?:do not|don'?t) know|(?:do not|don'?t) know (?:him|her|them|who)|older (?:man|woman|lady|person)|"
    r"helper|dinner lady|ta|caretaker|uncle|auntie|aunt|neighbour|step ?dad|step ?mum|mum'?s (?:boyfriend|friend)|"
    r"(?:1[4-9]|[2-9]\d) ?(?:years? old|yrs? old|yo)\b|pretend\w* to be)\b",
    re.IGNORECASE,
)
_TEXTS = re.compile(r"\b(?:text\w*|txt\w*|messages on my phone|on my phone|phon(?:e|ing) me|calls? me)\b", re.IGNORECASE)
#: Others in a year group ("some people in year 5 keep saying..."), or in the
#: child's class or school.
_OTHERS_IN_YEAR = re.compile(
    r"\b(?:people|kids|children|boys?|girls?|someone|somebody|they|friends?|lads|group|some)\b[^.?!]{0,20}?"
    r"\b(?:in|from) (?:my |our |the )?(?:year|yr|y) ?(\d{1,2})\b",
    re.IGNORECASE,
)
_PARENTS = re.compile(r"\b(?:parents?|mums?|mum'?s|dads?|dad'?s|family|families|carers?|mom|mam)\b", re.IGNORECASE)
_OTHERS_HERE = re.compile(r"\b(?:in|from|at|go to) (?:my|our|are|r) (?:class|clas|year|school|skool|scool)\b", re.IGNORECASE)  # ("in are class": our)


def child_bullying_slots(messages, school: SchoolProfile) -> dict:
    """The cyberbullying facts in what a child has told us so far, read
    message by message (a later message corrects an earlier one): who is
    doing it, where, how old, and whether it was warned about before.
    `messages`: (text, entities) pairs, oldest first."""
    from bot.nlp.fact_reader import platform_meant, read_facts

    slots: dict = {}
    for text, entities in messages:
        if not isinstance(text, str) or text.startswith("/"):
            continue
        plain = normalise(text)
        entities = [e for e in entities or [] if isinstance(e, dict)]
        for entity in entities:
            name, value = entity.get("entity"), entity.get("value")
            if name == "other_party" and value in BULLYING_WHO_VALUES:
                slots["bullying_who"] = value
            elif name == "age" and isinstance(value, str):
                slots["age"] = value
            elif name == "year_group" and isinstance(value, str):
                slots["year_group"] = value
            elif name == "escalation" and isinstance(value, str):
                slots["escalation"] = list(dict.fromkeys([*(slots.get("escalation") or []), value]))
        meant = platform_meant(text, entities)
        if meant:
            slots["platform"] = meant
        elif "platform" not in slots and _TEXTS.search(plain):
            slots["platform"] = "text message"
        if "bullying_who" not in slots:
            year = _OTHERS_IN_YEAR.search(plain)
            if year:
                slots["bullying_who"] = "current_pupil" if school.year_group(int(year.group(1))) else "other_school"
            elif _OTHERS_HERE.search(plain):
                slots["bullying_who"] = "current_pupil"
        slots.update(read_facts(plain, school).slots("cyberbullying", slots, school))
        if "parents_refuse" in (slots.get("escalation") or []) and not _PARENTS.search(plain):
            # "my friend wont talk to me": not the other family refusing to engage
            slots["escalation"] = [e for e in slots["escalation"] if e != "parents_refuse"]
    return slots


#: A grown-up the child asks about, as the one to help ("will the teachers
#: even care", "would miss be cross"): not a grown-up in the story.
_WHO_WOULD_HELP = re.compile(
    r"\b(?:will|would|do|does|can|could|should) (?:the |my |a |our )?(?:teachers?|miss|sir|head|grown ?ups?|adults?)"
    r"(?: even| still| really| actually)? (?:care|help|mind|believe me|listen|do anything|know|be cross|be angry|find out|sort it)\b",
    re.IGNORECASE,
)


def child_bullying_case(messages, school: SchoolProfile):
    """The decision on a child's own account of being bullied by other
    children, when their words say enough (who, and for children here,
    where); None when an adult or a stranger is in it, when it is not about
    being bullied, or when something is still unknown. Told to the child in
    a child's words (`child_decision_reply`)."""
    from bot import dialogue
    from bot.nlp.decision_cues import tells_of_bullying

    texts = [normalise(text) for text, _ in messages if isinstance(text, str) and not text.startswith("/")]
    if not any(worry(text) == "bullying" or tells_of_bullying(text) or _BULLIED_ME.search(text) for text in texts):
        return None
    if any(_ADULT_IN_IT.search(_WHO_WOULD_HELP.sub(" ", _TELL_FOR_ME.sub(" ", text))) for text in texts):
        return None  # ("can u tell a teacher", "will the teachers even care" ask for a grown-up; none is in the story)
    decision = dialogue.decide(dialogue.CYBERBULLYING, child_bullying_slots(messages, school), school)
    return decision if decision.decided else None
