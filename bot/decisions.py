"""The two decisions the assistant exists for, as explicit rules from the
policy. Pure Python: facts in, a `Decision` out (outcome code, the clause ids
it rests on, and a plain-English reason naming the facts used), or the list of
facts still missing.

Outcome codes are those of the answer contract (../shared/eval/README.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

from bot import paths
from bot.school import SchoolProfile
from bot.yamlfile import read_mapping

# --- contact between staff and young people -------------------------------

CURRENT_PUPIL = "current_pupil"
EX_PUPIL = "ex_pupil"
FAMILY = "family"
FRIENDS_CHILD = "friends_child"  # a friend's or neighbour's child who is a pupil
NOT_A_PUPIL = "not_a_pupil"  # a young person who has never been a pupil here
RELATIONSHIPS = (CURRENT_PUPIL, EX_PUPIL, FAMILY, FRIENDS_CHILD, NOT_A_PUPIL)

NOT_PERMITTED = "not_permitted"
PERMITTED = "permitted"
PERMITTED_DECLARE = "permitted_declare_to_head_teacher"

ADULT_AGE = 18

# --- cyberbullying responsibility -------------------------------------------

NOT_SCHOOL_RESPONSIBILITY = "not_school_responsibility"
SCHOOL_MUST_INVESTIGATE = "school_must_investigate"
SCHOOL_MUST_INVESTIGATE_AND_WARN = "school_must_investigate_and_warn_parents"
SCHOOL_MAY_LIMIT = "school_may_limit_to_in_school_bullying"
REFER_TO_POLICE = "refer_to_police"
#: Every cyberbullying decision.
CYBERBULLYING_OUTCOMES = frozenset({
    NOT_SCHOOL_RESPONSIBILITY, SCHOOL_MUST_INVESTIGATE, SCHOOL_MUST_INVESTIGATE_AND_WARN, SCHOOL_MAY_LIMIT, REFER_TO_POLICE,
})
#: The platform when the person does not know or will not say where it happens.
PLATFORM_UNKNOWN = "not known"


@dataclass(frozen=True)
class Decision:
    """A decision, or (outcome None) the facts needed before one is possible."""

    outcome: Optional[str]
    refs: Tuple[str, ...] = ()
    reason: str = ""
    missing: Tuple[str, ...] = ()
    facts: Dict[str, object] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return self.outcome is not None


def _needs(*missing: str) -> Decision:
    return Decision(outcome=None, missing=tuple(missing))


@dataclass(frozen=True)
class ContactFacts:
    """What a member of staff has told us about the young person.

    relationship: current_pupil, ex_pupil, family (a relative who is, or
        was, a pupil here) or friends_child (a friend's or neighbour's child
        who is a pupil here). None when not yet known.
    age: their age now, in whole years (an ex-pupil who "turns 18 next
        month" is 17).
    pupil_initiated: the young person asked to join the staff member's area
        (sent a friend request, followed them, asked to add them).
    adult: whether they are 18 or over, when only that is known (a button
        answer "under 18" / "18 or over"); `age` wins when both are given.
    """

    relationship: Optional[str] = None
    age: Optional[int] = None
    pupil_initiated: bool = False
    adult: Optional[bool] = None

    @property
    def is_adult(self) -> Optional[bool]:
        return self.age >= ADULT_AGE if self.age is not None else self.adult

    def describe_age(self) -> str:
        if self.age is not None:
            return f"who is {self.age} now"
        return "who is 18 or over" if self.adult else "who is under 18"

    def __post_init__(self) -> None:
        if self.relationship is not None and self.relationship not in RELATIONSHIPS:
            raise ValueError(f"unknown relationship {self.relationship!r}")
        if self.age is not None and not 0 <= self.age <= 120:
            raise ValueError(f"implausible age {self.age!r}")


def decide_contact(facts: ContactFacts) -> Decision:
    """May this member of staff be in contact with this young person on
    social networking?"""
    used = {k: v for k, v in vars(facts).items() if v not in (None, False)}
    if facts.relationship is None:
        if facts.is_adult:
            # 18 or over: permitted whatever else is true, so nothing more is asked
            return Decision(
                PERMITTED,
                ("staff.no-ex-pupil-under-18", "terms.no-pupil-friends", "terms.no-school-matters"),
                f"You told me they are {facts.describe_age().replace('who is ', '')}. The policy's bars on contact "
                "are for pupils of the school and ex-pupils under 18, so contact with an adult is allowed. The "
                "Terms of Use still apply: do not discuss school matters, staff, pupils or parents with them.",
                facts=used,
            )
        return _needs("relationship")

    if facts.relationship == FAMILY:
        return Decision(
            PERMITTED_DECLARE,
            ("staff.family-links", "work-time.personal-use", "terms.no-school-matters"),
            "You told me this young person is a relative of yours. Where there are "
            "legitimate family links with pupils, the policy allows the contact but "
            "asks you to tell the head teacher in writing. It is still not "
            "appropriate to network with them during the working day on school "
            "equipment, and you should not discuss school matters with them online.",
            facts=used,
        )

    if facts.relationship == FRIENDS_CHILD:
        return Decision(
            NOT_PERMITTED,
            ("staff.no-pupil-interaction", "staff.family-links", "terms.no-pupil-friends"),
            "You told me this is a friend's or neighbour's child who is a pupil "
            "here. They are still a pupil of the school, and no member of staff "
            "should interact with a pupil on social networking sites. The policy's "
            "exception is for legitimate family links only; if you believe one "
            "applies, talk to the head teacher and put it in writing first.",
            facts=used,
        )

    if facts.relationship == NOT_A_PUPIL:
        return Decision(
            PERMITTED,
            ("staff.no-pupil-interaction", "staff.no-ex-pupil-under-18", "terms.no-school-matters"),
            "You told me this young person has never been a pupil at the school. The policy's "
            "bars on contact are about pupils of the school, and ex-pupils under 18, so it does "
            "not forbid this. The Terms of Use still apply: do not discuss school matters, staff, "
            "pupils or parents with them. If they do become a pupil here, the bar applies.",
            facts=used,
        )

    if facts.relationship == CURRENT_PUPIL:
        if facts.pupil_initiated:
            return Decision(
                NOT_PERMITTED,
                ("pupils.no-joining-staff", "staff.no-access-requests", "staff.no-pupil-interaction"),
                "You told me a current pupil has tried to join your area (for example "
                "a friend request or follow). Staff must not let a pupil into their "
                "area, for example by accepting them as a friend, and must not "
                "interact with pupils on social networking sites. Do not accept, and "
                "tell the head teacher; the pupil's parents will be told.",
                facts=used,
            )
        return Decision(
            NOT_PERMITTED,
            ("staff.no-pupil-interaction", "terms.no-pupil-friends", "staff.no-access-requests", "pupils.no-joining-staff"),
            "You told me this is a current pupil of the school. No member of staff "
            "should interact with any pupil of the school on social networking "
            "sites: that means not requesting access to their area (friending, "
            "following, messaging) and not letting them into yours. If a pupil tries "
            "to add you, do not accept: tell the head teacher, and the pupil's "
            "parents will be told.",
            facts=used,
        )

    # ex-pupil
    if facts.is_adult is None:
        return _needs("age")
    if not facts.is_adult:
        return Decision(
            NOT_PERMITTED,
            ("staff.no-ex-pupil-under-18", "terms.no-pupil-friends"),
            f"You told me this is an ex-pupil {facts.describe_age()}. No member of "
            "staff should interact on social networking sites with an ex-pupil who is "
            "under 18, or have them as a 'friend'. It is their age now that counts, "
            "not their age next month: wait until they are 18.",
            facts=used,
        )
    return Decision(
        PERMITTED,
        (
            "staff.no-ex-pupil-under-18",
            "terms.no-pupil-friends",
            "terms.no-school-matters",
            "terms.references-need-permission",
        ),
        f"You told me this is an ex-pupil {facts.describe_age()}. The policy's bar "
        "on contact with ex-pupils applies only while they are under 18, so this is "
        "allowed. The Terms of Use still apply: do not discuss school matters, staff, "
        "pupils or parents with them, and do not refer to staff, pupils, parents or "
        "school events (or give a reference) without the head teacher's permission.",
        facts=used,
    )


# --- cyberbullying -------------------------------------------------------------


@dataclass(frozen=True)
class Platform:
    name: str
    kind: str
    minimum_age: Optional[int]

    @property
    def is_phone(self) -> bool:
        return self.kind == "phone"


@lru_cache(maxsize=4)
def _load_platforms(path: Path) -> Dict[str, Platform]:
    data = read_mapping(path, ValueError, "platform list")
    platforms = {}
    for name, entry in (data.get("platforms") or {}).items():
        minimum = entry.get("minimum_age")
        platforms[name.lower()] = Platform(name, str(entry["kind"]), int(minimum) if minimum is not None else None)
    return platforms


def platform(name: Optional[str], directory: Optional[Path] = None) -> Optional[Platform]:
    """Look a platform up by its canonical name (case-insensitive)."""
    if not name:
        return None
    directory = Path(directory) if directory else paths.policy_dir()
    return _load_platforms(directory / "platforms.yml").get(name.strip().lower())


@dataclass(frozen=True)
class BullyingFacts:
    """What a parent, pupil or member of staff has told us about the bullying.

    others_at_school: the children doing it attend this school (True), or are
        not pupils here, e.g. an ex-pupil who moved or a child at another
        school (False). None when not yet known.
    platform: canonical platform name ("Facebook", "text message", ...).
    youngest_age: the youngest age among the children involved, when known;
        otherwise the school profile's oldest pupil age is used for pupils here.
    warned_before: the school has already warned the parents about underage
        use, and this is a further referral.
    parents_refuse: parents/carers refuse to engage and the bullying continues.
    """

    others_at_school: Optional[bool] = None
    platform: Optional[str] = None
    youngest_age: Optional[int] = None
    warned_before: bool = False
    parents_refuse: bool = False


def decide_cyberbullying(
    facts: BullyingFacts, school: SchoolProfile, platforms_dir: Optional[Path] = None
) -> Decision:
    """Whose responsibility is this cyberbullying case, and what happens?"""
    used = {k: v for k, v in vars(facts).items() if v not in (None, False)}

    if facts.parents_refuse:
        return Decision(
            REFER_TO_POLICE,
            ("cyberbullying.police-harassment", "cyberbullying.duty-to-investigate"),
            "You told me the parents or carers refuse to engage and the bullying is "
            "continuing. Once a disclosure is made the investigation has to involve "
            "the families; where parents or carers refuse to engage and the bullying "
            "continues, it can be referred to the police as harassment.",
            facts=used,
        )

    # A warning from the school about underage use means the children are
    # pupils here, unless the person said otherwise.
    if facts.warned_before and facts.others_at_school is not False:
        return Decision(
            SCHOOL_MAY_LIMIT,
            ("cyberbullying.further-referral", "cyberbullying.underage-platform", "cyberbullying.peers-out-of-school"),
            "You told me the school has already warned the parents about the "
            "children using a site they are too young for, and this is a further "
            "referral. The school can legitimately say the recommendation was not "
            "followed: it will deal with any bullying in school, but may refuse to "
            "deal with the social networking side.",
            facts=used,
        )

    if facts.others_at_school is None:
        return _needs("others_at_school")

    if facts.others_at_school is False:
        site = platform(facts.platform, platforms_dir)
        refs = ("cyberbullying.ex-pupil", "cyberbullying.duty-to-investigate")
        if site and site.is_phone:
            refs += ("cyberbullying.text-and-mobile",)
        return Decision(
            NOT_SCHOOL_RESPONSIBILITY,
            refs,
            "You told me the child doing this is not a pupil at the school (for "
            "example an ex-pupil who has moved, or a child at another school). The "
            "policy says this is not the school's responsibility, though the school "
            "might contact the other child's school to help broker a resolution.",
            facts=used,
        )

    if facts.platform is None:
        return _needs("platform")

    if facts.platform == PLATFORM_UNKNOWN:
        # where it happens decides only whether the parents may also be warned
        return Decision(
            SCHOOL_MUST_INVESTIGATE,
            ("cyberbullying.peers-out-of-school", "cyberbullying.duty-to-investigate", "cyberbullying.underage-platform",
             "pupils.under-13"),
            "You told me the children involved are pupils here. The school has a duty of care to "
            "investigate and protect, and to work with the families, because they attend the school, "
            "even when the bullying happens outside school hours. If it is happening on a social "
            "networking site (no pupil under 13 should be using one, and Facebook, for example, does "
            "not let under-13s register), the school may also warn all the parents that they are "
            "allowing use of the site outside its terms and that the use must stop.",
            facts=used,
        )

    site = platform(facts.platform, platforms_dir)
    youngest = facts.youngest_age if facts.youngest_age is not None else school.oldest_age
    age_note = (
        f"the children are {facts.youngest_age}" if facts.youngest_age is not None
        else f"pupils at {school.name} are aged {school.youngest_age} to {school.oldest_age}"
    )
    if site and site.minimum_age is not None and youngest < site.minimum_age:
        return Decision(
            SCHOOL_MUST_INVESTIGATE_AND_WARN,
            (
                "cyberbullying.underage-platform",
                "cyberbullying.peers-out-of-school",
                "cyberbullying.duty-to-investigate",
                "pupils.under-13",
            ),
            f"You told me the children involved are pupils here and it is happening "
            f"on {site.name}. The school has a duty of care to investigate and work "
            f"with the families, even when it happens outside school. {site.name}'s "
            f"minimum age is {site.minimum_age} and {age_note}, so the school is also "
            "within its rights to warn all the parents (including the victim's) that "
            "they are allowing use of the site outside its terms and that the use "
            "must stop.",
            facts={**used, "minimum_age": site.minimum_age},
        )

    refs = ["cyberbullying.peers-out-of-school", "cyberbullying.duty-to-investigate"]
    where = f"on {site.name}" if site else f"on {facts.platform}"
    if site and site.is_phone:
        refs.insert(1, "cyberbullying.text-and-mobile")
        where = "by text message or phone" if site.name != "phone call" else "by phone"
    return Decision(
        SCHOOL_MUST_INVESTIGATE,
        tuple(refs),
        f"You told me the children involved are pupils here and it is happening "
        f"{where}. The school has a duty of care to investigate and protect, and to "
        "work with the families, because they attend the school, even when the "
        "bullying happens outside school hours.",
        facts=used,
    )
