"""Slow work that needs no database, done after the request's transaction has committed.

Each request runs in one transaction (accounts.middleware.CurrentCpasMiddleware). Work that takes long and reads
nothing from the database, such as laying out a PDF, must not run inside it: the transaction would keep its locks
all along (on SQLite, the write lock every other request waits for, so other people's logins would fail). A view
returns `AfterCommit(work, finish)` instead: the middleware commits the request's transaction, calls `work()`
outside any transaction, then `finish(result)` in a new short transaction with the same CPAS set for row-level
security; `finish` records what must be recorded and returns the real response.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

__all__ = ["AfterCommit"]


class AfterCommit(HttpResponse):
    """A placeholder response for CurrentCpasMiddleware; on its own (no middleware to finish it) it is a 500."""

    def __init__(self, work: Callable[[], Any], finish: Callable[[Any], HttpResponse]) -> None:
        super().__init__(status=500)
        self.work = work
        self.finish = finish
