"""The working assumptions of the application where the law is silent (piis.core.legal), with the rule each one
completes: for the CPAS administrator and the data-protection officer, who have them validated by the legal service.
The pages the social workers use show the rules' titles and texts of law, never these notes."""

from django.shortcuts import render

from piis.accounts.perms import can_view_legal_assumptions
from piis.core.decorators import cpas_permission_required
from piis.core.legal import LEGAL_BASIS, assumptions


@cpas_permission_required(can_view_legal_assumptions)
def legal_assumptions(request):
    rows = [{"assumption": a, "rule": LEGAL_BASIS.get(a.rule)} for a in assumptions()]
    return render(request, "www/legal_assumptions.html", {"rows": rows})
