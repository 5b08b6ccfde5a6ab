"""The pages layer's URLs, grouped by the namespace they keep (piis/urls.py joins each group to its app's URLs, so
`{% url 'cases:detail' %}` still names the file page)."""

from django.urls import path

from piis.www import agenda, audit_trail, contracts, files, home, legal, need_to_know, recorded_with

home_patterns = [
    path("", home.home, name="home"),
    path("switch-cpas/", home.switch_cpas, name="switch_cpas"),
    path("legal/assumptions/", legal.legal_assumptions, name="legal_assumptions"),
]
file_patterns = [
    path("<int:beneficiary_id>/", files.beneficiary_detail, name="detail"),
    path("<int:beneficiary_id>/break-the-glass/", need_to_know.break_glass, name="break_glass"),
]
contract_patterns = [
    path("<int:contract_id>/", contracts.contract_detail, name="detail"),
    path("<int:contract_id>/hand-over/", recorded_with.hand_over, name="hand_over"),
    path("<int:contract_id>/end/", recorded_with.end, name="end"),
]
followup_patterns = [
    path("agenda/", agenda.agenda, name="agenda"),
    path("team/", agenda.team, name="team"),
    path("contracts/<int:contract_id>/evaluations/new/", recorded_with.evaluation_add, name="evaluation_add"),
    path("evaluations/<int:evaluation_id>/edit/", recorded_with.evaluation_edit, name="evaluation_edit"),
]
audit_patterns = [
    path("", audit_trail.audit_list, name="list"),
    path("export.csv", audit_trail.audit_export, name="export"),
    path("break-the-glass/", need_to_know.glass_break_list, name="glass_breaks"),
]
