"""Safety first (bot/triage.py): a child who may need help is heard,
whatever else the message says; adults asking about policy are not
mistaken for children."""
from __future__ import annotations

import pytest

from bot import triage


@pytest.mark.parametrize(
    "text, worry",
    [
        ("i feel scared", "feelings"),
        ("im really upset", "feelings"),
        ("i'm scared to go to school", "feelings"),
        ("this boy on a game keeps sending me horrible stuff and he knows my street", "danger"),
        ("someone keeps being mean to me online who do i tell", "bullying"),
        ("a girl from my old school keeps saying mean things to me", "bullying"),
        ("please can u tell miss for me", "help"),
        ("sir said i have to keep it secret", "secret"),
        ("a man on roblox asked me to send pics", "secret"),
        ("he wants to meet me after school", "danger"),
        ("i want to kill myself", "danger"),
        ("my mum doesnt know but someone keeps messaging me at night", "bullying"),
    ],
)
def test_a_child_in_trouble_is_heard(text, worry):
    assert triage.child_needs_help(text) == worry


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is being bullied online",
        "I'm worried about a colleague",
        "I'm worried about the policy",
        "what should i do if a pupil adds me?",
        "some parents are being horrible to me on facebook",
        "can I friend an ex-pupil?",
        "who do i tell about my daughter's inhaler",
        "my son is scared to go to school",
        "what if a parent is rude to me",
    ],
)
def test_adults_are_not_taken_for_children(text):
    assert triage.child_needs_help(text) is None


def test_a_signed_in_role_decides_who_is_writing():
    assert triage.child_needs_help("they keep being mean to me", role="pupil") == "bullying"
    assert triage.child_needs_help("they keep being mean to me", role="staff") is None
    # a child in danger is heard whoever the token says they are
    assert triage.child_needs_help("i want to hurt myself", role="staff") == "danger"


def test_what_a_child_is_told(school):
    reply = triage.support_reply("bullying", school)
    text = reply.text
    for needed in ("did the right thing", "class teacher", "grown-up you trust", "999", "Childline", "0800 1111", school.dsl.name):
        assert needed in text, needed
    for never in ("not sure I understood", "not the school's responsibility", "LADO", "harassment", "designated"):
        assert never.lower() not in text.lower(), never
    assert reply.custom["policy_refs"][0] == "pupils.report-concerns"
    assert [b["payload"] for b in reply.buttons] == ["/affirm", "/deny"]


def test_a_childs_bullying_decision_never_says_it_is_not_the_schools_problem(school):
    reply = triage.child_decision_reply("cyberbullying", "not_school_responsibility", ("cyberbullying.ex-pupil",), school)
    assert "responsibility" not in reply.text.lower() and "police" not in reply.text.lower()
    assert "different school" in reply.text and "Childline" in reply.text
    assert reply.custom["decision"] == "not_school_responsibility"


def test_a_conversation_is_a_childs_when_any_message_reads_as_one():
    assert triage.conversation_is_child(["hi", "miss said i cant go on tiktok"])
    assert not triage.conversation_is_child(["Can staff use Facebook at lunchtime?"])
    assert triage.conversation_is_child(["Can staff use Facebook at lunchtime?"], role="pupil")


# --- what the NLU and the conversation add (written here, not from any eval set)


def test_the_nlu_hears_a_worry_no_pattern_lists():
    # "sumone wants a pic" matches no worry pattern; the NLU's tell_worry does
    assert triage.child_needs_help("sumone wants a pic", intent="tell_worry", confidence=0.8) == "secret"
    assert triage.child_needs_help("its a secret and i cant say", intent="tell_worry", confidence=0.7) is not None
    assert triage.child_needs_help("its a secret and i cant say", intent="tell_worry", confidence=0.3) is None


def test_an_adult_is_not_answered_as_a_child_even_if_the_nlu_says_worry():
    text = "my daughter is scared to go on her ipad"
    assert triage.child_needs_help(text, intent="tell_worry", confidence=0.9) is None
    assert triage.child_needs_help("i feel scared", role="staff", intent="tell_worry", confidence=0.9) is None


def test_a_child_who_has_told_us_something_is_heard_in_what_they_add():
    text = "and now he keeps messaging me"
    assert triage.child_needs_help(text, child_before=True) == "bullying"
    assert triage.child_needs_help("my son says he keeps messaging him", child_before=True) is None


@pytest.mark.parametrize(
    "text",
    [
        "my niece is in year 3 here and my sister wants her to send me pics of the dog",
        "how do i top up dinner money on the app, it keeps saying payment failed",
        "the crossing outside school has no lollipop lady, its not safe",
        "Ive already reported it, the boy in my sons class wont stop and im at the end of my tether",
    ],
)
def test_adults_everyday_words_are_not_a_childs_worry(text):
    assert triage.child_needs_help(text, intent="out_of_scope", confidence=0.8) is None


def test_a_confident_other_intent_keeps_weak_patterns_quiet_but_not_secrets():
    assert triage.child_needs_help("it keeps saying i cant log in", intent="out_of_scope", confidence=0.9) is None
    assert triage.child_needs_help("he asked me for pics of me", intent="out_of_scope", confidence=0.9) == "secret"


def test_what_a_child_is_told_says_it_is_not_their_fault(school):
    for kind in ("secret", "danger", "feelings", "bullying"):
        reply = triage.support_reply(kind, school)
        assert "done anything wrong" in reply.text or "not in trouble" in reply.text
        assert "your fault" not in reply.text  # (not even "not your fault": the words of blame are not said at all)
        assert triage.CHILDLINE in reply.text
    assert "No one deserves" in triage.support_reply("bullying", school).text
    again = triage.support_reply("help", school, again=True)
    assert triage.CHILDLINE in again.text and "telling me more" in again.text


def test_a_childs_conversation_needs_no_adult_voice_anywhere():
    assert triage.conversation_is_child(["miss said its our secret"])
    assert not triage.conversation_is_child(["miss said its our secret", "I'm a TA in Year 4"])
    assert not triage.conversation_is_child(["im so fed up, dont know what to do"], strict=True)
    assert triage.conversation_is_child(["im so fed up, dont know what to do"])


def test_a_relative_who_teaches_here_is_explained_to_a_child(school):
    reply = triage.child_decision_reply("contact", "permitted_declare_to_head_teacher", ["staff.family-links"], school)
    assert "family" in reply.text and "head teacher" in reply.text
    assert reply.custom["decision"] == "permitted_declare_to_head_teacher"


def test_an_unsure_reading_with_worry_among_its_likeliest_is_heard():
    text = "someone put a really scary pic in our group chat with blood and a face"
    assert triage.child_needs_help(text, intent="nlu_fallback", confidence=0.3, worry_confidence=0.48) == "help"
    assert triage.child_needs_help(text, intent="nlu_fallback", confidence=0.3, worry_confidence=0.22) is None
    assert triage.child_needs_help(text, intent="nlu_fallback", confidence=0.3, worry_confidence=0.48, role="parent") is None


def test_a_teacher_writing_like_a_teenager_is_still_a_teacher():
    text = "one of my yr5 boys has sent me a friend req on snapchat, hes a sweet kid and i dont want to upset him"
    assert triage.child_needs_help(text) is None


def _said(*pairs):
    """(text, entities) pairs as the child typed them."""
    return [(text, [{"entity": e, "value": v} for e, v in entities]) for text, entities in pairs]


@pytest.mark.parametrize(
    "messages, outcome",
    [
        # children here, by text message: no platform age limit
        (_said(("theres a boy in my class he keeps texting me horibble things at nite", [("other_party", "current_pupil")])),
         "school_must_investigate"),
        # a child asking whether the teachers will care: no teacher in the story
        (_said(("some girls in my class keep texting me horibble things at the wekend. it isnt at school so will the teachers even care",
                [("other_party", "current_pupil")])),
         "school_must_investigate"),
        # children here, on an app they are too young for
        (_said(("some peple in year 5 keep saying mean stuff about me on tiktok", [("platform", "TikTok")])),
         "school_must_investigate_and_warn_parents"),
        # moved away: the school still helps, but it is not its case to investigate
        (_said(("a girl who use to be in my class moved to a difrent school and sends me mean snapchats", [("platform", "Snapchat")])),
         "not_school_responsibility"),
        # told over three messages
        (_said(("sumone is being horrible to me online", []), ("its 2 girls in my class", [("other_party", "current_pupil")]),
               ("on snapchat. im 10", [("platform", "Snapchat"), ("age", "10")])),
         "school_must_investigate_and_warn_parents"),
    ],
)
def test_a_childs_bullying_is_decided_from_what_they_said(messages, outcome, school):
    decision = triage.child_bullying_case(messages, school)
    assert decision is not None and decision.outcome == outcome


@pytest.mark.parametrize(
    "messages",
    [
        _said(("sumone is being horrible to me online", [])),  # who? not known yet
        _said(("the lady who helps in our class sends me mean messages on facebook", [("other_party", "current_pupil")])),  # an adult
        _said(("a man on roblox keeps saying horrible things to me", [("platform", "Roblox")])),  # a stranger
        _said(("kids in my class are on tiktok", [("platform", "TikTok")])),  # not about being bullied
    ],
)
def test_no_decision_for_a_child_when_it_is_not_children_bullying_or_not_known(messages, school):
    assert triage.child_bullying_case(messages, school) is None


def test_a_friend_who_wont_talk_to_a_child_is_not_a_family_refusing_to_engage(school):
    slots = triage.child_bullying_slots(_said(("my freind wont talk to me and they keep being mean to me", [])), school)
    assert "parents_refuse" not in (slots.get("escalation") or [])
    slots = triage.child_bullying_slots(_said(("her mum wont talk to my mum about it", [])), school)
    assert "parents_refuse" in slots["escalation"]


def test_a_teacher_speaking_of_last_years_leavers_is_an_adult():
    assert triage.adult_voice("one of last julys year 6 leavers keeps messaging me on facebook, i dont want to be rude")
    assert triage.child_needs_help("one of last julys year 6 leavers keeps messaging me on facebook, i dont want to be rude",
                                   intent="ask_staff_pupil_contact", confidence=0.6) is None


@pytest.mark.parametrize("text", [
    "the lady who helps in our class messaged me on facebook",
    "ther is a boy who use to go to our school but he moved to a difrent school",
])
def test_a_child_telling_a_story_in_their_own_words_is_a_child(text):
    assert triage.child_voice(text)


def test_a_volunteer_passing_on_what_a_child_told_them_is_an_adult():
    text = "I volunteer with reading on tuesdays. one of the year 3s told me an older boy is saying nasty things to him in roblox"
    assert triage.adult_voice(text)
    assert triage.child_needs_help(text) is None


@pytest.mark.parametrize("text", ["can u tell a teacher", "please tell miss for me", "cud you tell my teacher pls", "can you let someone know"])
def test_a_child_asking_us_to_tell_a_grown_up(text):
    assert triage.asks_us_to_tell(text)


def test_telling_a_teacher_themselves_is_not_asking_us():
    assert not triage.asks_us_to_tell("should i tell a teacher?")


@pytest.mark.parametrize("text", [
    "i dont want to come in tomorow. evry1 in 5c is commenting on that tiktok and they put me last and said i smell",
    "they kicked me out of the group chat and everyone hates me",
])
def test_hurt_said_plainly_is_heard_however_sure_the_nlu_is_of_something_else(text):
    assert triage.child_needs_help(text, None, "out_of_scope", 0.72) in ("bullying", "feelings")


def test_an_app_that_keeps_logging_me_out_is_not_hurt():
    assert triage.child_needs_help("it keeps logging me out of the dinner money app", None, "out_of_scope", 0.8) is None


def test_a_teacher_speaking_of_last_years_lads_is_an_adult():
    assert triage.adult_voice("one of last years y6 lads keeps messaging me on snapchat. hes not technically ours anymore, he's a lovely kid")


def test_asking_us_to_tell_a_teacher_is_no_adult_in_a_childs_bullying(school):
    messages = _said(("sum1 in my class keeps calling me names on snapchat can u tell a teacher", [("platform", "Snapchat")]))
    decision = triage.child_bullying_case(messages, school)
    assert decision is not None and decision.outcome == "school_must_investigate_and_warn_parents"


def test_a_decision_told_to_a_child_who_asked_us_to_tell_offers_nothing_more(school):
    reply = triage.child_decision_reply("cyberbullying", "school_must_investigate", [], school, offer=False)
    assert "Would you like me to tell" not in reply.text and not reply.buttons and "0800 1111" in reply.text


@pytest.mark.parametrize("text", [
    "Class teacher 5H. Pasting what a mum sent:\n<p>Evie has had horrible comments under her TikTok videos</p>",
    "TA here: a child in my group is upset about messages",
    "a mum emailed me that her daughter is getting nasty messages",
    # the writer's job at the school
    "I'm the SBM. I saw on the school iPad that she's been messaging a Year 6 boy on Snapchat, 'our little secret' type stuff",
    "im the site manager and i found a phone in the hall with messages saying dont tell anyone",
    "im only a dinner lady (lunchtime supervisor) not a teacher. a few of the yr 6 girls keep asking me to follow them on tiktok",
    # staff telling of the families in the case
    "update. weve met both families. the other lads dad says its nothing to do with the school and wont engage",
    # a worry about one's job
    "im worried, could i get sacked for what i post on fb at the weekend",
])
def test_staff_passing_on_a_childs_worry_or_giving_their_job_are_adults(text):
    assert triage.adult_voice(text)
    assert triage.child_needs_help(text) is None


def test_a_child_mentioning_their_teacher_is_still_a_child():
    assert not triage.adult_voice("my teacher said i cant bring my phone")
    assert triage.child_needs_help("miss, some kids in my class keep sending me horrible messages") is not None


def test_a_pupil_asking_about_contact_hears_that_under_13s_should_not_be_on_the_sites(school):
    for outcome in ("permitted_declare_to_head_teacher", "not_permitted"):
        reply = triage.child_decision_reply("contact", outcome, ["staff.no-pupil-interaction"], school)
        assert "under 13" in reply.text and {"pupils.under-13", "facebook.age-limit"} <= set(reply.custom["policy_refs"])


def test_a_child_wanting_help_with_spellings_is_not_a_worry():
    text = "can u help me lern my spelings for friday. the words are becuase, freind and wierd"
    assert triage.child_needs_help(text, intent="tell_worry", confidence=0.8) is None
    # a worry said alongside schoolwork is still heard
    assert triage.child_needs_help("i cant do my homework coz the kids in my class keep sending me horrible messages",
                                   intent="tell_worry", confidence=0.8) is not None


@pytest.mark.parametrize(
    "text",
    [
        "a Year 6 pupil in my class has sent me a follow request on instagram. do I need to do anything else?",
        "parent emailed me this morning, pasting it in: 'Harvey has been really upset.' -- what's our responsibility here? I'm his TA",
        "is it ok if I make a pretend account as a kid on roblox to keep an eye on what my class are saying? like say im 10",
    ],
)
def test_a_member_of_staff_in_their_own_words_is_an_adult(text):
    assert triage.adult_voice(text) and triage.child_needs_help(text) is None


@pytest.mark.parametrize("text", ["not that i know of, nobody in danger right now", "no one is in danger", "he is not in danger"])
def test_danger_denied_is_no_danger(text):
    assert triage.worry(text) is None


def test_an_adult_earlier_in_the_conversation_is_still_an_adult():
    assert triage.child_needs_help("im scared nobody listens", adult_before=True) is None


@pytest.mark.parametrize(
    "text",
    ["i foster a boy in year 4. the sports coach has added him on snapchat and sent him a message saying don't tell your carer",
     "my foster daughter is scared of a girl in her class"],
)
def test_a_foster_carer_is_an_adult(text):
    assert triage.adult_voice(text) and triage.child_needs_help(text) is None


def test_a_parent_among_parents_is_an_adult():
    text = ("is it actually illegal for a grown man to pretend to be a kid online?? theres a post going round the local mums "
            "facebook about a man posing as a 12 yr old. im just scared stiff")
    assert triage.adult_voice(text) and triage.child_needs_help(text) is None


def test_a_threat_misspelt_is_heard():
    text = "sum1 on fortnite sed they no were i live and they wil hak my acownt and put my adres on youtube. i am 8. am i in trubble"
    assert triage.worry(text) == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "need a steer pls\n- Y6, 4 girls\n- we wrote to all 5 families in november: make it stop\n- also name calling in class",
        "the victim's dad is back in today, says it's carried on all weekend",
        "where do we stand on this one? tiktok comments every night",
    ],
)
def test_staff_writing_of_a_case_is_not_a_child(text):
    assert not triage.conversation_is_child([text])


@pytest.mark.parametrize(
    "text",
    [
        "i clean upstairs in the evenings and one of the teachers leaves his laptop open",
        "when i first started here in 2012 there was a lovely girl in year 6. shes sent a request!! im still the cleaner here",
        "two lads from the year 6 footy squad have been messaging one of my other players on xbox",
    ],
)
def test_adults_who_work_at_the_school_out_of_the_classroom_are_not_children(text):
    assert not triage.conversation_is_child([text])


def test_a_childs_misspelt_fear_is_heard():
    assert triage.child_needs_help("i got a mesij saying a gost gurl wil cum and get my famlee tonite. im reely skerd") is not None


@pytest.mark.parametrize(
    "text, who",
    [
        ("when i leave in july and go to big school can i follow miss patel on insta??", "ex_pupil"),
        ("after year 6 am i allowed to add mr obi on snapchat", "ex_pupil"),
        ("can i add sir on snap", "current_pupil"),
        ("I WANT TO ADD MISS LOWE ON SNAPCHAT SHES SO NICE CAN I", "current_pupil"),  # the wish first, the question after
        ("is it ok for me to follow my teacher on tiktok", "current_pupil"),
        ("is it ok if mr jones follows my mum on facebook", None),  # not about the child themselves
    ],
)
def test_a_childs_own_contact_with_an_adult_at_school(text, who):
    assert triage.childs_own_contact(text) == who



def test_others_in_our_class_spelt_as_said_are_pupils_here(school):
    slots = triage.child_bullying_slots(_said(("my frend is geting horibul mesijis on roblox from 2 boys in are class", [])), school)
    assert slots.get("bullying_who") == "current_pupil"


@pytest.mark.parametrize(
    "text",
    [
        # a teacher's past class ("in my class" alone reads as a child's)
        "a lad i had in my class a while back wants to add me",
        "someone i used to have in my form, maybe six years back, sent a request",
        # a parent's forum shorthand for their own child (dear daughter / son)
        "my dd is gettin nasty msgs off girls in her class wot do i do",
        "ds2 is being left out of the group chat",
    ],
)
def test_an_adult_in_a_childs_words_is_an_adult(text):
    assert triage.adult_voice(text)
    assert not triage.child_voice(text)
    assert not triage.conversation_is_child([text])


def test_a_childs_games_console_is_not_a_parents_son():
    assert not triage.adult_voice("my ds is broken and my brother keeps laughing at me")


@pytest.mark.parametrize(
    "text",
    [
        "an ex pupil added me on snap, she turned 18 last month",
        "one of my lot from 5C has followed me on tiktok",
        "a yr 4 lad asked if i could follow his football page",
        "the boys i coach on thursdays want to add me",
        "i run the gardening club and a parent asked me to join their group",
        "im employed by the catering firm not the school",
        "im in the office and a mum keeps messaging me",
        "im on placement in year 3 this term",
        "one of the year 6 girls has found my insta",
        "my cousins son is in year 5 here and wants to follow me",
        "copied from the class chat: 'has anyone seen what mr b posted'",
        "[09:14] Amy (Leo's mum): who is the new TA on facebook??",
    ],
)
def test_the_adult_side_of_a_contact_question_is_an_adult(text):
    assert triage.adult_voice(text)
    assert not triage.conversation_is_child([text, "isnt that ok?"])


@pytest.mark.parametrize(
    "text",
    [
        "a boy in year 6 sent me a horrible pic and i didnt want it",
        "a girl in my class keeps messaging me mean stuff",
        "miss said i can follow the school insta",
    ],
)
def test_a_child_writing_of_other_children_is_still_a_child(text):
    assert not triage.adult_voice(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dear Sir/Madam,\n\nI am writing in my capacity as Chair of the Friends of the PTA to propose a page.\n\nKind regards,\nB. Okafor",
        "Dear Mrs Example, we are writing about the class page. Yours sincerely, the committee",
        "the school had all of us parents in last term",
    ],
)
def test_a_letter_or_a_parents_we_is_an_adult(text):
    assert triage.adult_voice(text)
    assert not triage.child_voice(text)


def test_a_child_asking_us_to_tell_sir_is_still_a_child():
    assert triage.child_voice("can u tell sir for me")
    assert triage.child_needs_help("can u tell sir for me") == "help"


@pytest.mark.parametrize("text", ["mean girl", "scared", "nasty boys", "they hit me"])
def test_a_few_words_of_a_worry_not_understood_are_heard(text):
    assert triage.child_needs_help(text, intent="nlu_fallback", confidence=0.2) is not None
    assert triage.child_needs_help(text, intent="inform", confidence=0.8) is not None  # read as an answer to nothing


@pytest.mark.parametrize("text, kwargs", [
    ("mean girl", {"role": "parent", "intent": "nlu_fallback", "confidence": 0.2}),
    # (two words, "mean girls", are heard as a child's even when read as out of scope: safety first)
    ("sad news about the trip", {"intent": "out_of_scope", "confidence": 0.9}),
    ("is mean girls ok to watch for a 9 year old", {"intent": "out_of_scope", "confidence": 0.8}),
])
def test_a_few_words_from_an_adult_or_understood_as_something_else_are_not(text, kwargs):
    assert triage.child_needs_help(text, **kwargs) is None


@pytest.mark.parametrize("texts, older", [
    (["he taught me in year 5 ages ago, im 17"], True),
    (["im 11 and in year 6"], False),
    (["im 17", "sorry no, i turned 18 in march"], True),
    (["im 15 mins late"], False),
    (["im nearly 12"], False),  # 11 now
    (["i was 15 when she taught me"], False),  # an age then, not now
    (["my son is 14"], False),
])
def test_a_writer_older_than_any_pupil(texts, older, school):
    assert triage.writer_older_than_pupils(texts, school) is older


def test_the_writers_age_is_their_age_now():
    assert triage.writers_own_age(["im nearly 18"]) == 17
    assert triage.writers_own_age(["i was 15 when she taught me"]) is None
    assert triage.writers_own_age(["im 17", "sorry no, i turned 18 in march"]) == 18


def test_a_childs_spelling_of_school_words_is_a_childs_voice():
    assert triage.child_voice("can i wach youtube on the clas computer at wet play pleese")


def test_a_year_group_lead_is_an_adult_and_a_child_in_a_year_group_is_a_child():
    assert triage.adult_voice("I'm year 4 lead. we'd love to start a class blog") and not triage.child_voice("I'm year 4 lead.")
    assert triage.child_voice("im year 4 and i like roblox")
