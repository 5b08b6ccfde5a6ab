from piis.accounts.perms import (
    can_manage_cpas,
    can_view_audit,
    can_view_beneficiaries,
    can_view_catalogue,
    can_view_legal_assumptions,
    can_view_observatory,
)
from piis.documents.perms import can_manage_letter_templates
from piis.followup.perms import can_view_own_agenda, can_view_team_agenda
from piis.privacy.perms import can_export_personal_data, can_view_retention
from piis.reports.perms import can_view_reports
from piis.sanctions.perms import can_view_sittings
from piis.transfers.perms import can_manage_transfers


def tenancy(request):
    membership = getattr(request, "membership", None)
    return {
        "current_cpas": getattr(request, "cpas", None),
        "current_membership": membership,
        "memberships": getattr(request, "memberships", []),
        "nav": {
            "files": can_view_beneficiaries(membership),
            "agenda": can_view_own_agenda(membership),
            "team": can_view_team_agenda(membership),
            "settings": can_manage_cpas(membership),
            "audit": can_view_audit(membership),
            "personal_data": can_export_personal_data(membership),
            "retention": can_view_retention(membership),
            "letter_templates": can_manage_letter_templates(membership),
            "legal_assumptions": can_view_legal_assumptions(membership),
            "sittings": can_view_sittings(membership),
            "transfers": can_manage_transfers(membership),
            "observatory": can_view_observatory(membership),
            "reports": can_view_reports(membership),
            "catalogue": can_view_catalogue(membership),
        },
    }
