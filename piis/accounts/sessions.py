"""The session store (settings.SESSION_ENGINE): Django's database sessions, saved in the request's own transaction.

Every response saves its session (SESSION_SAVE_EVERY_REQUEST: the idle limit counts from the last request). Django's
SessionMiddleware saves it once the request's transaction (CurrentCpasMiddleware's) has committed, in a transaction of
its own: a page that writes, if only its audit row, then waited for two commits, each flushing the write-ahead log to
disk (0.2-0.6 ms each on the bench machine, issue 15). CurrentCpasMiddleware now saves the session as the last write
of the request's transaction (save_with_request), and SessionMiddleware's save afterwards writes only if the session
changed since (the messages left for the next page, a login's new key); it still sets the cookie as before.
"""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router


class SessionStore(DatabaseSessionStore):
    _saved_with_request = False

    @property
    def modified(self) -> bool:
        return self._modified

    @modified.setter
    def modified(self, value: bool) -> None:
        # SessionBase sets `modified` on every change (a key set or removed, a new key, a flush): what was saved
        # with the request is then no longer what SessionMiddleware would save.
        self._modified = value
        if value:
            self._saved_with_request = False

    def save_with_request(self, response) -> None:
        """Save the session now, in the current transaction, when SessionMiddleware would save it after this
        response: an existing session with data, a response below 500. One UPDATE, without a savepoint: when the
        row is gone (logged out in another tab), nothing is written and SessionMiddleware's own save says so."""
        will_save = self.modified or settings.SESSION_SAVE_EVERY_REQUEST
        if not will_save or response.status_code >= 500 or self.session_key is None or self.is_empty():
            return
        model = self.model
        using = router.db_for_write(model)
        if connections[using].needs_rollback:  # the request's writes are being undone: the session saves after
            return
        row = self.create_model_instance(dict(self.items()))
        updated = model._default_manager.using(using).filter(session_key=row.session_key)
        if updated.update(session_data=row.session_data, expire_date=row.expire_date):
            self._saved_with_request = True

    def save(self, must_create: bool = False) -> None:
        if self._saved_with_request and not must_create:
            return  # already saved in the request's transaction, and unchanged since
        super().save(must_create=must_create)
