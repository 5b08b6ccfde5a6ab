"""Drafting, signature and rights (R14, R23, R25–R42, R49): scenarios T15–T20, T26, T27, T32."""

from datetime import date
from decimal import Decimal

import pytest

from piis.rules import (
    CLAUSE_KINDS,
    InvalidInput,
    RuleViolation,
    check_amendment,
    check_clause_kind,
    check_clause_text,
    check_signature,
    earliest_signature_date,
    meeting_deadline,
)
from piis.rules.signature import (
    CPAS_SIGNATORY_PROFILES,
    check_needs_assessment,
    default_sanctionable,
    is_concluded,
    template_share_needs_review,
)

D = date.fromisoformat


def violation(excinfo: pytest.ExceptionInfo[RuleViolation]) -> tuple[str, str]:
    return excinfo.value.code, excinfo.value.rule


@pytest.mark.scenario("T15", rules=("R39",))
def test_t15_signature_allowed_six_days_after_handover():
    handed_over = D("2026-03-02")
    assert earliest_signature_date(handed_over) == D("2026-03-08")
    check_signature(final_draft_handed_over=handed_over, signed_on=D("2026-03-09"), ri_decision_date=D("2026-02-20"))
    check_signature(final_draft_handed_over=handed_over, signed_on=D("2026-03-08"), ri_decision_date=D("2026-02-20"))
    with pytest.raises(RuleViolation) as excinfo:
        check_signature(
            final_draft_handed_over=handed_over, signed_on=D("2026-03-06"), ri_decision_date=D("2026-02-20")
        )
    assert violation(excinfo) == ("REFLECTION_PERIOD", "R39")


@pytest.mark.scenario("T16", rules=("R39",))
def test_t16_reflection_counts_calendar_days_not_working_days():
    assert earliest_signature_date(D("2026-12-28")) == D("2027-01-03")


def test_reflection_alternative_reading_allows_day_five():
    assert earliest_signature_date(D("2026-03-02"), allow_signature_on_last_day=True) == D("2026-03-07")
    check_signature(
        final_draft_handed_over=D("2026-03-02"),
        signed_on=D("2026-03-07"),
        ri_decision_date=D("2026-03-01"),
        allow_signature_on_last_day=True,
    )


@pytest.mark.scenario("T17", rules=("R41",))
def test_t17_meeting_within_five_working_days_skips_easter_monday():
    assert meeting_deadline(D("2026-04-03")) == D("2026-04-13")


@pytest.mark.scenario("T18", rules=("R41",))
def test_t18_meeting_deadline_skips_ascension_and_christmas():
    assert meeting_deadline(D("2026-05-12")) == D("2026-05-20")
    assert meeting_deadline(D("2026-12-23")) == D("2026-12-31")


def test_meeting_deadline_skips_cpas_closure_days():
    assert meeting_deadline(D("2026-12-23"), closures=[D("2026-12-24")]) == D("2027-01-04")


@pytest.mark.scenario("T19", rules=("R35", "R34"))
def test_t19_third_party_signature_missing_keeps_piis_unconcluded():
    cpas = CPAS_SIGNATORY_PROFILES["model"]
    signed = {"beneficiary", *cpas}
    assert is_concluded(signed_by=signed, cpas_signatories=cpas, third_parties=["training_centre"]) is False
    assert is_concluded(
        signed_by=signed | {"training_centre"}, cpas_signatories=cpas, third_parties=["training_centre"]
    )


@pytest.mark.scenario("T20", rules=("R35",))
def test_t20_flemish_ocmw_needs_chair_and_director():
    cpas = CPAS_SIGNATORY_PROFILES["flanders"]
    assert is_concluded(signed_by={"beneficiary", "social_worker"}, cpas_signatories=cpas) is False
    assert is_concluded(signed_by={"beneficiary", "social_worker", "bcsd_chair"}, cpas_signatories=cpas) is False
    assert is_concluded(signed_by={"beneficiary", "bcsd_chair", "algemeen_directeur"}, cpas_signatories=cpas)


@pytest.mark.scenario("T26", rules=("R49",))
def test_t26_third_party_must_consent_to_amendment_strict_by_default():
    parties = ["beneficiary", "cpas", "training_centre"]
    with pytest.raises(RuleViolation) as excinfo:
        check_amendment(
            parties=parties, consenting=["beneficiary", "cpas"], information_recorded=True, touched=["training_centre"]
        )
    assert violation(excinfo) == ("THIRD_PARTY_CONSENT_MISSING", "R49")
    with pytest.raises(RuleViolation) as excinfo:
        check_amendment(
            parties=parties, consenting=["beneficiary", "cpas"], information_recorded=True, touched=["cpas"]
        )
    assert violation(excinfo) == ("THIRD_PARTY_CONSENT_MISSING", "R49")
    # configurable: the lenient reading only asks the touched parties
    check_amendment(
        parties=parties, consenting=["beneficiary", "cpas"], information_recorded=True, touched=["cpas"], strict=False
    )
    with pytest.raises(RuleViolation):
        check_amendment(parties=parties, consenting=["beneficiary", "cpas"], information_recorded=True, strict=False)
    check_amendment(parties=parties, consenting=parties, information_recorded=True)


@pytest.mark.scenario("T27", rules=("R28", "R49"))
def test_t27_amendment_needs_information_recorded():
    with pytest.raises(RuleViolation) as excinfo:
        check_amendment(
            parties=["beneficiary", "cpas"], consenting=["beneficiary", "cpas"], information_recorded=False
        )
    assert violation(excinfo) == ("INFORMATION_NOT_RECORDED", "R28")


def test_amendment_errors_in_documented_order():
    with pytest.raises(RuleViolation) as excinfo:
        check_amendment(parties=["beneficiary", "cpas", "school"], consenting=["cpas"], information_recorded=False)
    assert violation(excinfo) == ("PARTY_CONSENT_MISSING", "R49")
    for parties, consenting, touched in (
        (["beneficiary"], ["beneficiary"], None),
        (["beneficiary", "cpas"], ["beneficiary", "cpas", "stranger"], None),
        (["beneficiary", "cpas"], ["beneficiary", "cpas"], ["stranger"]),
    ):
        with pytest.raises(InvalidInput) as invalid:
            check_amendment(parties=parties, consenting=consenting, information_recorded=True, touched=touched)
        assert invalid.value.code == "UNKNOWN_PARTY"


@pytest.mark.scenario("T32", rules=("R23", "R24"))
def test_t32_community_service_clause_unavailable_volunteering_outside_piis():
    assert "community_service" not in CLAUSE_KINDS
    for label in ("community_service", "service communautaire", "Gemeenschapsdienst", "gemeinnütziger Dienst"):
        with pytest.raises(RuleViolation) as excinfo:
            check_clause_kind(label)
        assert violation(excinfo) == ("COMMUNITY_SERVICE_FORBIDDEN", "R23")
    assert "volunteering" not in CLAUSE_KINDS
    with pytest.raises(RuleViolation) as excinfo:
        check_clause_kind("volunteering")
    assert excinfo.value.code == "UNKNOWN_CLAUSE_KIND"


COMMUNITY_SERVICE_TEXTS = [
    # FR — the term of the annulled law, its common name and its acronym, whatever the case, accents and apostrophes
    "Prester un service communautaire de 10 heures par semaine",
    "Services communautaires au sein de la commune",
    "SERVICE-COMMUNAUTAIRE",
    "Effectuer un travail d'intérêt général",
    "Effectuer un travail d’intérêt général",  # typographic apostrophe
    "Effectuer un travail d‘intérêt général",
    "effectuer un travail dʼinteret general",
    "Travaux d'Intérêt Généraux au CPAS",
    "TRAVAIL D INTERET GENERAL",
    "Travail d´intérêt général",
    "Un TIG au service des espaces verts",
    "un tig",
    "T.I.G. à la commune",
    "Les TIG’s du mercredi",
    "service à la communauté",
    # NL
    "Gemeenschapsdienst in het OCMW",
    "GEMEENSCHAPSDIENST",
    "gemeenschaps-dienst",
    "gemeenschaps\u00addienst",  # soft hyphen
    "Gemeenschapsdienstverlening bij de stad",
    "dienst aan de gemeenschap",
    "Dienstverlening aan de gemeenschap",
    # DE
    "Gemeinnütziger Dienst im ÖSHZ",
    "gemeinnuetzige Arbeit",
    "GEMEINNÜTZIGE ARBEIT",
    "Gemeinschaftsdienst",
    "Dienst an der Gemeinschaft",
    # EN
    "Community service at the town hall",
    "community-service",
    "COMMUNITY SERVICE",
    "Community\u200bservice",  # zero-width space
    "ｃｏｍｍｕｎｉｔｙ ｓｅｒｖｉｃｅ",  # full-width letters
]

ORDINARY_TEXTS = [
    "S'inscrire au service communal de la jeunesse",
    "Service communal de l'emploi",
    "Rencontrer le service social du CPAS",
    "Suivre une formation au Tiger Club",
    "Tigre, antigène, Stiglitz, tige de tomate",
    "Participer à la vie de la communauté française",
    "Travail d'intérêt pour la musique",
    "Un poste d'intérêt général dans une ASBL",
    "S'engager dans la gemeenschap",
    "De Vlaamse Gemeenschap en het gemeenschapscentrum",
    "Dienstverlening van het OCMW",
    "Gemeinnützige Organisation: Bewerbung schicken",
    "Deutschsprachige Gemeinschaft",
    "Community centre: attend the Dutch class",
    "Apply to the community services department",
    "Formation de soudeur TIG/MIG au centre de compétence",
    "Opleiding TIG-lassen",
    "Complete the TIG welding course",
    "",
]


@pytest.mark.scenario("T32", rules=("R23", "R24"))
@pytest.mark.parametrize("text", COMMUNITY_SERVICE_TEXTS)
def test_t32_community_service_in_free_text_is_refused_in_every_language(text):
    with pytest.raises(RuleViolation) as excinfo:
        check_clause_text(text)
    assert violation(excinfo) == ("COMMUNITY_SERVICE_FORBIDDEN", "R23")


@pytest.mark.parametrize("text", ORDINARY_TEXTS)
def test_ordinary_commitments_that_only_look_like_community_service_pass(text):
    check_clause_text(text)


def test_a_clause_kind_named_in_free_text_as_community_service_is_refused_too():
    with pytest.raises(RuleViolation) as excinfo:
        check_clause_kind("travail d’intérêt général")
    assert violation(excinfo) == ("COMMUNITY_SERVICE_FORBIDDEN", "R23")
    for kind in CLAUSE_KINDS:
        check_clause_text(kind)


def test_every_clause_kind_is_accepted_and_sensitive_ones_not_sanctionable_by_default():
    for kind in CLAUSE_KINDS:
        check_clause_kind(kind)
    assert default_sanctionable("training") is True
    assert default_sanctionable("health") is False
    assert default_sanctionable("cost_coverage") is False


def test_signature_errors_in_documented_order():
    with pytest.raises(InvalidInput) as invalid:
        check_signature(
            final_draft_handed_over=D("2026-03-02"), signed_on=D("2026-03-01"), ri_decision_date=D("2026-03-05")
        )
    assert invalid.value.code == "DATES_OUT_OF_ORDER"
    with pytest.raises(RuleViolation) as excinfo:
        check_signature(
            final_draft_handed_over=D("2026-03-02"),
            signed_on=D("2026-03-03"),
            ri_decision_date=D("2026-03-05"),
            rights_information_recorded=False,
        )
    assert excinfo.value.code == "PIIS_BEFORE_RI_DECISION"
    with pytest.raises(RuleViolation) as excinfo:
        check_signature(
            final_draft_handed_over=D("2026-03-02"),
            signed_on=D("2026-03-03"),
            ri_decision_date=D("2026-03-01"),
            rights_information_recorded=False,
        )
    assert excinfo.value.code == "REFLECTION_PERIOD"
    with pytest.raises(RuleViolation) as excinfo:
        check_signature(
            final_draft_handed_over=D("2026-03-02"),
            signed_on=D("2026-03-09"),
            ri_decision_date=D("2026-03-01"),
            rights_information_recorded=False,
        )
    assert violation(excinfo) == ("RIGHTS_INFORMATION_MISSING", "R28")
    assert "R28" in str(excinfo.value)


def test_needs_assessment_must_precede_draft():
    check_needs_assessment(assessed_on=D("2026-03-01"), draft_on=D("2026-03-02"), ri_requested_on=D("2026-02-01"))
    for assessed in (None, D("2026-03-03"), D("2026-01-31")):
        with pytest.raises(RuleViolation) as excinfo:
            check_needs_assessment(assessed_on=assessed, draft_on=D("2026-03-02"), ri_requested_on=D("2026-02-01"))
        assert violation(excinfo) == ("NEEDS_ASSESSMENT_MISSING", "R25")
    with pytest.raises(InvalidInput):
        check_needs_assessment(assessed_on=None, draft_on=D("2026-01-02"), ri_requested_on=D("2026-02-01"))


@pytest.mark.parametrize(("share", "flagged"), [("0", False), ("0.70", False), ("0.7001", True), ("1", True)])
def test_template_share_above_threshold_is_flagged_for_review(share, flagged):
    assert template_share_needs_review(Decimal(share), on=date(2026, 3, 1)) is flagged


def test_template_share_outside_zero_one_is_invalid_input():
    with pytest.raises(InvalidInput) as caught:
        template_share_needs_review(Decimal("1.2"), on=date(2026, 3, 1))
    assert caught.value.code == "SHARE_OUT_OF_RANGE"
