"""Contract lifecycle views (filled in by the issue-5 work)."""

urlpatterns: list = []
