"""Evaluations (R43–R47): scenarios T21–T25 and the partial / quarterly rules."""

from datetime import date

import pytest

from piis.rules import Evaluation, InvalidInput, evaluation_years

D = date.fromisoformat


def evals(*pairs: tuple[str, str]) -> list[Evaluation]:
    return [Evaluation(held_on=D(day), mode=mode) for day, mode in pairs]


@pytest.mark.scenario("T21", rules=("R43", "R46", "R47"))
def test_t21_too_few_in_person_at_risk_then_non_compliant():
    held = evals(("2026-03-10", "office"), ("2026-06-20", "phone"), ("2026-10-05", "phone"))
    year = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2026-12-01"))[0]
    assert (year.start, year.end) == (D("2026-01-15"), D("2027-01-14"))
    assert (year.count, year.in_person) == (3, 1)
    assert (year.status, year.missing, year.missing_in_person, year.rule) == ("at_risk", 0, 1, "three_two")
    years = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2027-01-15"))
    assert years[0].status == "non_compliant_in_person"
    assert years[1].start == D("2027-01-15") and years[1].status == "in_progress"


@pytest.mark.scenario("T22", rules=("R43",))
def test_t22_three_evaluations_two_in_person_compliant():
    held = evals(("2026-03-10", "office"), ("2026-07-01", "home_visit"), ("2026-11-20", "office"))
    year = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2026-11-20"))[0]
    assert year.status == "compliant"
    assert (
        evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2027-01-15"))[0].status == "compliant"
    )


@pytest.mark.scenario("T23", rules=("R43",))
def test_t23_two_evaluations_non_compliant_count():
    held = evals(("2026-03-10", "office"), ("2026-07-01", "home_visit"))
    year = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2027-01-20"))[0]
    assert (year.status, year.missing, year.missing_in_person) == ("non_compliant_count", 1, 0)


@pytest.mark.scenario("T24", rules=("R44",))
def test_t24_quarterly_rule_before_2016_11_01_three_two_after():
    held = evals(
        ("2015-02-01", "phone"),
        ("2015-05-01", "written"),
        ("2015-08-01", "phone"),
        ("2016-01-01", "phone"),  # fourth quarter [2015-10-15, 2016-01-14]
        ("2016-03-01", "office"),
    )
    years = evaluation_years(signed_on=D("2015-01-15"), evaluations=held, today=D("2018-01-20"))
    assert [y.rule for y in years] == ["quarterly", "quarterly", "three_two", "three_two"]
    assert (years[0].status, years[0].missing, years[0].missing_in_person) == ("compliant", 0, 0)
    # year 2 [2016-01-15, 2017-01-14] straddles 2016-11-01: still quarterly (A5); 3 quarters without evaluation
    assert (years[1].status, years[1].missing) == ("non_compliant_count", 3)
    assert years[2].start == D("2017-01-15") and years[2].status == "non_compliant_count"
    assert years[3].status == "in_progress"


@pytest.mark.scenario("T24", rules=("R44",))
def test_t24_quarterly_year_is_compliant_before_its_end_when_every_started_quarter_has_its_evaluation():
    # Quarters of the year signed 2015-01-15: [01-15, 04-14], [04-15, 07-14], [07-15, 10-14], [10-15, 01-14].
    held = evals(("2015-02-01", "phone"), ("2015-05-01", "written"))
    year = evaluation_years(signed_on=D("2015-01-15"), evaluations=held, today=D("2015-06-01"))[0]
    assert (year.rule, year.status, year.missing) == ("quarterly", "compliant", 0)
    # The third quarter has started on 2015-07-15 without its evaluation: not compliant yet, one quarter missing.
    year = evaluation_years(signed_on=D("2015-01-15"), evaluations=held, today=D("2015-07-20"))[0]
    assert (year.status, year.missing) == ("in_progress", 1)
    # Near the end of the year with the fourth quarter started and empty: the R46 alert.
    held += evals(("2015-08-01", "phone"))
    year = evaluation_years(signed_on=D("2015-01-15"), evaluations=held, today=D("2015-12-01"))[0]
    assert (year.status, year.missing) == ("at_risk", 1)
    # Once the year is over, every quarter counts.
    year = evaluation_years(signed_on=D("2015-01-15"), evaluations=held, today=D("2016-01-20"))[0]
    assert (year.status, year.missing) == ("non_compliant_count", 1)


@pytest.mark.scenario("T25", rules=("R47",))
def test_t25_video_counts_as_evaluation_not_in_person():
    held = evals(("2026-03-10", "office"), ("2026-06-20", "video"), ("2026-10-05", "office"))
    year = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2026-11-01"))[0]
    assert (year.count, year.in_person, year.status) == (3, 2, "compliant")
    held = evals(("2026-03-10", "office"), ("2026-06-20", "video"), ("2026-10-05", "video"))
    year = evaluation_years(signed_on=D("2026-01-15"), evaluations=held, today=D("2026-11-01"))[0]
    assert (year.count, year.in_person, year.missing_in_person) == (3, 1, 1)
    configured = evaluation_years(
        signed_on=D("2026-01-15"), evaluations=held, today=D("2026-11-01"), video_counts_in_person=True
    )[0]
    assert configured.status == "compliant"


def test_partial_last_year_needs_one_per_started_four_month_block():
    # second year starts 2027-01-15; the PIIS ends 2027-06-30: blocks start 2027-01-15 and 2027-05-15 → 2 needed
    held = evals(
        ("2026-03-10", "office"),
        ("2026-07-01", "home_visit"),
        ("2026-11-20", "office"),
        ("2027-02-01", "phone"),
    )
    years = evaluation_years(
        signed_on=D("2026-01-15"), evaluations=held, ended_on=D("2027-06-30"), today=D("2027-08-01")
    )
    assert len(years) == 2
    partial = years[1]
    assert (partial.start, partial.end) == (D("2027-01-15"), D("2027-06-30"))
    assert (partial.missing, partial.missing_in_person, partial.status) == (1, 1, "non_compliant_count")


def test_piis_ending_on_last_day_of_year_completes_it_and_future_years_are_absent():
    held = evals(("2026-03-10", "office"), ("2026-07-01", "office"))
    years = evaluation_years(
        signed_on=D("2026-01-15"), evaluations=held, ended_on=D("2027-01-14"), today=D("2027-03-01")
    )
    assert len(years) == 1
    assert (years[0].end, years[0].missing, years[0].status) == (D("2027-01-14"), 1, "non_compliant_count")
    assert evaluation_years(signed_on=D("2026-01-15"), evaluations=[], today=D("2026-01-14")) == []


def test_partial_year_in_progress_and_quarterly_partial():
    years = evaluation_years(
        signed_on=D("2026-01-15"), evaluations=[], ended_on=D("2026-12-31"), today=D("2026-06-01")
    )
    assert (years[0].end, years[0].status, years[0].missing) == (D("2026-12-31"), "in_progress", 3)
    old = evaluation_years(
        signed_on=D("2015-01-15"),
        evaluations=evals(("2015-02-01", "phone")),
        ended_on=D("2015-03-01"),
        today=D("2016-01-01"),
    )
    assert (old[0].rule, old[0].status, old[0].end) == ("quarterly", "compliant", D("2015-03-01"))


def test_evaluation_rejects_impossible_input():
    with pytest.raises(InvalidInput) as excinfo:
        evaluation_years(
            signed_on=D("2026-01-15"), evaluations=evals(("2026-02-01", "carrier_pigeon")), today=D("2026-03-01")
        )
    assert excinfo.value.code == "UNKNOWN_MODE"
    with pytest.raises(InvalidInput) as excinfo:
        evaluation_years(signed_on=D("2026-01-15"), evaluations=[], ended_on=D("2026-01-14"), today=D("2026-03-01"))
    assert excinfo.value.code == "DATES_OUT_OF_ORDER"
