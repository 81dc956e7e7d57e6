"""The filing conversation end to end at the action level: real SDK objects,
the real records repository (SQLite) and cipher."""
from __future__ import annotations

import asyncio
import time

import pytest

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import filing as filing_actions
from actions.policy_answers import ActionAnswerPolicyQuestion
from actions.records_client import RecordsClient, use_records_client
from bot.records.errors import RecordsUnavailable
from bot import filing
from tests.filing.conftest import FilingConversation

# (says nothing of who is writing, so the role question is asked)
OPENING = "I want to report a teacher who has been sending private messages to a boy in Year 5 on Instagram"
ACCOUNT = "Mr Example has been sending my son private messages on Instagram late at night since October"


def to_read_back(conversation):
    """A parent's disclosure, anonymous, up to "Shall I file it now?"."""
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("skip")
    conversation.say("skip")
    assert "Shall I file it now?" in conversation.text()


def file_parent_disclosure(conversation):
    conversation.start("report_adult_concern", OPENING)
    assert "are you a parent or carer" in conversation.text()
    conversation.click("parent")
    assert "describe what happened" in conversation.text()
    conversation.say(ACCOUNT)
    assert "your name" in conversation.text()
    conversation.say("Priya Shah")
    assert "email address or phone number" in conversation.text()
    conversation.say("priya.shah@example.org")
    assert "Shall I file it now?" in conversation.text()
    assert ACCOUNT in conversation.text()
    return conversation.click("yes")


def test_a_parent_files_a_disclosure_and_gets_its_reference(conversation, repository):
    file_parent_disclosure(conversation)
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert record.kind == "disclosure" and record.status == "received"
    assert record.account == OPENING + "\n\n" + ACCOUNT  # both, exactly as typed
    assert (record.filer_role, record.filer_name, record.filer_contact) == ("parent", "Priya Shah", "priya.shah@example.org")
    assert record.details == {"about_head_teacher": False, "topic": "adult_at_school"}
    refs = conversation.custom("policy_refs")[-1]
    assert "child-protection.refer-lado" in refs and "child-protection.from-parent" in refs
    assert reference in conversation.text() and "LADO" in conversation.text()
    assert all(conversation.slots.get(slot) is None for slot in ("filing_account", "filer_name", "filing_kind"))


def test_what_they_type_is_never_in_the_conversation_while_the_form_runs(conversation, sessions):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("Priya Shah")
    conversation.say("priya.shah@example.org")
    values = " ".join(str(v) for v in conversation.slots.values())
    for secret in (OPENING, ACCOUNT, "Priya Shah", "priya.shah@example.org", "Instagram"):
        assert secret not in values
    # the answer slots hold markers only, never ciphertext or text
    assert {conversation.slots[s] for s in ("filing_account", "filer_name", "filer_contact")} == {"given"}
    # the words are in the server-side draft, encrypted
    from sqlalchemy import text as sql

    with sessions() as session:
        [row] = session.execute(sql("SELECT answers_encrypted, conversation_hash FROM filing_drafts")).all()
    assert row[0].startswith("d1.") and "Priya" not in row[0] and conversation.sender not in row[1]


def test_staff_are_not_asked_for_contact_details_and_are_told_of_confidentiality(conversation, repository):
    conversation.start("report_adult_concern", "I need to report a colleague")
    conversation.say("I'm a teacher here")
    conversation.say("She follows several Year 6 pupils on TikTok and comments on their videos")
    conversation.say("skip")
    assert "Reach you at" not in conversation.text() and "(no name given)" in conversation.text()
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_name is None
    assert "confidential" in conversation.text()
    assert "child-protection.from-staff" in conversation.custom("policy_refs")[-1]


def test_a_child_is_never_promised_secrecy(conversation, repository):
    conversation.start("report_adult_concern", "a teacher keeps messaging me")
    # a child telling is heard as a child first, and not asked who they are
    # what they told is the account's beginning: asked only whether there is more
    assert "Childline" in conversation.text() and "anything else you want to tell me" in conversation.text()
    assert "are you a parent" not in conversation.text()
    conversation.say("he says I must not tell anyone")
    conversation.say("Sam, 6B")
    conversation.say("yes")
    assert "can't stay private" in conversation.text()
    assert "child-protection.from-child" in conversation.custom("policy_refs")[-1]
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "pupil"


def test_a_concern_about_the_head_teacher_goes_to_the_chair_of_governors(conversation, repository, school):
    conversation.start("report_adult_concern", "I'm worried about the head teacher's facebook messages to pupils")
    assert school.chair_of_governors.name in conversation.text()
    conversation.click("parent")
    conversation.say("She messages children on facebook in the evenings")
    conversation.say("skip")
    conversation.say("skip")
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).details["about_head_teacher"] is True
    assert school.chair_of_governors.name in conversation.text()


def test_immediate_danger_is_told_to_call_999_first(conversation):
    conversation.start("report_adult_concern", "a teacher is going to meet my daughter tonight, she is in danger")
    assert conversation.last[0]["text"].startswith("If a child is in immediate danger, call 999 now")


def test_a_family_link_is_answered_then_the_declaration_is_taken(conversation, repository):
    conversation.start("declare_family_link", "My niece has just started in Year 4 here, do I need to tell the head?")
    first, intro = conversation.last[0], conversation.last[1]
    assert "tell the head teacher in writing" in first["text"] and "Write to" not in first["text"]
    assert first["custom"]["policy_refs"][0] == "staff.family-links"
    assert "written notice" in intro["text"] and 'say "stop"' in intro["text"]
    assert "Which pupil is it" in conversation.text()  # no "who are you": declarations come from staff
    conversation.say("my niece, Amy Jones, in Year 4")
    conversation.say("skip")
    assert "needs your name" in conversation.text()
    conversation.say("Tom Baker")
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert (record.kind, record.filer_role, record.filer_name) == ("family_link_declaration", "staff", "Tom Baker")
    assert record.account.endswith("my niece, Amy Jones, in Year 4")
    assert "working day on school equipment" in conversation.text()


def test_a_family_link_decided_on_do_i_need_to_declare_keeps_the_opening_on_the_record(conversation, repository):
    # ActionDecide gave the decision and started the filing in the same turn
    opening = ("my grandson jack is in year 5, hes in our family whatsapp group and i follow his mums insta. "
               "do i need to tell someone about that, i work dinners here")
    conversation.slots["filing_offer"] = "family_link_declaration"
    conversation.start("ask_staff_pupil_contact", opening)
    assert "Which pupil is it" in conversation.text()
    conversation.say("whatsapp family group and his mums instagram")  # not the pupil's name: the opening has it
    conversation.say("Maureen Kelly")
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert record.kind == "family_link_declaration" and "my grandson jack is in year 5" in record.account


def test_the_disclosure_process_answer_offers_to_file_and_yes_starts_it(domain, conversation):
    answer = CollectingDispatcher()
    events = ActionAnswerPolicyQuestion().run(answer, conversation.tracker("ask_disclosure_process", "what happens if I report a teacher?"), domain)
    conversation._apply(events)
    assert conversation.slots["filing_offer"] == "disclosure:adult_at_school"
    assert [b["title"] for b in answer.messages[0]["buttons"]] == ["Yes, file it now", "No, thanks"]
    conversation.start("affirm", "yes please")
    assert conversation.slots["filing_kind"] == "disclosure"
    assert "are you a parent or carer" in conversation.text()


def test_a_yes_to_nothing_starts_nothing(conversation):
    conversation.start("affirm", "yes")
    assert conversation.slots.get("filing_kind") is None and not conversation.active


def test_a_service_proposal_waits_for_the_head_teachers_approval(conversation, repository):
    conversation.start("ask_school_service_approval", "I'd like to submit a proposal for a Year 6 class blog")
    conversation.say("A class blog on the school website for Year 6 to share their writing, run by me")
    conversation.say("Ms Rivers")
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).status == "pending"
    assert "do not launch it until it has been approved" in conversation.text()


def test_a_cyberbullying_report_after_a_decision(conversation, repository):
    conversation.slots["filing_offer"] = "concern_report:cyberbullying"
    conversation.start("affirm", "yes")
    conversation.click("parent")
    conversation.say("Two girls in her class keep sending her horrible messages on WhatsApp at weekends")
    conversation.say("Jo Smith")
    conversation.say("07700 900123")
    conversation.say("yes")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert (record.kind, record.details) == ("concern_report", {"topic": "cyberbullying"})
    assert record.filer_contact == "07700 900123"


def test_a_correction_before_confirming_is_what_gets_filed(conversation, repository):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("Priya Shah")
    conversation.say("priya@example.org")
    conversation.say("no, my email is wrong", intent="deny")
    assert "email address or phone number" in conversation.text()
    conversation.say("priya.shah@example.org")
    assert "priya.shah@example.org" in conversation.text()
    conversation.say("no", intent="deny")
    assert "What would you like to change?" in conversation.text()
    conversation.click("My name")
    assert "your name" in conversation.text()
    conversation.say("Priya R. Shah")
    conversation.say("and he sent a photo last week too", intent="inform")
    assert "added that to your account" in conversation.text()
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert (record.filer_name, record.filer_contact) == ("Priya R. Shah", "priya.shah@example.org")
    assert record.account.endswith(ACCOUNT + "\n\nand he sent a photo last week too")
    assert len(repository.list()) == 1


def test_stop_midway_is_left_to_the_cancel_rule_and_files_nothing(conversation, repository):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("stop", intent="stop")
    assert conversation.rejected
    conversation.run(filing_actions.ActionCancelFiling(), conversation.tracker("stop", "stop"))
    assert "nothing has been filed" in conversation.text()
    assert not conversation.active and conversation.slots["filing_account"] is None
    assert repository.list() == []


def test_a_question_where_a_name_is_asked_is_left_to_the_rules(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("will the teacher find out it was me?", intent="ask_disclosure_process")
    assert conversation.rejected


def test_an_account_that_reads_like_stop_is_still_an_account(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say("he told my son to stop telling his friends about their chats", intent="stop")
    assert not conversation.rejected and conversation.slots["filing_account"]


def test_a_signed_in_users_role_is_not_asked_again(conversation):
    conversation.start("report_adult_concern", OPENING, metadata={"user": {"role": "staff"}})
    assert "describe what happened" in conversation.text()
    assert conversation.slots["filer_role"] == "staff"


def test_a_database_outage_is_reported_honestly_and_a_retry_files_once(domain, repository, drafts):
    class Flaky:
        down = True

        def file(self, **kwargs):
            if Flaky.down:
                raise RecordsUnavailable()
            return repository.file(**kwargs)

    use_records_client(RecordsClient(open_stores=lambda: (Flaky(), drafts)))
    try:
        conversation = FilingConversation(domain)
        to_read_back(conversation)
        conversation.say("yes")
        assert "not been filed yet" in conversation.text()
        assert conversation.custom("reference") == []
        assert conversation.slots["filing_account"] and conversation.slots["requested_slot"] == "filing_confirmed"
        assert not conversation.active  # the form waits for the person, it does not run again by itself
        Flaky.down = False
        conversation.active = True  # a "yes" reopens the form (data/rules/filing.yml)
        conversation.say("try again", intent="affirm")
        [reference] = conversation.custom("reference")
        assert [r.reference for r in repository.list()] == [reference]
    finally:
        use_records_client(None)


def test_a_database_that_cannot_be_opened_is_an_outage(domain):
    def refuse():
        raise OperationalError("connect", {}, Exception("connection refused"))

    use_records_client(RecordsClient(open_stores=refuse))
    try:
        conversation = FilingConversation(domain)
        conversation.start("report_adult_concern", OPENING)
        text = conversation.text()
        assert "can't take a report just now" in text and "nothing has been recorded" in text
        assert "999" in text and conversation.custom("reference") == [] and not conversation.active
        assert conversation.slots.get("filing_kind") is None
    finally:
        use_records_client(None)


def test_a_repeated_confirmation_files_once(conversation, repository):
    to_read_back(conversation)
    slots_at_confirmation = dict(conversation.slots)
    conversation.say("yes")
    [first] = conversation.custom("reference")
    # the same confirmation again (a retried request, a double click)
    conversation.slots = {**slots_at_confirmation, "filing_confirmed": True, "requested_slot": None}
    conversation.last = []
    conversation.run(filing_actions.ActionFileRecord(), conversation.tracker("affirm", "yes"))
    assert conversation.custom("reference") == [first]
    assert len(repository.list()) == 1
    # and a "yes" after the conversation has moved on is told the reference, not filed again
    conversation.last = []
    conversation.run(filing_actions.ActionFileRecord(), conversation.tracker("affirm", "yes"))
    assert conversation.custom("reference") == [first] and "already filed" in conversation.text()
    assert len(repository.list()) == 1


def test_the_database_work_does_not_block_the_event_loop():
    class Slow:
        def file(self, **kwargs):
            time.sleep(0.3)
            return kwargs

    client = RecordsClient(open_stores=lambda: (Slow(), None))

    async def main():
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        await client.file(kind="disclosure")
        task.cancel()
        return ticks

    assert asyncio.run(main()) >= 10


def test_declining_a_name_is_not_stopping(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("staff")
    conversation.say(ACCOUNT)
    conversation.say("I'd rather not say", intent="stop")
    assert not conversation.rejected and conversation.slots["filer_name"] == "-"
    assert "Shall I file it now?" in conversation.text()


def test_the_same_account_again_at_the_read_back_confirms_it(conversation, repository):
    to_read_back(conversation)
    conversation.say(ACCOUNT + ".")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).account == OPENING + "\n\n" + ACCOUNT  # not added twice


def test_a_name_is_taken_from_how_people_answer(conversation, repository):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("staff")
    conversation.say(ACCOUNT)
    conversation.say("Priya Shah, Year 2 TA.")
    assert "Shall I file it now?" in conversation.text() and "From: Priya Shah (staff)" in conversation.text()


def test_no_question_is_asked_more_than_twice(conversation, repository):
    conversation.start("report_adult_concern", OPENING)
    conversation.say("hmm well")
    assert "didn't catch that" in conversation.text()
    conversation.say("dunno really")  # asked twice: moves on, and says so
    assert "someone else" in conversation.text() and "describe what happened" in conversation.text()
    conversation.say(ACCOUNT)
    conversation.say("the one who rang you yesterday about this")
    assert "just your name" in conversation.text()
    conversation.say("the one who rang you yesterday about this")
    assert "as you wrote it" in conversation.text()
    asks = [e for e in conversation.events if e["name"] == "requested_slot" and e.get("value") == "filer_name"]
    assert len(asks) == 2
    conversation.say("phone the office and ask for me")
    assert "just an email address" not in conversation.text() or "as you wrote it" in conversation.text()


def test_a_proposal_from_a_governor_is_filed_as_from_a_governor(conversation, repository):
    conversation.start("ask_school_service_approval", "On behalf of the governors I'd like to propose a governors' blog")
    conversation.say("A termly blog on the school website written by the governors for parents")
    conversation.say("Anil Mehta, chair of governors")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "governor"


@pytest.mark.parametrize("opening, account", [
    ("In my capacity as chair of the Parent Teacher Association I would like to propose a school Facebook page for the fair",
     "A page in the school's name to publicise the summer fair and find volunteers"),
    ("I'd like to propose a Facebook page for the summer fair", "I am a parent and chair of the PTA, and the page would be run by the PTA"),
])
def test_a_proposal_from_a_parent_is_filed_as_from_a_parent(conversation, repository, opening, account):
    conversation.start("ask_school_service_approval", opening)
    conversation.say(account)
    conversation.say("Philippa Hale")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "parent"


def test_a_proposal_from_the_school_council_is_a_pupils(conversation, repository):
    conversation.start("ask_school_service_approval", "im on the school council and we want to make a youtube channel for our "
                                                      "assemblies. our teacher said we have to ask the head first can you send it")
    conversation.say("a channel to show our assemblies and the school garden")
    conversation.say("zara")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "pupil"


def test_a_student_teachers_proposal_is_a_member_of_staffs(conversation, repository):
    conversation.start("ask_school_service_approval", "for my placement project i want to run a class blog, my mentor said it has to go to the head")
    conversation.say("student teacher on placement in year 4")
    conversation.say("Tom Ellery")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "staff"


def test_a_declarations_link_in_a_parents_words_is_still_a_member_of_staffs(conversation, repository):
    conversation.start("declare_family_link", "I'm a lunchtime supervisor and I've just become a foster carer for a girl in Year 5. "
                                              "can you tell the head for me")
    conversation.say("I'm her foster carer, she lives with us")
    conversation.say("Tracey Gould")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "staff"


def test_how_to_work_a_devices_settings_starts_no_filing(conversation):
    conversation.start("ask_how_to_report_concern", "how do i set up parental controls on the console so my son cant chat to strangers?")
    assert not conversation.active and "filing_kind" not in conversation.slots


def test_a_cyberbullying_report_that_tells_of_an_adult_at_the_school_is_a_disclosure(conversation):
    from bot import filing

    # the bullying decision offered a report, and its words asked for one
    conversation.slots["filing_offer"] = filing.offer_slot_value(filing.CONCERN_REPORT, "cyberbullying")
    conversation.start("ask_cyberbullying_responsibility", "I'd like to report something. A TA in Year 4 has been putting photos of the "
                                                           "children on her personal Facebook and calling one boy a nightmare")
    assert conversation.slots["filing_kind"] == "disclosure"


def test_a_bullying_report_with_a_teacher_who_stepped_in_stays_a_bullying_report(conversation):
    from bot import filing

    conversation.slots["filing_offer"] = filing.offer_slot_value(filing.CONCERN_REPORT, "cyberbullying")
    conversation.start("ask_cyberbullying_responsibility", "I want to report it: the boys in his class keep messaging him horrible "
                                                           "stuff on whatsapp, mr smith asked them to stop")
    assert conversation.slots["filing_kind"] == "concern_report"


def test_a_stop_without_a_word_for_stopping_does_not_throw_the_filing_away(conversation, repository):
    conversation.start("report_adult_concern", OPENING)
    conversation.say("sorry what", intent="stop")  # the NLU's "stop", but nobody asked to stop
    assert not conversation.rejected and conversation.active
    assert "didn't catch that" in conversation.text()
    conversation.say("actually forget it", intent="stop")
    assert conversation.rejected  # a real "stop": the rules cancel


def test_a_report_whose_account_tells_of_an_adult_and_a_child_is_filed_as_a_disclosure(conversation, repository):
    conversation.start("ask_how_to_report_concern", "i need to report something")
    conversation.click("parent")
    conversation.say("my daughter's TA has been messaging her on snapchat late at night and told her to delete the chats")
    assert conversation.slots["filing_kind"] == "disclosure"
    conversation.say("skip")
    conversation.say("skip")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    record = repository.get(reference)
    assert record.kind == "disclosure" and "delete the chats" in record.account


def test_children_bullying_read_as_a_report_about_an_adult_is_filed_as_a_bullying_report(conversation):
    conversation.start("report_adult_concern", "want to report something. there's a year 6 whatsapp group and some of the kids "
                                               "have been sharing a photo of my daughter with nasty captions")
    assert conversation.slots["filing_kind"] == "concern_report"
    assert "LADO" not in conversation.text()


def test_a_first_message_that_could_be_a_childs_then_i_am_a_ta_is_filed_as_staff(conversation):
    conversation.slots["child_worried"] = "help"
    conversation.start("report_adult_concern", "i saw on a year 6 girl's ipad that the head has been messaging her on instagram. I'm a TA")
    assert conversation.slots.get("filer_role") != "pupil"
    assert "which class are you in" not in conversation.text()


def offered_after(conversation, text, action, kind, topic):
    """The conversation as Rasa leaves it when `action` answered `text` and
    offered to file it as `kind`."""
    conversation.events += [
        {"event": "user", "text": text},
        {"event": "action", "name": action},
        {"event": "action", "name": "action_listen"},
    ]
    conversation.slots["filing_offer"] = filing.offer_slot_value(kind, topic)


def test_yes_to_the_offer_after_a_decision_files_the_message_it_answered(conversation, repository):
    question = "my niece is starting in year 3 after half term. we're on a family whatsapp group"
    offered_after(conversation, question, "action_decide", filing.FAMILY_LINK_DECLARATION, "contact")
    conversation.start("affirm", "yes")
    conversation.say("Lily-Mae Dobbs, in 3W")
    conversation.say("Joanne Pritchard")
    conversation.say("yes", intent="affirm")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).account == question + "\n\nLily-Mae Dobbs, in 3W"


def test_a_message_the_tracker_store_did_not_keep_is_not_put_in_the_account(conversation, repository):
    from bot.redaction import REDACTED

    offered_after(conversation, REDACTED, "action_answer_policy_question", filing.DISCLOSURE, "adult_at_school")
    conversation.start("affirm", "yes")
    assert REDACTED not in " ".join(m.get("text") or "" for m in conversation.messages)


def test_an_adult_ex_pupil_in_touch_with_a_teacher_is_the_contact_question_not_a_disclosure(conversation):
    text = ("my son left moat farm about 10 years ago, hes 20 now and at uni in sheffield. his old year 6 teacher added him "
            "on facebook. is it against the school rules?")
    events = conversation.run(filing_actions.ActionStartFiling(), conversation.tracker("report_adult_concern", text))
    assert {"event": "followup", "name": "action_decide", "timestamp": None} in events
    assert not conversation.slots.get("filing_id")  # nothing drafted
    assert "No member of staff" not in " ".join(m.get("text") or "" for m in conversation.messages)


def test_a_parent_speaking_of_their_own_child_is_not_asked_who_they_are(conversation, repository):
    conversation.start("report_adult_concern", "i need to report something about a teacher. my daughter is in year 6 and "
                                               "mr dawes has been messaging her on instagram at night")
    assert "are you a parent or carer" not in conversation.text()
    assert "describe what happened" in conversation.text()
    conversation.say("he messages her late at night and says to keep it between them")
    conversation.say("skip")
    conversation.say("skip")
    conversation.click("yes")
    [reference] = conversation.custom("reference")
    assert repository.get(reference).filer_role == "parent"


def test_an_answer_naming_the_adult_it_is_about_is_not_taken_for_the_writers_role(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.say("the PE teacher, mr brennan")
    assert "are you a parent or carer" in conversation.text()
    assert conversation.slots.get("filer_role") is None


def test_a_child_telling_a_member_of_staff_of_a_club_leader_is_a_disclosure(conversation):
    conversation.start("report_adult_concern", "I'm an NQT. A Year 4 girl told me the drama club man (the school pays him) "
                                               "sent her a friend request on Facebook and said she's his favourite. I need to report this.")
    assert conversation.slots.get("filing_kind") == "disclosure"
    assert "LADO" in conversation.text()


def test_children_doing_it_with_no_adult_in_it_is_a_bullying_report_not_a_disclosure(conversation):
    conversation.start("report_adult_concern", "i want to report sumthing. jayden and his mates in yr 6 keep putting pics of me "
                                               "on snapchat with mean words on them")
    assert conversation.slots.get("filing_kind") == "concern_report"
    assert conversation.slots.get("filing_topic") == "cyberbullying"


def test_a_child_passing_something_on_hears_it_in_a_childs_words(conversation):
    conversation.start("report_adult_concern", "mr lewis keeps sending me messages on insta and he said its our secret",
                       metadata={"role": "pupil"})
    text = conversation.text()
    assert "passed what you told me on" in text and "LADO" not in text and "named child protection person" not in text


def test_a_childs_report_is_filed_as_soon_as_they_have_told_and_their_answers_are_added(conversation, repository):
    told = "mr lewis keeps sending me messages on insta and he said its our secret"
    conversation.start("report_adult_concern", told, metadata={"role": "pupil"})
    # filed now: a child who closes the chat here has still been heard
    [early] = repository.list()
    assert (early.kind, early.filer_role, early.filer_name, early.account) == ("disclosure", "pupil", None, told)
    assert conversation.slots[filing.FILED_EARLY] == early.reference
    conversation.say("he said not to tell my mum")
    conversation.say("Grace, 6B")
    assert "before I add it to what I have passed on" in conversation.text() and "Shall I add it now?" in conversation.text()
    conversation.say("yes", "affirm")
    [record] = repository.list()  # the same record, added to: not a second one
    assert record.reference == early.reference == conversation.custom("reference")[0]
    assert record.account == told + "\n\nhe said not to tell my mum" and record.filer_name == "Grace, 6B"
    assert [h.reason for h in record.history][-1] == "The person who filed it added to it in the same conversation."
    assert conversation.slots.get(filing.FILED_EARLY) is None  # the filing is over


def test_a_childs_question_about_reporting_waits_for_their_account(conversation, repository):
    conversation.start("ask_how_to_report_concern", "how do i report something", metadata={"role": "pupil"})
    assert conversation.slots.get("filing_kind") == "concern_report"  # filing has started
    assert repository.list() == [] and not conversation.slots.get(filing.FILED_EARLY)


def test_a_childs_disclosure_that_might_be_about_the_head_waits_for_the_read_back(conversation, repository):
    conversation.start("report_adult_concern", "my teacher keeps sending me messages on insta and says its our secret",
                       metadata={"role": "pupil"})
    assert conversation.slots.get("filing_kind") == "disclosure"
    assert repository.list() == [] and not conversation.slots.get(filing.FILED_EARLY)


def test_a_child_who_says_at_the_read_back_it_is_the_head_gets_a_record_for_the_chair(conversation, repository):
    told = "mr lewis keeps sending me messages on insta and he said its our secret"
    conversation.start("report_adult_concern", told, metadata={"role": "pupil"})
    [early] = repository.list()
    assert early.details["about_head_teacher"] is False
    conversation.say("no")
    conversation.say("Grace, 6B")
    conversation.slots[filing.ABOUT_HEAD] = True  # as the read-back's "is it about the head teacher?" sets it
    conversation.say("yes", "affirm")
    [reference] = conversation.custom("reference")
    fresh = repository.get(reference)
    assert reference != early.reference and fresh.details["about_head_teacher"] is True and told in fresh.account
    assert repository.get(early.reference).account == told  # nothing added to what went to the head


def test_who_a_childs_account_names_says_whether_it_can_be_the_head(school):
    assert filing.names_someone_not_the_head("mr jones the TA in our class followed me on tiktok", school)
    assert filing.names_someone_not_the_head("the dinner lady keeps adding me", school)
    assert filing.names_someone_not_the_head("miss hartley sent me a frend request", school)
    assert not filing.names_someone_not_the_head("my teacher keeps messaging me", school)
    assert not filing.names_someone_not_the_head("mrs example messaged me on snapchat", school)  # the head's name
    assert not filing.names_someone_not_the_head("a girl in my class is being mean", school)
    assert filing.parse_filed_early(filing.filed_early_value("MF-AB12-CD34", True)) == ("MF-AB12-CD34", True)
    assert filing.parse_filed_early("MF-AB12-CD34") == ("MF-AB12-CD34", False)
    assert filing.parse_filed_early(None) is None and filing.parse_filed_early("x:y") is None


def test_a_child_who_stops_after_telling_is_told_what_has_already_gone(conversation, repository):
    from actions.filing import ActionCancelFiling

    conversation.start("report_adult_concern", "mr lewis keeps sending me messages on insta and he said its our secret",
                       metadata={"role": "pupil"})
    conversation.last = []
    conversation.run(ActionCancelFiling(), conversation.tracker("stop", "stop"))
    assert "already gone to Mrs J. Example" in conversation.text() and "nothing has been filed" not in conversation.text()
    [record] = repository.list()
    assert record.filer_name is None  # what they told, and nothing more


def test_a_child_telling_of_another_child_is_a_bullying_report_not_a_disclosure(conversation):
    conversation.start("report_adult_concern", "i want to report sumthing. a girl in my class put a foto of me in my pyjamas "
                                               "on her story and every1 is commenting on it. can u tell my teacher")
    assert conversation.slots.get("filing_kind") == "concern_report"
    assert "LADO" not in conversation.text()


def test_an_account_typed_where_the_role_was_asked_is_kept(conversation, repository):
    conversation.start("report_adult_concern", "I need to report something about a colleague and I'd like it kept confidential please.")
    account = ("One of the lunchtime supervisors has a public TikTok and she's posted a video of the Year 3 playground "
               "with children's faces in it, captioned 'nightmare child of the week'.")
    conversation.say(account)
    assert "kept that" in conversation.text() and "are you a parent" in conversation.text()
    conversation.say("I'm staff")
    assert "describe what happened" not in conversation.text()  # not asked again
    conversation.say("Lorraine Booth")
    conversation.say("yes", "affirm")
    [reference] = conversation.custom("reference")
    assert "nightmare child of the week" in repository.get(reference).account


def test_a_name_given_after_a_question_about_it_is_taken(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("does it have to have my name on it? fine, Dean Hollis", intent="ask_identifying_as_school")
    assert not conversation.rejected and "get back to you" in conversation.text()
    conversation.say("skip")
    assert "From: Dean Hollis (family or carer of a pupil)" in conversation.text()


def test_asking_whether_a_name_is_needed_is_answered_and_never_asked_forever(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("do i have to give my name?", intent="ask_disclosure_process")
    assert "skip" in conversation.text() and conversation.slots.get("filer_name") is None
    conversation.say("do i really have to give my name?", intent="ask_disclosure_process")
    assert conversation.slots["filer_name"] == "-" and "leave your name out" in conversation.text()
    assert "What is your name" not in conversation.text()


def test_asking_why_a_contact_is_wanted_is_answered_and_never_asked_forever(conversation):
    conversation.start("report_adult_concern", OPENING)
    conversation.click("parent")
    conversation.say(ACCOUNT)
    conversation.say("Dean Hollis")
    assert "get back to you" in conversation.text()
    conversation.say("why do you need to know that?", intent="ask_disclosure_process")
    assert "only they see it" in conversation.text()
    conversation.say("why do you need to know that?", intent="ask_disclosure_process")  # asked twice: on without it
    assert "leave that out" in conversation.text() and "Shall I file it now?" in conversation.text()
