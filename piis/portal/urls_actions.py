"""What the person can DO from the portal (ask for a meeting, ask for an amendment, comment an evaluation, accept or
refuse a transfer, say who assists them): views in piis/portal/actions.py, templates in
piis/templates/portal/actions/. Every view is decorated with `piis.portal.decorators.portal_login_required` and
reaches objects only through the person's own beneficiary (`request.beneficiary`), answering 404 for anything
else. Included by piis/portal/urls.py in the `portal` namespace.
"""

from django.urls import path

from piis.portal import actions

urlpatterns = [
    path("ask/", actions.actions, name="actions"),
    path("ask/meeting/", actions.ask_meeting, name="ask_meeting"),
    path("ask/change/", actions.ask_amendment, name="ask_amendment"),
    path("ask/evaluations/<int:evaluation_id>/", actions.comment_evaluation, name="comment_evaluation"),
    path("ask/move/<int:transfer_id>/", actions.answer_transfer, name="answer_transfer"),
    path("ask/helper/", actions.set_assistant, name="set_assistant"),
]
