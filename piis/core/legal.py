"""The law as a person reads it on screen: the title and legal basis of the rules the pages explain, and the working
assumptions the application makes where the sources are silent.

Pages never show a rule ID (R…) or an assumption code (A…): a "Legal basis" disclosure shows the rule's title and the
text of law it rests on (`legal_basis`, the `{% legal_basis %}` tag of core/templatetags/legal.py); the assumptions,
still to be validated by the CPAS's legal service, are shown only to those who answer for them — the CPAS
administrator and the data-protection officer (accounts.perms.can_view_legal_assumptions), never to the social
workers who apply the rules. Titles and bases follow /work/shared/domain/piis-rules.md (tests/core/test_legal.py
checks that every key is a rule or assumption of it); English source strings, translated in locale/.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ASSUMPTIONS",
    "LEGAL_BASIS",
    "PROCESSING",
    "Assumption",
    "LegalBasis",
    "Processing",
    "assumptions",
    "legal_basis",
]


@dataclass(frozen=True)
class LegalBasis:
    """A rule as shown: its title and the text of law (or practice) it rests on. `rule` is the key, never shown."""

    rule: str
    title: Promise
    basis: Promise


@dataclass(frozen=True)
class Assumption:
    """A working assumption of the application where the sources are silent, for the CPAS's legal service."""

    code: str
    rule: str
    text: Promise


# Bases several rules share (one msgid each).
_AMENDED_2016 = _("Law of 26 May 2002 on the right to social integration, as amended by the Law of 21 July 2016")
_WORKING_RULE = _("No text of law settles it: the working rule of the application")
_ART_6_13 = _("Law of 26 May 2002 on the right to social integration, art. 6 §3, applied to every PIIS by art. 13 §3")

# fmt: off
_TABLE: tuple[tuple[str, Promise, Promise], ...] = (
    ("R1", _("A PIIS is compulsory under 25"),
     _("Law of 26 May 2002 on the right to social integration, art. 6 and 11")),
    ("R2", _("A PIIS is compulsory for a new beneficiary"),
     _AMENDED_2016),
    ("R3", _("Employment supported by the CPAS counts like the RI"),
     _AMENDED_2016),
    ("R4", _("No obligation when the RI tops up wages"),
     _AMENDED_2016),
    ("R5", _("A PIIS is compulsory for full-time studies"),
     _("Law of 26 May 2002 on the right to social integration, art. 11 §2, a)")),
    ("R6", _("A PIIS at the request of the person or the CPAS"),
     _("Law of 26 May 2002 on the right to social integration, art. 11 §1 and 13 §2")),
    ("R9", _("Exemption for health or equity reasons"),
     _("Law of 26 May 2002 on the right to social integration, as amended by the Law of 21 July 2016; guide "
       "of the PPS Social Integration")),
    ("R11", _("A voluntary PIIS despite an exemption"),
     _("Practice recommended to the CPAS (no text of law)")),
    ("R12", _("When an exemption ends"),
     _WORKING_RULE),
    ("R13", _("The deadline to conclude the PIIS"),
     _("Law of 26 May 2002 on the right to social integration, as amended by the Law of 21 July 2016: "
       "counted from the RI decision")),
    ("R14", _("No PIIS before the RI decision"),
     _("Practice of the PPS Social Integration: the RI is decided on its own conditions")),
    ("R15", _("No extension of the deadline"),
     _("No text of law provides one: a late conclusion is recorded with its reason")),
    ("R23", _("Community service cannot be part of a PIIS"),
     _("Constitutional Court, judgment 86/2018 of 5 July 2018 (annulment)")),
    ("R25", _("A needs assessment before the contract"),
     _("Royal Decree of 11 July 2002, art. 11 §1, as replaced by the Royal Decree of 3 October 2016; Law of "
       "26 May 2002 on the right to social integration, art. 11 §1")),
    ("R27", _("What the contract states"),
     _("Royal Decree of 11 July 2002, art. 11 §1")),
    ("R28", _("The person is informed before signing"),
     _("Royal Decree of 11 July 2002, art. 11 §2")),
    ("R38", _("Assistance by a person of one's choice"),
     _ART_6_13),
    ("R39", _("The reflection period before signing"),
     _ART_6_13),
    ("R41", _("A meeting with the social worker on request"),
     _("Law of 26 May 2002 on the right to social integration, art. 6 §3 and 13 §3, as set out in the model "
       "contract of the PPS Social Integration")),
    ("R43", _("Evaluations during each contract year"),
     _("Royal Decree of 3 October 2016 implementing the Law of 21 July 2016")),
    ("R44", _("Quarterly evaluations before November 2016"),
     _("The rules in force before the reform of 1 November 2016")),
    ("R46", _("Evaluations are counted per contract year"),
     _WORKING_RULE),
    ("R47", _("What counts as an evaluation in person"),
     _WORKING_RULE),
    ("R49", _("An amendment by agreement of the parties"),
     _("Royal Decree of 11 July 2002, art. 11 §2; guide of the PPS Social Integration")),
    ("R55", _("Only two grounds to suspend the RI"),
     _("Law of 26 May 2002 on the right to social integration, art. 30 §1 and §2")),
    ("R56", _("Only the person's own commitments can ground a sanction"),
     _("Law of 26 May 2002 on the right to social integration, art. 30 §2")),
    ("R50", _("The annual global evaluation of the PIIS by the CPAS"),
     _("A duty before the 2016 reform; its current legal basis was not found: produced as good practice")),
    ("R68", _("The special PIIS subsidy: a share of the RI granted"),
     _("Law of 26 May 2002 as reformed in 2016 (special PIIS subsidy); FAQ of the PPS Social Integration on the "
       "date from which it is due")),
    ("R69", _("The first subsidy period and its prolongation"),
     _("Practice of the PPS Social Integration (subsidy codes for the first period and the prolongation)")),
    ("R70", _("A couple on the RI for a person with a dependent family"),
     _("FAQ of the PPS Social Integration on couples")),
    ("R71", _("The bonus-malus announced from 2028"),
     _("Bill approved by the Council of Ministers in 2025; its adoption by Parliament is not verified")),
    ("R74", _("What the inspection checks for the subsidy"),
     _("Inspection practice of the PPS Social Integration")),
    ("R78", _("How long records are kept"),
     _("No text of law sets retention periods for these files: periods chosen by the CPAS, no longer than "
       "needed (GDPR, art. 5(1)(e))")),
)
# fmt: on

LEGAL_BASIS: dict[str, LegalBasis] = {rule: LegalBasis(rule, title, basis) for rule, title, basis in _TABLE}

ASSUMPTIONS: dict[str, Assumption] = {
    "A1": Assumption("A1", "R1", _("The age is taken on the date of the RI decision.")),
    "A2": Assumption("A2", "R12", _("The deadline runs again from the end of the exemption.")),
    "A3": Assumption(
        "A3",
        "R46",
        _(
            "A PIIS that ends during a contract year needs one evaluation per started four-month block, one of them "
            "in person."
        ),
    ),  # fmt: skip
    "A4": Assumption(
        "A4", "R47", _("Only a meeting at the office or a home visit counts as in person, unless the CPAS decides so.")
    ),
    "A5": Assumption(
        "A5",
        "R44",
        _("A contract year that starts before 1 November 2016 is judged entirely under the quarterly rule."),
    ),
}


@dataclass(frozen=True)
class Processing:
    """Why the CPAS holds a person's data, and on what ground (GDPR art. 13-15: what the person is told)."""

    purpose: Promise
    basis: Promise


# fmt: off
PROCESSING: tuple[Processing, ...] = (
    Processing(_("Deciding on and paying the integration income (RI)"),
               _("GDPR art. 6(1)(c) and (e): a legal obligation and a task in the public interest, under the Law of "
                 "26 May 2002 on the right to social integration")),
    Processing(_("Preparing, concluding and following up the individualised social integration project (PIIS)"),
               _("GDPR art. 6(1)(c) and (e); Law of 26 May 2002 on the right to social integration, art. 11 and 13; "
                 "Royal Decree of 11 July 2002, art. 11")),
    Processing(_("Health, family and other sensitive life domains of the needs assessment"),
               _("GDPR art. 9(2)(a): only with the person's explicit consent, and only when the project needs it")),
    Processing(_("Recording who saw or changed the file"),
               _("GDPR art. 5(2) and 32: accountability and security of the processing")),
)
# fmt: on


def legal_basis(*rules: str) -> list[LegalBasis]:
    """The rules of `rules` the table knows, once each, in the order given (an unknown ID is left out)."""
    seen: list[str] = []
    for rule in rules:
        if rule in LEGAL_BASIS and rule not in seen:
            seen.append(rule)
    return [LEGAL_BASIS[rule] for rule in seen]


def assumptions(*codes: str) -> list[Assumption]:
    """The assumptions of `codes` (all of them when none is given), for the CPAS administrator and the DPO."""
    return [ASSUMPTIONS[code] for code in (codes or tuple(ASSUMPTIONS)) if code in ASSUMPTIONS]
