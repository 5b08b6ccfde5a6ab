"""Load test: a mixed workload of the seven main pages, against a server on this machine only (issue 15).

Bounded: refuses any host that is not a loopback address, and is meant to run headless with a user count and a
run time (docs/performance.md, "Load"):

    # 1. the bench data set and its app role (make bench does both), then sessions for the simulated users
    export DJANGO_SETTINGS_MODULE=benchmarks.load_settings \
        DATABASE_URL=postgres://piis_bench_app@127.0.0.1:5432/piis_bench
    .venv/bin/python benchmarks/locust_sessions.py > /tmp/piis-locust-sessions.json
    # 2. the app under gunicorn, 4 workers (2 cores), connected as the app role
    .venv/bin/gunicorn piis.wsgi -w 4 -b 127.0.0.1:8001 --access-logfile /dev/null &
    # 3. locust (its own virtualenv: pip install locust), 60 s, 30 users, on loopback
    locust -f benchmarks/locustfile.py --headless -u 30 -r 10 --run-time 60s --host http://127.0.0.1:8001 \\
        --csv /tmp/piis-load

Each simulated worker waits 1–2 s between pages (a person reads), so 30 users make about 20 requests/s; the
sustainable rate is the highest whose p95 stays at or under 300 ms with no error.
"""

import ipaddress
import json
import os
import random
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

SESSIONS = os.environ.get("PIIS_LOCUST_SESSIONS", "/tmp/piis-locust-sessions.json")  # noqa: S108
COOKIE = os.environ.get("PIIS_SESSION_COOKIE", "sessionid")


def _loopback(host: str) -> bool:
    name = urlparse(host).hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@events.init.add_listener
def refuse_other_hosts(environment, **kwargs):
    host = environment.host or ""
    if not _loopback(host):
        raise SystemExit(f"locustfile: only a server on this machine (loopback) may be loaded, not {host!r}")
    if environment.parsed_options is not None and not environment.parsed_options.run_time:
        raise SystemExit("locustfile: give --run-time (the load must stop by itself)")


with open(SESSIONS) as handle:
    DATA = json.load(handle)


class Worker(HttpUser):
    """A social worker going through their day: home, agenda, their files and PIIS, searches."""

    weight = 9
    wait_time = between(1, 2)

    def on_start(self):
        self.me = random.choice(DATA["workers"])
        self.client.cookies.set(COOKIE, self.me["session"])

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def agenda(self):
        self.client.get("/followup/agenda/", name="agenda")

    @task(4)
    def file_page(self):
        self.client.get(f"/files/{random.choice(self.me['files'])}/", name="file page")

    @task(3)
    def contract_page(self):
        if self.me["contracts"]:
            self.client.get(f"/contracts/{random.choice(self.me['contracts'])}/", name="contract page")

    @task(2)
    def name_search(self):
        self.client.get("/files/", params={"q": random.choice(self.me["names"]), "everywhere": 1}, name="name search")

    @task(1)
    def number_search(self):
        self.client.get("/files/", params={"q": random.choice(self.me["numbers"])}, name="national-number search")


class Dpo(HttpUser):
    """The data-protection officer reading the audit trail."""

    weight = 1
    wait_time = between(2, 4)

    def on_start(self):
        self.client.cookies.set(COOKIE, DATA["dpo"]["session"])

    @task
    def audit_trail(self):
        self.client.get("/audit/", name="audit trail")
