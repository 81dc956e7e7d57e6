"""Facts read from the whole message (bot/nlp/fact_reader.py): negations,
contrasts and what is implied; and the slots each changes."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.nlp import fact_reader
from bot.nlp.fact_reader import read_facts

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    "text",
    [
        "she's at the academy in town, she was never one of yours",
        "he has only ever been at schools in the next town",
        "The lad doing it isn't at this school, he's from her swimming club",
        "they go to a different school",
        "she doesn't go to our school",
        "he was never a pupil at Moat Farm",
    ],
)
def test_never_a_pupil_here(text, school):
    facts = read_facts(text, school, TODAY)
    assert facts.not_here and not facts.left
    assert facts.slots("cyberbullying", {}, school) == {"bullying_who": "other_school"}
    assert facts.slots("contact", {"contact_who": "current_pupil"}, school)["contact_who"] == "not_a_pupil"


@pytest.mark.parametrize(
    "text, age, adult",
    [
        ("a boy I taught in Year 6 a while ago", None, False),
        ("she's in Year 9 now", 13, False),
        ("he started Year 7 in September", 11, False),
        ("I taught him in Year 5, must be twelve years ago", 21, True),
        ("someone I taught back in 2015", 18, True),
        ("one of my old year 6 lads, he's finished uni now", None, True),
        ("a former pupil, mid twenties now", None, True),
    ],
)
def test_an_ex_pupil_and_their_age_are_implied(text, age, adult, school):
    facts = read_facts(text, school, TODAY)
    assert facts.left and facts.age == age and facts.adult == adult
    slots = facts.slots("contact", {"contact_who": "current_pupil"}, school)
    assert slots["contact_who"] == "ex_pupil"
    if adult:
        assert slots["age"] == "18_or_over" or int(slots["age"]) >= 18


def test_too_old_to_be_a_pupil_here_is_not_a_current_pupil(school):
    facts = read_facts("a pupil who is about 13", school, TODAY)
    assert facts.slots("contact", {"contact_who": "current_pupil"}, school) == {"contact_who": "ex_pupil", "age": "13"}


@pytest.mark.parametrize("text", ["a girl in my class", "my nephew is in Year 4 here", "two boys in his Year 5 class are bullying him"])
def test_plain_facts_change_nothing(text, school):
    facts = read_facts(text, school, TODAY)
    assert facts.slots("contact", {"contact_who": "current_pupil"}, school) == {}
    assert facts.slots("cyberbullying", {"bullying_who": "current_pupil"}, school) == {}


def test_the_latest_age_wins_as_a_correction_does(school):
    # "she's 20 now" ... "oh hang on, it's her younger sister, she's in Year 8 now"
    facts = read_facts("It's her younger sister, who I also taught. She's in Year 8 now.", school, TODAY)
    assert facts.slots("contact", {"contact_who": "ex_pupil", "age": "20"}, school)["age"] == "12"
    # a plain statement that the person is an adult does not replace an exact age
    facts = read_facts("he's finished uni now", school, TODAY)
    assert "age" not in facts.slots("contact", {"contact_who": "ex_pupil", "age": "23"}, school)


def test_a_young_person_at_another_school_is_not_a_pupil_here_unless_taught_here(school):
    left = read_facts("One of my class left us last July and started Year 7 at the high school", school, TODAY)
    assert left.slots("contact", {"contact_who": "other_school"}, school)["contact_who"] == "ex_pupil"
    relative = read_facts("My partner's nephew is 15 and at the academy in town. He doesn't go to this school and never has", school, TODAY)
    assert relative.slots("contact", {"contact_who": "family"}, school)["contact_who"] == "not_a_pupil"


def test_an_entity_saying_another_school_is_not_a_pupil_for_contact():
    from bot import decisions, dialogue

    assert dialogue.contact_facts({"contact_who": "other_school"}).relationship == decisions.NOT_A_PUPIL


@pytest.mark.parametrize(
    "text, escalation",
    [
        ("The school wrote to every family about it last month, and now it's started up again", ["warned_before", "continuing"]),
        ("School rang their parents three times and they just ignore it, and the messages haven't stopped",
         ["warned_before", "parents_refuse", "continuing"]),
        ("the other family just won't engage and it's carrying on", ["parents_refuse", "continuing"]),
        ("we all got a letter in October", ["warned_before"]),
        ("they sent a note home saying none of the children should be on tiktok at their age, and now it's back again",
         ["warned_before", "continuing"]),
        ("the head emailed all of us Year 5 parents in the spring; it has started up again", ["warned_before", "continuing"]),
        ("the school called us all in and said the children shouldn't be on snapchat at all. it's kicked off again",
         ["warned_before", "continuing"]),
        ("asked the other girl's parents in, but they just won't - ignored two letters and the phone calls. "
         "The messages are still coming every single night", ["parents_refuse", "continuing"]),
    ],
)
def test_a_bullying_case_that_has_gone_further(text, escalation, school):
    assert read_facts(text, school, TODAY).slots("cyberbullying", {}, school)["escalation"] == escalation


def test_in_my_childs_class_means_pupils_here(school):
    facts = read_facts("Two girls in my daughter's Year 5 class have been bullying her", school, TODAY)
    assert facts.slots("cyberbullying", {}, school) == {"bullying_who": "current_pupil"}
    facts = read_facts("a girl in her class at her old school, she goes to St Mary's now", school, TODAY)
    assert facts.slots("cyberbullying", {}, school)["bullying_who"] == "other_school"


def test_a_platform_taken_back_is_not_the_platform():
    from bot.nlp.fact_reader import platform_meant

    text = "It isn't on facebook, it's texts and phone calls"
    entities = [{"entity": "platform", "value": "Facebook", "start": 13, "end": 21}, {"entity": "platform", "value": "text message", "start": 28, "end": 33}]
    assert platform_meant(text, entities) == "text message"


def test_never_set_foot_in_the_school_and_at_the_grammar(school):
    facts = read_facts("No, she's never set foot in this school. She's my cousin's friend's girl, 16, at the grammar.", school, TODAY)
    assert facts.not_here
    assert facts.slots("contact", {"contact_who": "friends_child"}, school)["contact_who"] == "not_a_pupil"


@pytest.mark.parametrize(
    "text",
    [
        "we asked the girl's parents to come in and they refused",
        "the other family didn't turn up to either meeting and have blocked me",
        "her dad told the school to mind its own business",
        "they won't even answer the phone",
    ],
)
def test_parents_refusing_in_many_words(text, school):
    assert "parents_refuse" in read_facts(text, school, TODAY).escalation


@pytest.mark.parametrize("text", ["it was going on again last night", "the messages are still coming every single night"])
def test_still_going_on(text, school):
    assert "continuing" in read_facts(text, school, TODAY).escalation


@pytest.mark.parametrize(
    "text, age",
    [
        ("a boy I taught in Year 5, he's doing his GCSEs now", 15),
        ("she's doing her A levels", 16),
        ("15 or 16", 15),
        ("he's 19-20 I think", 19),
    ],
)
def test_ages_implied_by_exams_and_ranges(text, age, school):
    assert read_facts(text, school, TODAY).age == age


def test_a_range_across_18_is_no_age(school):
    assert read_facts("17 or 18", school, TODAY).age is None


@pytest.mark.parametrize(
    "text",
    ["my nephew is 15 and goes to school in coventry", "he's never been a pupil here"],
)
def test_schooled_elsewhere(text, school):
    assert read_facts(text, school, TODAY).not_here


def test_our_school_in_other_words_is_not_elsewhere(school):
    assert not read_facts("my son goes to school at Moat Farm", school, TODAY).not_here
    assert not read_facts("she goes to school in year 5 here", school, TODAY).not_here


@pytest.mark.parametrize("text, age", [("sorry typo!! 25 not 15", 25), ("not 15, 25", 25), ("three boys not two", None)])
def test_an_age_put_right(text, age, school):
    assert read_facts(text, school, TODAY).age == age


@pytest.mark.parametrize(
    "text, who",
    [
        ("actually he isnt in my class any more, he left at christmas", "ex_pupil"),
        ("a lad who was in my son's class moved to a school in solihull at easter", "ex_pupil"),
        ("she was at his old school but she moved to moat farm in september and she's in his year 4 class now", "current_pupil"),
        ("none of them have ever been at moat farm", "other_school"),
    ],
)
def test_who_is_doing_it_put_right(text, who, school):
    assert read_facts(text, school, TODAY).slots("cyberbullying", {"bullying_who": "x"}, school)["bullying_who"] == who


@pytest.mark.parametrize(
    "text",
    [
        "My sister is a teaching assistant at Moat Farm and my daughter, her niece, is in Year 4. Can they be friends on Messenger Kids?",
        "my husband teaches year 6 there and our son wants to add him on snapchat",
        "my mum works in the office at school and my little girl is in year 3",
        "is it ok for my son to be on his own grandson's... sorry, my dad is the caretaker and he follows his grandson on tiktok",
    ],
)
def test_a_parent_whose_relative_works_at_the_school_speaks_of_a_family_link(text):
    from bot.nlp.fact_reader import parent_about_own_child, relative_on_staff

    assert relative_on_staff(text)
    assert not parent_about_own_child(text)


def test_a_parent_about_their_own_child_and_a_teacher_is_not_a_family_link():
    from bot.nlp.fact_reader import parent_about_own_child

    assert parent_about_own_child("my son sent his teacher a follow request on instagram")
    assert parent_about_own_child("my sister says my daughter's teacher follows her on tiktok")


def test_a_child_who_used_to_be_in_the_class_has_left(school):
    assert read_facts("a girl who use to be in my class moved to a different school", school).left
    assert read_facts("he used to go to our school", school).left


@pytest.mark.parametrize("text", [
    "all four of them are in our year 4 classes, the girl too",
    "yes all of them are ours",
    "it's his little brother who's in year 5 with us",
])
def test_a_member_of_staff_saying_the_children_are_ours(text, school):
    assert read_facts(text, school).slots("cyberbullying", {"bullying_who": "other_school"}, school) == {"bullying_who": "current_pupil"}


def test_a_letter_the_school_sent_about_age_limits_is_a_warning(school):
    text = "we sent the letter to every family back then saying they're too young to be on it"
    assert read_facts(text, school).escalation == ("warned_before",)
    assert read_facts("we sent a letter home about the trip", school).escalation == ()


def test_a_friends_child_too_old_to_be_a_pupil_here_is_asked_about_or_read(school):
    held = {"contact_who": "friends_child", "age": "15"}
    assert read_facts("my neighbour's daughter wants to add me, she's 15", school).slots("contact", held, school) == {"contact_who": None}
    assert read_facts("she's never been to moat farm, always been at schools in the next town", school).slots("contact", held, school) \
        == {"contact_who": "not_a_pupil"}


@pytest.mark.parametrize("text", [
    "I coached a lad at after-school multisports, he went up to high school 2 years ago",
    "a boy who used to go to our school",
])
def test_more_ways_of_saying_they_have_left(text, school):
    assert read_facts(text, school).left


def test_a_qualified_nurse_is_an_adult(school):
    assert read_facts("a girl i had in year 4 ages ago, she's just qualified as a nurse", school).adult


def test_a_member_of_staff_whose_own_child_is_one_of_our_pupils_is_not_a_parent_asking():
    from bot.nlp.fact_reader import own_child, parent_about_own_child

    text = "my stepson is in Y3 here and my wife wants a family whatsapp group with him. he's technically one of our pupils"
    assert own_child(text) and not parent_about_own_child(text)


@pytest.mark.parametrize("text", [
    "I am work as teaching assistant in year 4. My son he is in year 6 in this school",
    "i do the dinners at moat farm 3 days a wk. my grandson is in yr 4 there",
])
def test_staff_in_their_own_words_are_not_parents_asking(text):
    from bot.nlp.fact_reader import parent_about_own_child

    assert not parent_about_own_child(text)


def test_a_letter_about_the_age_rules_is_a_warning_however_it_is_put(school):
    for text in ["We got Mrs Example's letter last month saying Year 5 children shouldn't be on Instagram at all",
                 "The head sent a letter to every Y5 family saying the Facebook use breaks Facebook's own age rules and has to stop"]:
        assert "warned_before" in read_facts(text, school).escalation


def test_they_are_all_in_a_year_here(school):
    assert read_facts("yes they're all in year 5 here", school).now_here
    assert not read_facts("my nephew is in Year 4 here", school).now_here


def test_a_correction_to_someone_at_the_school_now_is_a_current_pupil_for_contact(school):
    text = "sorry ignore that, the request is actually from her little brother Tyler, he's in year 5 with us now"
    assert read_facts(text, school).slots("contact", {"contact_who": "ex_pupil", "age": "19"}, school)["contact_who"] == "current_pupil"


def test_a_coach_speaking_of_their_own_year_5_lads_speaks_of_current_pupils():
    from bot.nlp.fact_reader import staff_about_own_pupils

    assert staff_about_own_pupils("hiya im the pe coach. one of my yr 5 lads from after school footy wants me to follow him back")


def test_another_parent_telling_the_head_to_mind_her_own_business_refuses_to_engage(school):
    text = "she rang the boys dad and he told her to mind her own business and put the phone down. the texts have NOT stopped"
    assert "parents_refuse" in read_facts(text, school).escalation


def test_the_young_persons_old_teacher_from_here_makes_them_an_ex_pupil(school):
    assert read_facts("my daughters old teacher from moat farm has added her on snapchat", school).left
    assert read_facts("his old year 6 teacher follows him on insta", school).left
    assert not read_facts("his old teacher at st marys added him", school).left


def test_a_child_named_by_a_year_group_here_is_in_it_now(school):
    assert read_facts("yr 6 lad sent a follow request to my insta", school).in_year_group
    assert read_facts("one of the year 5 girls added me", school).in_year_group
    assert read_facts("girl from my yr5 group sent me a follow request on tiktok", school).in_year_group
    assert not read_facts("she was a yr 6 girl when i taught her", school).in_year_group
    assert not read_facts("one of the year 9 boys", school).in_year_group  # not a year group of this school
    assert read_facts("two of my y6s have found my tiktok", school).in_year_group  # a year group's pupils by its name
    assert not read_facts("one of my old year 6s", school).in_year_group  # "old": a year group of the past


def test_ignore_me_is_a_correction_not_a_family_refusing(school):
    assert "parents_refuse" not in read_facts("sorry no ignore me shes 18, she turned 18 in march", school).escalation
    assert "parents_refuse" in read_facts("they just ignore me whenever i ring", school).escalation
    assert "parents_refuse" in read_facts("the family ignored the letters", school).escalation


def test_a_parent_asking_whether_the_teacher_will_tell_the_head_is_a_parent():
    from bot.nlp.fact_reader import parent_about_own_child

    assert parent_about_own_child("my daughter tried to add her teacher on instagram. will the teacher tell the head??")
    assert not parent_about_own_child("my daughter is in year 3, do i need to tell the head we're friends on facebook?")


def test_the_schools_name_alone_does_not_say_someone_is_here_now(school):
    assert not read_facts("a girl who used to be at moat farm", school).now_here
    assert read_facts("one of them, Leah, is actually in her class at moat farm", school).now_here


@pytest.mark.parametrize("text", ["she's not in 5B any more", "he moved to St Mary's in the summer", "she's at St Anne's now"])
def test_having_moved_on_is_having_left(text, school):
    assert read_facts(text, school).left


def test_a_year_group_in_a_past_year_gives_an_age_now(school):
    facts = read_facts("I taught her in year 3, in 2019", school, today=dt.date(2026, 12, 1))
    assert facts.left and facts.age == 7 + 7  # Year 3 starts at 7, seven years since


@pytest.mark.parametrize("text, age", [("old pupil wants to connect on linkedin. 16.", 16), ("correction. 26. typo", 26)])
def test_a_number_said_on_its_own_is_the_age(text, age, school):
    assert read_facts(text, school).age == age


def test_the_platform_stressed_is_meant_and_one_played_down_is_not():
    from bot.nlp.fact_reader import platform_meant

    text = "sorry, it's actually mostly in a Snapchat group they've all got accounts on, the texts were only a couple"
    snap, texts = text.index("Snapchat"), text.index("texts")
    entities = [{"entity": "platform", "value": "Snapchat", "start": snap, "end": snap + 8},
                {"entity": "platform", "value": "text message", "start": texts, "end": texts + 5}]
    assert platform_meant(text, entities) == "Snapchat"


def test_what_the_school_did_is_read_through_misspellings(school):
    facts = read_facts("the scool sent a leter home saying tik tok is 13 and over", school)
    assert "warned_before" in facts.escalation
    assert "warned_before" in read_facts("the head wrote to all three families saying they shouldnt be on snapchat", school).escalation
    assert "continuing" in read_facts("now it's kicked off again on there", school).escalation


def test_a_year_group_above_the_schools_means_left_whatever_came_before(school):
    facts = read_facts("a girl who was in my reading group when she was in year 6. she's in year 9 at the high school now", school, TODAY)
    assert facts.left and facts.age == 13
    assert facts.slots("contact", {}, school)["contact_who"] == "ex_pupil"


def test_once_in_the_schools_last_year_means_left_since(school):
    assert read_facts("a girl who was in my reading group when she was in year 6", school, TODAY).left
    assert not read_facts("she was in year 4 last year and is in year 5 now", school, TODAY).left


def test_known_from_a_club_is_checked_not_assumed(school):
    facts = read_facts("a girl from my netball club sent me a request", school, TODAY)
    assert facts.maybe_not_here and not facts.not_here
    assert "contact_who" not in facts.slots("contact", {}, school)  # asked ("Just to check"), never stated as said


@pytest.mark.parametrize(
    "text",
    [
        "we investigated, had the families in, and wrote to all the parents including hers saying it needs to stop",
        "the school already wrote to all the year 6 parents after half term",
        "they were all warned last term",
    ],
)
def test_the_schools_warning_said_in_other_words(text, school):
    assert "warned_before" in read_facts(text, school, TODAY).escalation


@pytest.mark.parametrize("text", ["we told them off", "i told the school about it"])
def test_not_a_warning_to_the_families(text, school):
    assert "warned_before" not in read_facts(text, school, TODAY).escalation


@pytest.mark.parametrize(
    "text, changes",
    [
        ("Bit of a ramble sorry. I started in the office in January", False),  # an apology, not a correction
        ("sorry to bother you", False),
        ("sorry, she is 15", True),
        ("sorry he's my nephew", True),
    ],
)
def test_sorry_corrects_only_when_it_puts_a_fact_right(text, changes):
    from bot.nlp.fact_reader import changes_a_fact

    assert changes_a_fact(text) is changes


def test_a_grandparent_on_the_staff_has_a_family_link_not_a_parents_question():
    from bot.nlp.fact_reader import parent_about_own_child

    assert not parent_about_own_child("i do dinners at moat farm and my granddaughter evie is in year 4. my daughter set her up a messenger kids thing")
    assert parent_about_own_child("my daughter is in year 4 and wants messenger kids")


@pytest.mark.parametrize(
    "text",
    [
        "One dad told the office to 'do one' and the other family haven't replied at all",
        "one dad said his son can do what he likes on his own phone and flatly refused to come",
    ],
)
def test_families_refusing_in_other_words(text, school):
    assert "parents_refuse" in read_facts(text, school, TODAY).escalation


def test_the_schools_letter_to_all_the_families(school):
    text = "the school looked into it and sent a letter to all of us saying get the kids off snapchat. now its happening again"
    assert set(read_facts(text, school, TODAY).escalation) == {"warned_before", "continuing"}


def test_letters_to_all_the_parents_are_the_warning(school):
    text = "back in october the school sent letters to all of us parents in 6T saying the kids shouldn't be on tiktok"
    assert "warned_before" in read_facts(text, school, TODAY).escalation


def test_a_colleagues_child_in_a_year_group_is_a_pupil_here(school):
    facts = read_facts("our office manager's son is in Y5 and he's started a youtube channel", school, TODAY)
    assert facts.slots("contact", {}, school) == {"contact_who": "current_pupil"}


def test_still_in_the_class_corrects_who_is_doing_it(school):
    text = "sorry ive got my wires crossed, the one who left is the big sister. the younger one is doing it and she's still in 5 with my daughter"
    assert read_facts(text, school, TODAY).slots("cyberbullying", {"bullying_who": "ex_pupil"}, school) == {"bullying_who": "current_pupil"}


@pytest.mark.parametrize(
    "text, age",
    [
        ("can i add a lad who used to come here on facebook? hes at the secondary up the road now, year 9, i know his nan well", 13),
        ("ages ago, 2009 i think, i had a girl in my year 6 class who has just messaged me", None),
        ("she used to go to moat farm, she's at the high school", None),
    ],
)
def test_an_ex_pupil_in_plain_words(text, age, school):
    facts = read_facts(text, school, TODAY)
    assert facts.left and facts.age == age
    assert facts.slots("contact", {"contact_who": "not_a_pupil"}, school)["contact_who"] == "ex_pupil"


def test_a_secondary_year_group_for_someone_never_here_is_an_age_not_an_ex_pupil(school):
    # "never been at our school ... year 9": not one of ours (permitted), though 13
    facts = read_facts("my neighbours lad has never been at our school, hes in year 9 at the high school", school, TODAY)
    assert facts.not_here and not facts.left and facts.age == 13
    assert facts.slots("contact", {}, school) == {"contact_who": "not_a_pupil", "age": "13"}


def test_an_adult_is_never_a_current_pupil(school):
    # "qualified as a teacher herself": whatever the entities said, not a pupil here now
    facts = read_facts("a girl from year 6 has messaged me to say she's qualified as a teacher herself", school, TODAY)
    assert facts.adult
    assert facts.slots("contact", {"contact_who": "current_pupil"}, school) == {"contact_who": "ex_pupil", "age": "18_or_over"}


def test_a_member_of_staffs_relative_told_by_someone_asking_for_them_is_family(school):
    text = ("One of our long-serving teachers has asked me a question. His granddaughter has just started in Year 3 "
            "with us and the family all share photos in a Facebook group. Is he allowed to stay connected with her?")
    facts = read_facts(text, school, TODAY)
    assert facts.staffs_relative
    assert facts.slots("contact", {"contact_who": "current_pupil"}, school)["contact_who"] == "family"
    assert not read_facts("my son's teacher said her niece is in his class", school, TODAY).staffs_relative


def test_were_not_related_is_no_past_year_group(school):
    text = "one of the year 6 girls has started following my tiktok. were not related or anything. can i follow her back?"
    assert read_facts(text, school, TODAY).slots("contact", {}, school) == {"contact_who": "current_pupil"}
    assert not read_facts("a girl who was in year 6 when I taught her added me", school, TODAY).in_year_group


@pytest.mark.parametrize("text, asks", [
    ("my grandson is 9 and his mum says he can have facebook to talk to his cousins. is that alright with the school", True),
    ("can she have tiktok?", True),
    ("my son keeps begging for snapchat", True),
    ("he can message me on facebook whenever he likes", False),  # contact with the writer, not the child's own use
    ("is it ok for a teacher to message pupils?", False),
])
def test_a_question_about_a_childs_own_use_of_an_app(text, asks):
    assert fact_reader.asks_about_childs_own_use(text) is asks


def test_the_writer_marrying_is_not_the_young_person_being_an_adult(school):
    assert not read_facts("she's my stepdaughter, i married her dad last year and she lives with us", school).adult
    assert read_facts("my old pupil is married now with kids of her own", school).adult
    assert read_facts("she got married last summer", school).adult


def test_a_year_group_in_brackets_is_the_young_persons(school):
    assert read_facts("one of my friday readers (year 5) has requested to follow me", school).in_year_group


def test_should_have_said_without_a_space_is_a_change_of_fact():
    from bot.nlp.fact_reader import changes_a_fact

    assert changes_a_fact("i should've said, she's my niece")


@pytest.mark.parametrize("text, word, meant", [
    ("ah scrap that, just rang her back - the one who moved is the older brother", "rang", None),
    ("had a mum on the phone, her lad is getting abuse", "on the phone", None),
    ("they keep ringing me and they phoned me at night", "phoned", "phone call"),  # the bullying itself
    ("a boy keeps ringing my son and prank calls him", "calls", "phone call"),
])
def test_the_writers_own_phone_call_is_not_where_the_bullying_happens(text, word, meant):
    from bot.nlp.fact_reader import platform_meant

    start = text.index(word)
    assert platform_meant(text, [{"entity": "platform", "value": "phone call", "start": start, "end": start + len(word)}]) == meant


@pytest.mark.parametrize("text", [
    "ok so actually she's not really my cousin, i just call her that, she's a girl from my street",
    "no, no need, we're not actually family",
    "no, not related, just a neighbour",
])
def test_a_relative_taken_back_is_no_family(text, school):
    assert read_facts(text, school).not_family
