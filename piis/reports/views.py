"""The reports pages: the monthly subsidy claim, its evidence for inspection, the annual global evaluation."""

from django.http import Http404, HttpResponse

from piis.core.decorators import cpas_permission_required
from piis.reports.perms import can_view_reports


@cpas_permission_required(can_view_reports)
def index(request):
    raise Http404


subsidy_claim = subsidy_claim_csv = coverage_csv = evidence = evidence_bundle = month_bundle = index
annual = annual_pdf = annual_csv = index
_ = HttpResponse
