"""Drafting, signature and procedural rights (R14, R23–R42, R49; safeguards S-Pers, S-Neg)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from piis.rules.calendar import add_working_days
from piis.rules.errors import InvalidInput, RuleViolation
from piis.rules.params import param_decimal, param_int

__all__ = [
    "BENEFICIARY",
    "CLAUSE_KINDS",
    "CPAS",
    "CPAS_SIGNATORY_PROFILES",
    "FORBIDDEN_CLAUSE_LABELS",
    "SENSITIVE_CLAUSE_KINDS",
    "check_amendment",
    "check_clause_kind",
    "check_clause_sanctionable",
    "check_clause_text",
    "check_needs_assessment",
    "check_signature",
    "default_sanctionable",
    "earliest_signature_date",
    "is_concluded",
    "meeting_deadline",
    "template_share_needs_review",
]

BENEFICIARY = "beneficiary"
CPAS = "cpas"

CLAUSE_KINDS: frozenset[str] = frozenset(
    {
        # beneficiary steps, by life domain (S-Dom 16; R16, R17, R19, R20)
        "employment",
        "job_search",
        "work_availability",
        "training",
        "studies",
        "language",
        "administration",
        "housing",
        "debt",
        "health",
        "family",
        "relationships",
        "social_participation",
        "addiction",
        # CPAS commitments (R27, R29)
        "cpas_support",
        "cost_coverage",
        "incentive_premium",
        "complementary_aid",
    }
)
"""R17, R23, R27, R29 — the clause kinds of a PIIS; never "community_service" (R23), nor volunteering (R24)."""

SENSITIVE_CLAUSE_KINDS: frozenset[str] = frozenset({"health", "family", "relationships", "addiction"})
"""S-Dom 16 — sensitive domains: justification and explicit consent required, not sanctionable by default."""

_NOT_SANCTIONABLE_BY_DEFAULT: frozenset[str] = SENSITIVE_CLAUSE_KINDS | frozenset(
    {"housing", "debt", "social_participation", "cpas_support", "cost_coverage", "incentive_premium",
     "complementary_aid"}
)  # fmt: skip

FORBIDDEN_CLAUSE_LABELS: frozenset[str] = frozenset(
    {"community_service", "community service", "service communautaire", "gemeenschapsdienst",
     "gemeinnütziger dienst", "gemeinnutziger dienst"}
)  # fmt: skip
"""R23 — the code of the annulled clause kind and its labels (EN/FR/NL/DE), compared case- and accent-insensitively."""

CPAS_SIGNATORY_PROFILES: dict[str, tuple[str, ...]] = {
    "model": ("president", "director_general"),
    "flanders": ("bcsd_chair", "algemeen_directeur"),
}
"""R35 / O5 — default CPAS signatory roles per configuration (PB-model-FR/NL; LB-VL). Configurable per CPAS."""


def _normalise(label: str) -> str:
    decomposed = unicodedata.normalize("NFKD", label.strip().casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("-", " ").split())


_FORBIDDEN_NORMALISED = frozenset(_normalise(label).replace("_", " ") for label in FORBIDDEN_CLAUSE_LABELS)

# R23: how free text names community service, matched on _plain_words(text). FR: the term of the annulled law
# ("service communautaire"), the usual name of the criminal-law measure it was modelled on ("travail d'intérêt
# général", "TIG") and "service à la communauté"; NL: "gemeenschapsdienst(verlening)", "dienst(verlening) aan de
# gemeenschap"; DE: "gemeinnütziger Dienst", "gemeinnützige Arbeit", "Gemeinschaftsdienst", "Dienst an der
# Gemeinschaft"; EN: "community service" (singular: "community services" is also the name of public services).
# Each is a whole-word match, so "service communal", "Tiger", "gemeenschap" or "Gemeinschaft" alone pass.
_COMMUNITY_SERVICE = re.compile(
    r"\b(?:"
    r"services? communautaires?|services? a la communaute"
    r"|trava(?:il|ils|ux) d ?interets? genera(?:l|ux)|tig|tigs|t i g"
    r"|gemeenschaps ?dienst\w*|dienst(?:verlening)? aan de gemeenschap"
    r"|gemeinnu(?:e)?tzig\w* (?:dienst|arbeit)\w*|gemeinschafts ?dienst\w*|dienst an der gemeinschaft"
    r"|community ?service"
    r")\b"
)
# "TIG" is also a welding process (tungsten inert gas), a plausible training: not community service beside welding.
_TIG = frozenset({"tig", "tigs", "t i g"})
_WELDING = re.compile(r"\b(?:soud\w*|lass\w*|weld\w*|schweis\w*|mig|wig)\b")


# Apostrophes that Unicode counts as letters (modifier letters), so that "dʼintérêt" splits like "d'intérêt".
_APOSTROPHE_LETTERS = str.maketrans(dict.fromkeys("\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u02c8", " "))


def _plain_words(text: str) -> str:
    """Lower-case words without accents, separated by one space: apostrophes (straight or typographic), hyphens,
    dots and any other punctuation become a space; invisible characters (soft hyphen, zero-width space) vanish;
    full-width and other compatibility forms become plain letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_APOSTROPHE_LETTERS)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return " ".join(re.sub(r"[\W_]+", " ", kept).split())


def earliest_signature_date(final_draft_handed_over: date, *, allow_signature_on_last_day: bool = False) -> date:
    """R39 — the person may sign only after the reflection period of P5 calendar days.

    Hand-over of the final draft = day D; reflection days D+1 … D+5; earliest signature D+6. No waiver by the
    beneficiary (none found).
    Legal basis: Law art. 6 §3, applied to every PIIS by art. 13 §3.
    Convention: §15.1 rule 3 (calendar days; weekends and holidays not skipped).
    Open questions: O3 (calendar vs working days) — calendar days, D+6; the reading "signature allowed on day 5" is
    `allow_signature_on_last_day=True` (D+5).
    Sources: ADB-benef, DQ-proc, WS-CC2; conflict BXJ; SEED-4, BOOM.
    Scenarios: T15, T16.
    """
    # O3: calendar days, D+6 by default; D+5 only if the CPAS's legal service reads it so.
    days = param_int("reflection_days", on=final_draft_handed_over)
    return final_draft_handed_over + timedelta(days=days if allow_signature_on_last_day else days + 1)


def check_signature(
    *,
    final_draft_handed_over: date,
    signed_on: date,
    ri_decision_date: date,
    rights_information_recorded: bool = True,
    allow_signature_on_last_day: bool = False,
) -> None:
    """R14, R39, R28, R38 — sign only after the RI decision and the reflection period, once informed.

    Raises, in this order: PIIS_BEFORE_RI_DECISION (R14), REFLECTION_PERIOD (R39), RIGHTS_INFORMATION_MISSING
    (rule "R28"; the information on content, scope and consequences and on the right to assistance, R38, S-Neg 8).
    InvalidInput DATES_OUT_OF_ORDER (checked first) when signed_on < final_draft_handed_over.
    Legal basis: Law art. 6 §3, 13 §3; AR art. 11 §2 as replaced by AR-2016; R14 per SPP IS practice (ADMIN).
    Convention: §15.1 rule 3.
    Open questions: O3 — see earliest_signature_date (same keyword).
    Sources: BDAS-1, SOIR-2021, ADB-benef, DQ-proc, WS-CC2, VLEX-AR2016, LANGE.
    Scenarios: T12, T15, T16.
    """
    if signed_on < final_draft_handed_over:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The signature is dated before the hand-over of the final draft.")
    if signed_on < ri_decision_date:
        raise RuleViolation("PIIS_BEFORE_RI_DECISION", "R14", "A PIIS cannot be signed before the RI is granted.")
    earliest = earliest_signature_date(
        final_draft_handed_over, allow_signature_on_last_day=allow_signature_on_last_day
    )
    if signed_on < earliest:
        raise RuleViolation(
            "REFLECTION_PERIOD", "R39", f"The reflection period is not over: signature possible from {earliest}."
        )
    if not rights_information_recorded:
        raise RuleViolation(
            "RIGHTS_INFORMATION_MISSING",
            "R28",
            "The person must be informed of the content, scope and consequences of the contract before signing.",
        )


def meeting_deadline(requested_on: date, *, closures: Iterable[date] = ()) -> date:
    """R41 — an interview requested by the person must be held within P6 working days of the request.

    Legal basis: Law art. 6 §3 / 13 §3 as presented in the model contract ("cinq jours ouvrables").
    Convention: §15.1 rule 4 — Mon–Fri minus Belgian federal public holidays and the CPAS's closure days; the
    request day is not counted.
    Open questions: none (SEED-4 says "5 days"; working days retained, high confidence).
    Sources: DQ-proc, PB-model-FR, PB-model-NL, BOOM, SEED-4.
    Scenarios: T17, T18.
    """
    return add_working_days(requested_on, param_int("meeting_working_days", on=requested_on), closures=closures)


def check_clause_kind(kind: str) -> None:
    """R23, R24, R27 — a clause kind must be one of CLAUSE_KINDS; community service (annulled by CC 86/2018) never.

    Raises COMMUNITY_SERVICE_FORBIDDEN (rule "R23") for "community_service" and its labels in any language
    ("service communautaire", "gemeenschapsdienst", "gemeinnütziger Dienst"), case- and accent-insensitively (an
    import carrying them is refused too); UNKNOWN_CLAUSE_KIND (rule "R27") for any other kind not in CLAUSE_KINDS,
    including volunteering, which stays outside the PIIS (R24).
    Legal basis: CC 86/2018 of 5 July 2018 (annulment, deemed never to have existed).
    Convention: none (no dates).
    Open questions: none.
    Sources: AGII, VREEMD, HLN, BX1-CC, CAIPS, ARMOEDE-CC.
    Scenarios: T32.
    """
    if _normalise(kind).replace("_", " ") in _FORBIDDEN_NORMALISED:
        raise RuleViolation(
            "COMMUNITY_SERVICE_FORBIDDEN", "R23", "Community service was annulled in 2018 and cannot be a clause."
        )
    check_clause_text(kind)
    if kind not in CLAUSE_KINDS:
        raise RuleViolation("UNKNOWN_CLAUSE_KIND", "R27", f"{kind!r} is not a PIIS clause kind.")


def check_clause_text(text: str) -> None:
    """R23, R24 — the free text of a commitment, a step or an objective must not describe community service.

    Raises COMMUNITY_SERVICE_FORBIDDEN (rule "R23") when `text` names community service in French, Dutch, German or
    English — "service communautaire", "travail d'intérêt général", "TIG", "service à la communauté",
    "gemeenschapsdienst", "dienst aan de gemeenschap", "gemeinnütziger Dienst", "gemeinnützige Arbeit",
    "community service" — whatever the case, accents, hyphens, apostrophes (straight or typographic) or invisible
    characters. Whole words only: "service communal", "Tiger", "gemeenschap", "Gemeinschaft" or "community
    services" (public services) pass, and so does "TIG" beside welding words (the welding process).
    check_clause_kind applies this check to a kind too.
    Legal basis: CC 86/2018 of 5 July 2018 (annulment of community service, deemed never to have existed).
    Convention: none (no dates).
    Open questions: none.
    Sources: AGII, VREEMD, HLN, BX1-CC, CAIPS, ARMOEDE-CC.
    Scenarios: T32.
    """
    words = _plain_words(text)
    welding = _WELDING.search(words) is not None
    if any(not (welding and m.group(0) in _TIG) for m in _COMMUNITY_SERVICE.finditer(words)):
        raise RuleViolation(
            "COMMUNITY_SERVICE_FORBIDDEN", "R23", "Community service was annulled in 2018 and cannot be a commitment."
        )


def default_sanctionable(kind: str, *, party: str = BENEFICIARY) -> bool:
    """R55, R56, R65 — whether a clause of this kind, binding `party`, is sanctionable by default (S-Dec 15, S-Dom 16).

    Only a commitment of the beneficiary can ever ground a sanction (R55, R56: a sanction suspends the person's RI),
    so a clause of the CPAS or of a third party (any `party` other than "beneficiary") never is. Among the
    beneficiary's, social-insertion, health-related and other sensitive clauses default to not sanctionable. Unknown
    kinds raise as check_clause_kind does.
    Legal basis: Law art. 30 §2 (R55, R56); the defaults by kind: DESIGN safeguard derived from the seed critiques.
    Convention: none (no dates).
    Open questions: none.
    Sources: MIIS-FAQ-sanc-FR, DQ-sanc2, SEED-0, SEED-2, ARMOEDE-CC.
    Scenarios: T32, T33.
    """
    check_clause_kind(kind)
    return party == BENEFICIARY and kind not in _NOT_SANCTIONABLE_BY_DEFAULT


def check_clause_sanctionable(*, party: str, sanctionable: bool) -> None:
    """R55, R56 — only a commitment of the beneficiary can be marked as able to ground a sanction.

    A sanction suspends the person's RI for breaching their own PIIS obligations (Law art. 30 §2): a commitment of
    the CPAS or of a third party (any `party` other than "beneficiary") binds someone else and can never ground one.
    Raises COMMITMENT_OF_ANOTHER_PARTY (rule "R56") when `sanctionable` is true for such a commitment.
    Legal basis: Law art. 30 §2.
    Convention: none (no dates).
    Open questions: none.
    Sources: ADB-30, MIIS-FAQ-sanc-FR, MIIS-FAQ-sanc-NL, DQ-sanc2, SEED-4.
    Scenarios: T33.
    """
    if sanctionable and party != BENEFICIARY:
        raise RuleViolation(
            "COMMITMENT_OF_ANOTHER_PARTY", "R56", "Only a commitment of the beneficiary can ground a sanction."
        )


def check_needs_assessment(*, assessed_on: date | None, draft_on: date, ri_requested_on: date) -> None:
    """R25 — a draft needs a needs assessment dated on or after the RI request and on or before the draft.

    Raises NEEDS_ASSESSMENT_MISSING (rule "R25") when there is none or it is dated outside that range (S-Pers 1).
    InvalidInput DATES_OUT_OF_ORDER when the draft is dated before the RI request.
    Legal basis: AR art. 11 §1 as replaced by AR-2016; Law art. 11 §1.
    Convention: dates inclusive.
    Open questions: none.
    Sources: VLEX-AR2016, MIIS-PIIS, LANGE, UVCW-NL-2018.
    Scenarios: none (safeguard S-Pers 1).
    """
    if draft_on < ri_requested_on:
        raise InvalidInput("DATES_OUT_OF_ORDER", "The draft is dated before the RI request.")
    if assessed_on is None or not ri_requested_on <= assessed_on <= draft_on:
        raise RuleViolation("NEEDS_ASSESSMENT_MISSING", "R25", "A needs assessment made before the draft is required.")


def is_concluded(
    *, signed_by: Iterable[str], cpas_signatories: Iterable[str], third_parties: Iterable[str] = ()
) -> bool:
    """R34, R35, R36 — a PIIS is concluded only when the beneficiary, every required CPAS signatory and every
    third-party party have signed.

    `cpas_signatories` are the roles the CPAS's configuration requires (e.g. CPAS_SIGNATORY_PROFILES["flanders"]);
    the caller maps a delegate's signature to the role delegated. A social worker's co-signature replaces none of
    them.
    Legal basis: Law art. 11 §3 (parties); Decreet Lokaal Bestuur in Flanders (LB-VL).
    Convention: none (no dates).
    Open questions: O5 (who signs for the CPAS) — configurable signatory matrix per CPAS.
    Sources: PB-model-FR, PB-model-NL, LB-VL, SEED-0, MIIS-FORMS.
    Scenarios: T19, T20.
    """
    # O5: which CPAS roles must sign is the CPAS's configuration (`cpas_signatories`), not a rule of this module.
    required = {BENEFICIARY} | set(cpas_signatories) | set(third_parties)
    return required <= set(signed_by)


def check_amendment(
    *,
    parties: Iterable[str],
    consenting: Iterable[str],
    information_recorded: bool,
    touched: Iterable[str] | None = None,
    strict: bool = True,
) -> None:
    """R49, R28 — an amendment needs the agreement of the parties and the prior information of the person.

    parties: "beneficiary", "cpas", and any other string is a third party. Raises, in this order:
    PARTY_CONSENT_MISSING (beneficiary or cpas, rule "R49"), THIRD_PARTY_CONSENT_MISSING ("R49"),
    INFORMATION_NOT_RECORDED ("R28"). strict=True (default): every party must consent; strict=False: beneficiary,
    cpas and the parties in `touched` (touched=None = unknown = every party). InvalidInput UNKNOWN_PARTY (checked
    first) when beneficiary or cpas is missing from `parties`, or `consenting` / `touched` names a non-party.
    Legal basis: AR art. 11 §2 (information duty); amendment by mutual agreement (SEED-4).
    Convention: none (no dates).
    Open questions: T26 — strict reading of SEED-4 by default, the lenient one configurable (`strict=False`).
    Sources: SEED-4, DQ-proc, LANGE, DQ-EJ, VLEX-AR2016.
    Scenarios: T26, T27.
    """
    all_parties = set(parties)
    agreed = set(consenting)
    touched_parties = None if touched is None else set(touched)
    if not {BENEFICIARY, CPAS} <= all_parties:
        raise InvalidInput("UNKNOWN_PARTY", "The beneficiary and the CPAS are always parties.")
    if not agreed <= all_parties or (touched_parties is not None and not touched_parties <= all_parties):
        raise InvalidInput("UNKNOWN_PARTY", "Only parties to the contract can consent or be touched.")
    if not {BENEFICIARY, CPAS} <= agreed:
        raise RuleViolation("PARTY_CONSENT_MISSING", "R49", "The beneficiary and the CPAS must both agree.")
    # T26 (DESIGN): strict by default — every third party consents, even when its section is not touched.
    required = all_parties if strict or touched_parties is None else {BENEFICIARY, CPAS} | touched_parties
    if not required <= agreed:
        raise RuleViolation("THIRD_PARTY_CONSENT_MISSING", "R49", "A third party to the contract has not agreed.")
    if not information_recorded:
        raise RuleViolation(
            "INFORMATION_NOT_RECORDED", "R28", "The person must be informed before the amendment is signed."
        )


def template_share_needs_review(share: Decimal, *, on: date) -> bool:
    """R26 — a draft made mostly of unmodified clause-library text is flagged for team-lead review (S-Pers 4).

    Legal basis: the contract is prepared in consultation with the person (Law art. 11, AR art. 11); the
    safeguard against standardised contracts comes from the seed study (SEED-0, "contenus standards").
    Convention: `share` is the part of the clause text (in characters) identical to its template, in [0, 1];
    flagged when strictly above PX8 (default 0.70). A flag, never a block. Open questions: none (DESIGN).
    Sources: SEED-0. Scenarios: none (S-Pers 4).
    """
    if not Decimal(0) <= share <= Decimal(1):
        raise InvalidInput("SHARE_OUT_OF_RANGE", "The template share must be between 0 and 1.")
    return share > param_decimal("template_share_review_threshold", on=on)
