"""What the person can DO from the portal (ask for a meeting, ask for an amendment, comment an evaluation, accept or
refuse a transfer, say who assists them). Filled by the actions work (portalB): views in piis/portal/actions.py,
templates in piis/templates/portal/actions/. Every view is decorated with
`piis.portal.decorators.portal_login_required` and reaches objects only through the person's own beneficiary
(`request.beneficiary`), answering 404 for anything else. Included by piis/portal/urls.py in the `portal` namespace.
"""

urlpatterns: list = []
