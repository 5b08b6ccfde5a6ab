"""piis.rules — the PIIS law as pure Python (public API of ../shared/domain/rules-api.md).

No Django, no database, no clock: every function takes the dates it needs. Parameters come from
`piis.rules.params`; helpers beyond the fixed API live in the submodules.
"""

from piis.rules.calendar import (
    add_months,
    add_working_days,
    add_years,
    belgian_public_holidays,
    is_working_day,
)
from piis.rules.errors import InvalidInput, RuleViolation
from piis.rules.evaluation import Evaluation, EvaluationYear, evaluation_years
from piis.rules.obligation import (
    Exemption,
    Obligation,
    Period,
    conclusion_deadline,
    deadline_after_exemption,
    piis_obligation,
)
from piis.rules.sanctions import (
    AppealDeadline,
    StartWindow,
    appeal_deadline,
    check_sanction,
    check_suspension_start,
    max_suspension_months,
    suspension_start_window,
)
from piis.rules.signature import (
    CLAUSE_KINDS,
    check_amendment,
    check_clause_kind,
    check_signature,
    earliest_signature_date,
    meeting_deadline,
)
from piis.rules.subsidy import bonus_malus_rate, monthly_piis_subsidy, ri_monthly_amount, subsidy_start
from piis.rules.transfers import forward_request_deadline, transfer_applies

__all__ = [
    "CLAUSE_KINDS",
    "AppealDeadline",
    "Evaluation",
    "EvaluationYear",
    "Exemption",
    "InvalidInput",
    "Obligation",
    "Period",
    "RuleViolation",
    "StartWindow",
    "add_months",
    "add_working_days",
    "add_years",
    "appeal_deadline",
    "belgian_public_holidays",
    "bonus_malus_rate",
    "check_amendment",
    "check_clause_kind",
    "check_sanction",
    "check_signature",
    "check_suspension_start",
    "conclusion_deadline",
    "deadline_after_exemption",
    "earliest_signature_date",
    "evaluation_years",
    "forward_request_deadline",
    "is_working_day",
    "max_suspension_months",
    "meeting_deadline",
    "monthly_piis_subsidy",
    "piis_obligation",
    "ri_monthly_amount",
    "subsidy_start",
    "suspension_start_window",
    "transfer_applies",
]
