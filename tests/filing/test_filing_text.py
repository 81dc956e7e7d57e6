"""bot/filing.py: reading answers, what is asked, the read-back and replies."""
from __future__ import annotations

import re

import pytest

from bot import filing
from bot.filing import ACCOUNT, CONFIRMED, CONTACT, NAME, ROLE, Draft
from bot.records.models import CONCERN_REPORT, DISCLOSURE, FAMILY_LINK_DECLARATION, SERVICE_PROPOSAL

# The simulated person of ../shared/eval/README.md answers the first pattern
# that matches the whole turn's text: each question must match only its own.
SIM_RULES = {
    "name": r"(your name|who am i|call you)",
    "role": r"(relationship|are you a|role|parent)",
    "contact": r"(contact|email|phone)",
    "account": r"(happened|describe|tell me|details|what did)",
    "confirm": r"(confirm|submit|correct|send|file)",
}


def _matches(text: str):
    return {key for key, pattern in SIM_RULES.items() if re.search(pattern, text, re.I)}


@pytest.mark.parametrize(
    "text, role",
    [
        ("I'm his mum", "parent"),
        ("parent", "parent"),
        ("his grandad", "parent"),
        ("I teach Year 5", "staff"),
        ("I'm a TA", "staff"),
        ("I work at the school", "staff"),
        ("I'm a pupil", "pupil"),
        ("im in year 6", "pupil"),
        ("I'm a governor", "governor"),
        ("someone else", "other"),
        ("a neighbour", "other"),
        ("blue", None),
    ],
)
def test_who_is_filing_is_read_from_a_free_answer(text, role):
    assert filing.parse_filer_role(text) == role


@pytest.mark.parametrize("text", ["skip", "I'd rather not say", "no", "anonymous please", "prefer not to"])
def test_declining_is_recognised(text):
    assert filing.is_decline(text)


@pytest.mark.parametrize("text", ["Priya Shah", "Sam", "sarah khan"])
def test_a_name_is_not_a_decline(text):
    assert not filing.is_decline(text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Priya Shah", "Priya Shah"), ("my name is Priya Shah", "Priya Shah"), ("I'm Tom", "Tom"), ("it's Mrs O'Neil", "Mrs O'Neil"),
        ("Priya Shah, Year 2 TA.", "Priya Shah"), ("it's Jo, but please don't pass my name on", "Jo"),
        ("Dan Whitfield, Year 3 class teacher.", "Dan Whitfield"), ("ok its Kerry", "Kerry"), ("Dr. Amir Khan - parent", "Dr. Amir Khan"),
        ("I'm the Year 2 TA, Priya Shah", "Priya Shah"), ("Jo-Anne Smith-Jones", "Jo-Anne Smith-Jones"), ("Mr K", "Mr K"),
        ("sarah khan", "sarah khan"), ("Hannah Cole, I'm Josh's mum.", "Hannah Cole"),
    ],
)
def test_names_are_taken_without_the_lead_in(text, name):
    assert filing.clean_name(text) == name


@pytest.mark.parametrize(
    "text", ["I want to report a teacher", "because he keeps messaging her at night on snapchat", "yes", "no", "12345", "/affirm"]
)
def test_sentences_are_not_names(text):
    assert filing.clean_name(text) is None


def test_a_pupil_gives_a_name_and_class():
    assert filing.clean_name("Sam, Year 5", pupil=True) == "Sam, Year 5"
    assert filing.clean_name("im jayden in year 4", pupil=True) == "jayden, Year 4"
    assert filing.clean_name("Chloe in 5B", pupil=True) == "Chloe, 5B"


@pytest.mark.parametrize(
    "text, found",
    [("priya.shah@example.org", "priya.shah@example.org"), ("ring me on 07700 900123", "07700 900123"), ("no thanks", None)],
)
def test_contact_details_are_found(text, found):
    assert filing.contact_in(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "a child is in immediate danger",
        "he is going to meet her tonight",
        "she said she wants to kill herself",
        "my son is in danger right now",
        "he's self-harming",
    ],
)
def test_immediate_danger_is_noticed(text):
    assert filing.mentions_immediate_danger(text)


@pytest.mark.parametrize("text", ["he sent messages last month", "the danger of social media in general is worrying"])
def test_ordinary_worries_are_not_immediate_danger(text):
    assert not filing.mentions_immediate_danger(text)


@pytest.mark.parametrize(
    "text, about_head",
    [
        ("the head teacher has been messaging pupils", True),
        ("the headteacher added my son on facebook", True),
        ("Mrs Example follows year 6 on tiktok", True),
        ("Mrs J. Example sent my child a friend request", True),
        ("the deputy head has been messaging pupils", False),
        ("Mr Example has been sending my son messages", False),
        ("a TA messaged my daughter", False),
    ],
)
def test_a_concern_about_the_head_teacher_is_recognised(text, about_head, school):
    assert filing.mentions_head_teacher(text, school) is about_head


def test_staff_and_pupils_are_not_asked_for_contact_details():
    assert filing.required_slots(DISCLOSURE, "parent") == [ROLE, ACCOUNT, NAME, CONTACT, CONFIRMED]
    assert filing.required_slots(DISCLOSURE, "staff") == [ROLE, ACCOUNT, NAME, CONFIRMED]
    assert filing.required_slots(DISCLOSURE, "pupil") == [ROLE, ACCOUNT, NAME, CONFIRMED]
    assert filing.required_slots(FAMILY_LINK_DECLARATION, "staff") == [ACCOUNT, NAME, CONFIRMED]
    assert filing.required_slots(SERVICE_PROPOSAL, "staff") == [ACCOUNT, NAME, CONFIRMED]


@pytest.mark.parametrize("kind", filing.KINDS)
@pytest.mark.parametrize("role", filing.ROLES)
def test_each_question_asks_one_thing(kind, role):
    expected = {ROLE: "role", ACCOUNT: "account", NAME: "name", CONTACT: "contact"}
    for slot in filing.required_slots(kind, role):
        if slot == CONFIRMED:
            continue
        text = filing.question(slot, kind, role).text
        if slot == ACCOUNT and kind == FAMILY_LINK_DECLARATION:
            assert not _matches(text) - {"account"}, text
            continue
        if slot == ACCOUNT and kind == SERVICE_PROPOSAL:
            assert not _matches(text) - {"account"}, text
            continue
        assert _matches(text) == {expected[slot]}, (slot, text)


@pytest.mark.parametrize("kind", filing.KINDS)
def test_the_start_of_filing_asks_nothing(kind, school):
    for about_head in (False, True):
        assert not _matches(filing.intro(kind, school, about_head)), kind


def test_the_read_back_shows_the_account_and_asks_only_to_confirm():
    draft = Draft(
        kind=DISCLOSURE,
        role="parent",
        account="Mr Example has been sending my son private messages on Instagram late at night since October",
        name="Priya Shah",
        contact="priya.shah@example.org",
    )
    reply = filing.readback(draft, filing.required_slots(DISCLOSURE, "parent"))
    assert draft.account in reply.text and "Priya Shah" in reply.text and "priya.shah@example.org" in reply.text
    assert _matches(reply.text) == {"confirm"}
    assert [b["payload"] for b in reply.buttons] == ["/affirm", "/deny", "/stop"]


def test_the_filed_account_keeps_the_first_message_and_the_answer_verbatim():
    draft = Draft(kind=DISCLOSURE, role="parent", account="  Exactly\nas typed ", name=None, contact=None, opening="I want to report a TA")
    assert draft.filed_account() == "I want to report a TA\n\n  Exactly\nas typed "
    same = Draft(kind=DISCLOSURE, role="parent", account="same", name=None, contact=None, opening="same")
    assert same.filed_account() == "same"


def test_a_changed_draft_is_a_new_confirmation_but_a_repeat_is_not():
    draft = Draft(kind=DISCLOSURE, role="parent", account="a", name="n", contact=None)
    changed = Draft(kind=DISCLOSURE, role="parent", account="a b", name="n", contact=None)
    assert filing.idempotency_key("c", "f", draft) == filing.idempotency_key("c", "f", draft)
    assert filing.idempotency_key("c", "f", draft) != filing.idempotency_key("c", "f", changed)


@pytest.mark.parametrize(
    "role, ref, words",
    [
        ("parent", "child-protection.from-parent", "explain each step"),
        ("staff", "child-protection.from-staff", "confidential"),
        ("pupil", "child-protection.from-child", "can't stay private"),
    ],
)
def test_after_a_disclosure_each_filer_is_told_what_the_policy_says_for_them(role, ref, words, school):
    reply = filing.filed(Draft(kind=DISCLOSURE, role=role, account="x", name=None, contact=None), "MF-AAAA-AAAA", school)
    assert reply.custom["reference"] == "MF-AAAA-AAAA"
    assert ref in reply.custom["policy_refs"]
    assert "child-protection.refer-lado" in reply.custom["policy_refs"]
    assert words in reply.text
    assert school.lado_name in reply.text and "not recommended that any action is taken" in reply.text


def test_a_disclosure_about_the_head_teacher_goes_to_the_chair_of_governors(school):
    draft = Draft(kind=DISCLOSURE, role="parent", account="x", name=None, contact=None, about_head=True)
    text = filing.filed(draft, "MF-AAAA-AAAA", school).text
    assert school.chair_of_governors.name in text
    assert school.chair_of_governors.name in filing.intro(DISCLOSURE, school, about_head=True)
    assert school.chair_of_governors.name in filing.not_filed(DISCLOSURE, True, school).text


def test_after_a_declaration_the_working_day_reminder_is_given(school):
    reply = filing.filed(Draft(kind=FAMILY_LINK_DECLARATION, role="staff", account="x", name="A", contact=None), "MF-AAAA-AAAA", school)
    assert "working day on school equipment" in reply.text
    assert reply.custom["policy_refs"][:2] == ["staff.family-links", "work-time.personal-use"]


def test_after_a_proposal_they_are_told_not_to_launch_before_approval(school):
    reply = filing.filed(Draft(kind=SERVICE_PROPOSAL, role="staff", account="x", name="A", contact=None), "MF-AAAA-AAAA", school)
    assert "do not launch it until it has been approved" in reply.text
    assert "school-service.approval" in reply.custom["policy_refs"]


def test_a_report_goes_to_the_named_child_protection_person(school):
    reply = filing.filed(Draft(kind=CONCERN_REPORT, role="parent", account="x", name=None, contact=None, topic="working_day_use"), "MF-AAAA-AAAA", school)
    assert school.dsl.name in reply.text
    assert reply.custom["policy_refs"][0] == "staff.report-working-day-use"


def test_not_filed_never_gives_a_reference_and_names_someone(school):
    for kind in filing.KINDS:
        reply = filing.not_filed(kind, False, school)
        assert "not been filed" in reply.text and "reference" in reply.text
        assert not re.search(r"MF-\w{4}-\w{4}", reply.text)
        assert reply.custom is None


def test_every_cited_clause_exists(catalogue, school):
    refs = set()
    for kind in filing.KINDS:
        for role in filing.ROLES:
            refs |= set(filing.filed(Draft(kind=kind, role=role, account="x", name=None, contact=None), "R", school).custom["policy_refs"])
    assert refs <= set(catalogue.clauses)


@pytest.mark.parametrize(
    "text, targets",
    [
        ("no, my email is wrong", [CONTACT]),
        ("change my name", [NAME]),
        ("the account needs changing", [ACCOUNT]),
        ("I'm not a parent, I'm staff", [ROLE]),
    ],
)
def test_a_correction_says_what_it_is_about(text, targets):
    assert filing.change_targets(text) == targets


def test_the_role_of_a_signed_in_user_comes_from_metadata():
    assert filing.role_from_metadata({"user": {"role": "staff"}}) == "staff"
    assert filing.role_from_metadata({"user": {"role": "admin"}}) is None
    assert filing.role_from_metadata({"user": "staff"}) is None
    assert filing.role_from_metadata(None) is None


@pytest.mark.parametrize(
    "topic, ref, words",
    [
        ("improper_contact", "pupils.report-concerns", "class teacher, in confidence"),
        ("cyberbullying", "pupils.zero-tolerance", "zero tolerance to cyberbullying"),
        ("working_day_use", "staff.report-working-day-use", "during the working day"),
    ],
)
def test_a_report_is_told_what_the_policy_asks_for_its_kind_of_concern(topic, ref, words, school):
    reply = filing.filed(Draft(kind=CONCERN_REPORT, role="parent", account="x", name=None, contact=None, topic=topic), "R", school)
    assert reply.custom["policy_refs"][0] == ref and words in reply.text
    if topic != "cyberbullying":
        assert "zero tolerance" not in reply.text  # that clause is about cyberbullying


@pytest.mark.parametrize("text, role", [
    ("I'm a TA in year 4 and my son is in year 3", "staff"),
    ("Parent governor here. There's a petition going round", "governor"),
    ("as a parent i think this is wrong", "parent"),
    ("I'm one of the lunchtime supervisors", "staff"),
    ("i volunteer as a reader on thursdays", "other"),
    ("the PE teacher added my son on snapchat", None),  # another adult, not the writer
    ("mr dawes, he teaches year 6", None),
])
def test_a_role_is_only_what_the_writer_says_they_are(text, role):
    assert filing.role_said(text) == role


def test_a_parent_speaking_of_their_own_child_is_filing_as_a_parent():
    opening = ["i need to report something about a teacher. my daughter is in year 6 and mr dawes has been messaging her"]
    assert filing.role_from_opening(opening, None) == "parent"
    # a kind with a usual filer keeps it unless they say otherwise (a member of staff's own child)
    assert filing.role_from_opening(["my son is in year 3 and we're friends on facebook"], "staff") is None
    assert filing.role_from_opening(["hello", "I'm the head, my son is in year 5"], None) == "staff"
    assert filing.role_from_opening(["a teacher has been messaging a boy in year 5"], None) is None


def test_an_answer_naming_another_adult_is_not_the_writers_role():
    assert filing.names_another_adult("the PE teacher, mr brennan")
    assert not filing.names_another_adult("I'm a teacher")
    assert not filing.names_another_adult("teacher")


@pytest.mark.parametrize("text", ["i want school to know", "i think someone should know", "i want this reported",
                                  "someone at school needs to know about this"])
def test_wanting_the_school_told_asks_to_file(text):
    assert filing.asks_to_file(text)


def test_wondering_about_the_school_is_not_asking_to_file():
    assert not filing.asks_to_file("does the school know what the rules are?")


def test_a_parents_words_passed_on_by_someone_else_do_not_make_them_a_parent():
    pasted = "hi, this came through on the office email and I've been told to log it:\n<p>My son Alfie keeps getting voice notes</p>"
    assert filing.role_from_opening([pasted], None) is None


def test_a_grown_up_in_the_story_is_not_the_writer():
    assert filing.tells_of_a_grown_up("a Year 4 girl told me the drama club man sent her a friend request")
    assert not filing.tells_of_a_grown_up("I volunteer as a reader in Year 4. Some girls in her class set up a group chat")


def test_the_adult_who_is_to_be_told_is_not_in_the_story():
    assert not filing.tells_of_adult_at_school("some girls in her class set up a group chat to make fun of her. "
                                               "I'd like to report it so her teacher and the safeguarding lead know")
    assert filing.tells_of_adult_at_school("I told her teacher but mr jones still messages her on snapchat")


@pytest.mark.parametrize("text", [
    "A TA in our year group has been doing TikTok livestream sessions in the evenings and some of our Year 6 kids join in",
    "Our caretaker has been putting crude jokes on his public Facebook about 'the little darlings at work'",
    "One of the year 4 teachers posted on her public twitter account about a child having a 'meltdown' in assembly",
])
def test_an_adult_at_the_school_putting_pupils_on_their_own_social_media_is_a_disclosure(text):
    assert filing.is_disclosure(text)


@pytest.mark.parametrize("text", [
    "is a teacher allowed to post photos of pupils on her facebook?",
    "the lunchtime supervisor caught three Y6s posting on tiktok in the toilets",
    "Mrs Jones posted the class photos on the school facebook page",
])
def test_a_question_a_childrens_post_or_the_schools_own_page_is_no_disclosure(text):
    assert not filing.is_disclosure(text)


def test_pupils_on_the_account_of_the_adult_named_before_is_a_disclosure():
    assert filing.is_disclosure("it's about the head. she has loads of current year 6 kids as friends on facebook")
    assert not filing.is_disclosure("it is about mrs jones. he has some of the year 6 kids on his snapchat")  # he is not mrs jones


def test_a_proposal_the_writer_would_run_is_no_disclosure():
    assert not filing.is_disclosure("Want to pitch an idea to the head: a school sport Instagram account that I'd run, "
                                    "putting up fixture times and results, no kids' faces unless parents have agreed")


@pytest.mark.parametrize(
    "text, name",
    [("alfie 4W", "alfie, 4W"), ("Mia 3B", "Mia, 3B"), ("jayden class 6J", "jayden, Class 6J"), ("Mia y3", "Mia, Y3")],
)
def test_a_pupil_gives_their_name_and_class_in_one_line(text, name):
    assert filing.clean_name(text, pupil=True) == name


@pytest.mark.parametrize(
    "text",
    [
        "my son Yusuf year 3. boys in class take photo of him with funny face. he cry every day. i want tell school",
        "i'm told i need to let the head know in writing because we're connected online. we're in a family group. can you do that for me",
        "I don't feel I can go to her about it. Can it be recorded somewhere that isn't her?",
        "some Year 5s have been putting snaps of a dinner lady on their stories. Thought you should know",
    ],
)
def test_asking_to_file_in_other_words(text):
    assert filing.asks_to_file(text)


@pytest.mark.parametrize(
    "text, role",
    [
        ("hi, I'm chair of the PTA (a parent, not staff). we want to set up a Friends of Moat Farm facebook page", "parent"),
        ("hi it's Leanne, chair of the PTA (I'm mum to two here). We want to set up a page", "parent"),
    ],
)
def test_a_role_said_in_passing(text, role):
    assert filing.role_said(text) == role


@pytest.mark.parametrize(
    "text",
    [
        "i've seen that mr hatherley has been leaving comments with heart emojis on one of our year 6 girls' tiktok videos",
        "a parent has just shown me screenshots of the head teacher messaging a couple of our year 6 boys on snapchat. "
        "I don't know who I'm supposed to take this to",
        "the lady who helps in our class at reading time found me on insta and sent me a mesage saying i look pretty",
    ],
)
def test_disclosures_in_other_words(text):
    assert filing.is_disclosure(text)


@pytest.mark.parametrize(
    "text",
    [
        # the one written to, and the one told, are not in the story
        'the email i was going to send the head: "Dear Mrs Example, the same girls from her class are still sending my '
        'daughter horrible snaps at weekends. Kind regards, Mrs L. Baker"',
        "This is the email I sent the class teacher: 'A man none of us know has been sending friend requests on Roblox "
        "to several children in Year 6 and asking them for their home addresses.'",
    ],
)
def test_not_a_disclosure_about_the_adult_written_to(text):
    assert not filing.is_disclosure(text)


def test_a_stranger_is_not_an_adult_at_the_school():
    assert filing.tells_of_a_stranger("A man none of us know has been sending friend requests on Roblox")
    assert not filing.tells_of_a_stranger("the man who runs drama club keeps messaging her")
    assert not filing.tells_of_a_stranger("I want to report an adult")


def test_a_colleague_is_an_adult_at_the_school_and_an_adults_me_is_no_child():
    assert filing.is_disclosure("pretty sure a colleague has a tiktok where he pretends to be 14 and follows loads of our yr6s")
    assert filing.is_disclosure("a colleague, mrs brightwell in year 6, has loads of her current class as friends on facebook")
    assert not filing.is_disclosure("I am a TA and my colleague keeps messaging me about rotas")


def test_an_adult_writers_me_is_not_the_child_contacted():
    assert not filing.is_disclosure(
        "Sandra Pike, office manager here - the head has asked me to put in a proper proposal for a school Instagram account, "
        "only kids with photo consent")
    assert filing.is_disclosure("the PE teacher asked me to send him a photo")


def test_asking_to_pass_it_on():
    assert filing.asks_to_file("can you pass this on to my son's class teacher please, he's in 4H")


@pytest.mark.parametrize(
    "text",
    [
        "screenshots indicating that the Head Teacher has accepted Facebook friend requests from a number of current Year 6 pupils",
        "The Head Teacher herself, Mrs Example.",
    ],
)
def test_about_the_head_teacher_in_other_words(text, school):
    assert filing.concerns_head_teacher(text, school) is True


def test_a_pta_chair_in_other_words():
    assert filing.role_said("Hiya, I chair the Friends of Moat Farm (the PTA). We want to set up a page") == "parent"


def test_a_childs_posts_are_the_child_contacted():
    assert filing.is_disclosure("I've seen one of the year 6 TAs liking and commenting on a year 6 girl's instagram posts")
    assert not filing.is_disclosure("the PE teacher told the boy to get changed")


def test_a_childs_disclosure_of_the_ta_in_their_class():
    text = "mr bailey who is the TA in are class messaged me on tiktok and said i look realy grown up in my vids and to send him more"
    assert filing.is_disclosure(text) and filing.tells_of_adult_contacting_writer(text)


def test_the_head_to_be_told_is_not_in_the_story():
    text = ("hiya ive just started as a midday supervisor. my nephew Oscar is in year 5 and were friends on facebook. "
            "someone said i have to tell the head in writing?? can i do that on here")
    assert not filing.tells_of_adult_at_school(text)


def test_a_proposal_is_proposed():
    assert filing.proposes("proposal for the head please\n- Y6 residential blog on blogger\n- run by me + 2 TAs")


def test_the_after_school_club_man_is_an_adult_at_the_school():
    assert filing.is_disclosure("the man who does football club after school keeps messaging me on whatsapp at nite and says dont tell my mum")


def test_a_me_later_in_an_adults_report_is_not_the_child_contacted():
    assert not filing.tells_of_adult_contacting_writer(
        "i've noticed the head has got several of our year 6 girls as friends on her personal facebook and has been "
        "commenting on their photos. i dont want anyone knowing it came from me")


def test_pupils_in_a_group_an_adult_at_the_school_runs_is_a_disclosure():
    assert filing.is_disclosure("Mrs Example runs a facebook group called Moat Farm Booklovers and loads of current pupils "
                                "are in it, and she chats with them in there in the evenings")
    assert filing.is_disclosure("the football coach set up a whatsapp group and the year 6 boys are in it")
    assert not filing.is_disclosure("can a teacher run a facebook group if pupils are in it?")
    assert not filing.is_disclosure("my son is in a minecraft server and some year 5s are in it")


@pytest.mark.parametrize("text, asks", [
    ("do i need to declare it or whatever?", True),
    ("do I have to let the head know?", True),
    ("is this something i need to declare", True),
    ("should i tell his mum?", False),
    ("do I need to tell her parents", False),
    ("can i accept her friend request?", False),
])
def test_asking_whether_to_declare(text, asks):
    assert filing.asks_whether_to_declare(text) is asks


def test_the_writer_who_was_that_adult_is_not_a_disclosure():
    assert not filing.is_disclosure("one of my old lot from when i was TA in year 6 keeps commenting on my insta and wants me "
                                    "to follow him back. ok to follow?")
    assert filing.is_disclosure("mr jones the TA keeps messaging me")


def test_a_teacher_posting_about_pupils_told_over_two_sentences_is_a_disclosure():
    assert filing.is_disclosure("one of the teachers always leaves his laptop open. last night he had a facebook group up "
                                "where hes been posting photos of kids from his class with nasty jokes about them")


def test_a_colleagues_relative_is_a_family_link_unless_harm_is_told():
    text = "One of our teachers asked me: his granddaughter has just started in Year 3. Is he allowed to stay connected with her?"
    assert not filing.is_disclosure(text)
    assert filing.is_disclosure("the PE teacher keeps messaging his niece in year 5 and told her not to tell anyone")


def test_want_to_report_it_properly_asks_to_file():
    assert filing.asks_to_file("kids in his class gang up and call him names. want to report it properly pls")
    assert not filing.asks_to_file("do they want to report it, do you think?")


def test_an_adult_who_only_advised_the_writer_is_not_in_the_story():
    text = ("My grandson Alfie starts in Year 3. He sometimes sends me messages from her iPad. A colleague said I have to "
            "put something in writing to the head? can you do it for me?")
    assert not filing.tells_of_adult_at_school(text) and not filing.is_disclosure(text)
    assert filing.tells_of_adult_at_school("my colleague keeps posting about pupils")
    assert filing.tells_of_adult_at_school("a colleague said horrible things about a pupil on facebook")


@pytest.mark.parametrize("text, disclosed", [
    ("i think a teachers account is following me", True),
    ("miss hartleys tiktok keeps liking all my videos", True),
    ("my colleague keeps liking my posts, im a TA", False),  # an adult's own posts
    ("is it ok for a teacher to follow pupils?", False),  # a question, not a telling
])
def test_an_adult_at_the_schools_account_contacting_a_child_is_a_disclosure(text, disclosed):
    from bot import filing

    assert filing.is_disclosure(text) is disclosed


@pytest.mark.parametrize(
    "text",
    [
        "Mr Rowe, the sports coach the school employs, has been sending her Snapchat messages in the evenings",
        "Miss Dee - the supply teacher we had in for the autumn - has been messaging one of my year 5s",
    ],
)
def test_an_adult_named_with_a_longer_aside_is_still_the_one_contacting_the_child(text):
    assert filing.is_disclosure(text)


@pytest.mark.parametrize("text", ["im office staff and one of the y6 mums is a mate", "I work in the office", "i'm on the kitchen team"])
def test_a_team_at_the_school_said_without_an_article_is_staff(text):
    assert filing.role_said(text) == "staff"


@pytest.mark.parametrize("text, asks", [
    ("I thought phones were meant to be handed in? can this be passed to whoever deals with it", True),
    ("please pass this on", True),
    ("i would like this to be passed on", True),
    ("will it be reported to the parents?", False),
    ("i'll tell my husband tonight", False),
])
def test_asking_for_it_to_be_passed_on(text, asks):
    assert filing.asks_to_file(text) is asks


def test_the_writers_own_volunteering_is_not_an_adult_the_message_tells_of():
    assert not filing.tells_of_adult_at_school("I do volunteer reading with Year 3. I saw a Year 6 girl showing little ones snapchat")
    assert filing.tells_of_adult_at_school("I do think the volunteer who reads with Year 3 has been messaging her")


def test_an_adult_named_with_who_they_are_and_no_commas_is_still_the_one_contacting_the_child():
    assert filing.is_disclosure("mr pike the dinner man keeps messaging me on tiktok and he sed its our secret")
    assert not filing.is_disclosure("mr pike the dinner man is nice to everyone")


def test_a_year_group_lead_says_they_are_staff():
    assert filing.role_said("I'm year 4 lead. we'd love to start a class blog") == "staff"
