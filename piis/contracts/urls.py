"""Contract URLs: the contract page (views/detail.py), drafting (objectives, steps, clauses, third parties,
clause library: views/drafting.py) and lifecycle (hand-over, information, signatures, PDF, amendments, end:
views/lifecycle.py). Each views module declares its own `urlpatterns`."""

from piis.contracts.views import amendment_requests, drafting, lifecycle

app_name = "contracts"
urlpatterns = [*drafting.urlpatterns, *lifecycle.urlpatterns, *amendment_requests.urlpatterns]
