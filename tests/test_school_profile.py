from __future__ import annotations

import pytest
import yaml

from bot import paths
from bot.replies import policy_answer
from bot.school import SchoolProfileError, load_school_profile


def test_profile_describes_a_junior_school(school):
    assert school.name == "Moat Farm Junior School"
    assert [g.year for g in school.year_groups] == [3, 4, 5, 6]
    assert (school.youngest_age, school.oldest_age) == (7, 11)
    assert school.year_group(5).max_age == 10
    assert school.year_group(9) is None


def test_placeholders_cover_people_and_bodies(school):
    values = school.placeholders()
    assert school.dsl.name in values["dsl"]
    assert "West Midlands Police" in values["police_team"]
    assert values["year_groups"] == "Years 3 to 6"
    assert values["age_range"] == "7 to 11"


def _edited_profile(tmp_path, edit):
    data = yaml.safe_load(paths.school_profile_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "school.yml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_another_school_changes_the_answers_by_editing_one_file(tmp_path, catalogue):
    def edit(data):
        data["school"]["name"] = "Elm Tree Primary"
        data["people"]["head_teacher"]["name"] = "Dr P. Other"
        data["school"]["year_groups"] = [{"year": y, "min_age": y + 4, "max_age": y + 5} for y in range(1, 7)]

    other = load_school_profile(_edited_profile(tmp_path, edit))
    age_answer = policy_answer(catalogue, other, "ask_pupil_age_limit")
    assert "Elm Tree Primary" in age_answer.text and "Years 1 to 6" in age_answer.text
    assert "Dr P. Other" in policy_answer(catalogue, other, "ask_school_service_approval").text


def test_missing_required_entry_is_reported(tmp_path):
    path = _edited_profile(tmp_path, lambda d: d["people"].pop("designated_safeguarding_lead"))
    with pytest.raises(SchoolProfileError, match="designated_safeguarding_lead"):
        load_school_profile(path)


def test_inverted_year_group_ages_are_rejected(tmp_path):
    path = _edited_profile(tmp_path, lambda d: d["school"]["year_groups"][0].update(min_age=12))
    with pytest.raises(SchoolProfileError, match="min_age above max_age"):
        load_school_profile(path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(SchoolProfileError, match="not found"):
        load_school_profile(tmp_path / "none.yml")
