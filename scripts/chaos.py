"""make chaos: the application under faults, for real, and what was lost (must be nothing).

A throw-away PostgreSQL cluster of its own (initdb in a temporary folder, its own port: the PostgreSQL that tests and
developers use is never touched), migrated, with the demo data and contracts ready to sign; gunicorn with a few
workers connected as the unprivileged app role (row-level security on, as in production); then real HTTP requests of
logged-in staff while

- workers are killed with SIGKILL in the middle of signatures and of multi-row saves (a hand-over with the
  information and rights: a version, its snapshot, the contract's state and their audit rows in one transaction),
  and every request whose response was lost is sent again, as a person pressing the button again would;
- PostgreSQL is stopped and started again, twice (a fast shutdown, then an immediate one that needs crash recovery),
  while requests keep coming;
- responses are lost on the way (the client hangs up once a save is sent): the save is done, the person does not
  know it and sends it again, and must be told it was already done (a signature or a hand-over recorded once).

At the end it compares what the client was told (every redirect after a save) with the database, checks that no
save was half-done or done twice, and prints the figures. The exit status is 1 when anything was lost, half-done or
duplicated, or when the outage was not answered by the 503 page in time, 0 otherwise.

Needs the PostgreSQL server binaries (initdb, pg_ctl: /usr/lib/postgresql/<version>/bin or PG_BIN) and to run as
root (the cluster then runs as the `postgres` user) or as the postgres user. Not part of `make test`.

    .venv/bin/python scripts/chaos.py [--kills 40] [--outages 2] [--workers 3] [--pg-port 5439] [--http-port 8439]
"""

import argparse
import contextlib
import http.client
import json
import os
import pwd
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
APP_ROLE, APP_PASSWORD = "piis_app", "chaos-only-password"
USERNAME, PASSWORD = "wal_social_worker", "demo-piis-2026"  # the demo's (piis/demo/data.py)
OUTAGE_SECONDS = 6.0
DEADLINE_503 = 5.0


# --- the private cluster ------------------------------------------------------------------------------------------


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    sys.exit("chaos: PostgreSQL server binaries not found (initdb); install postgresql or set PG_BIN.")


class Cluster:
    """A PostgreSQL cluster in a temporary folder, on its own port, removed at the end."""

    def __init__(self, port: int):
        self.port = port
        self.bin = pg_bin()
        self.folder = Path(tempfile.mkdtemp(prefix="piis-chaos-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgresql.log"
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")  # KeyError: no postgres user to run the server as
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o755)

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_postgres, *command], check=check, capture_output=True, text=True)

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=50"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = self.run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d",
                          database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql)  # fmt: skip
        return result.stdout

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def django_env(url: str) -> dict[str, str]:
    # Development settings with DEBUG off (the 500/503 handlers answer, as in production) and the second factor off:
    # the client logs in with the demo password. CONN_MAX_AGE keeps connections across requests, so a restart of
    # PostgreSQL leaves dead ones in the pool: CONN_HEALTH_CHECKS must replace them.
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "piis.settings.dev", "DATABASE_URL": url, "DEBUG": "0",
            "PIIS_MFA_REQUIRED": "0", "CONN_MAX_AGE": "60", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "CRITICAL", "PYTHONPATH": str(ROOT)}  # fmt: skip


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"chaos: manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


# --- what the client will do: prepared in the database by `--prepare` (as the owner role) --------------------------


def prepare(signing: int, handing: int) -> None:
    """Contracts for the run, in the first demo CPAS, filed with the demo social worker: `signing` handed over with
    the information recorded and the reflection period over (the client signs them: beneficiary, then each line of
    the signatory matrix), and `handing` drafts ready to hand over (the client hands each over with the information,
    takes it back to draft, hands it over again...). Prints them as JSON."""
    import django

    django.setup()
    import datetime

    from django.utils import timezone

    from piis.accounts.models import Cpas, Membership, Signatory
    from piis.contracts.rights import RIGHT_CODES
    from piis.contracts.services.lifecycle import contract_hand_over, version_record_information
    from tests.contracts.isolation_lifecycle import drafted_contract

    today = timezone.localdate()
    decided = today - datetime.timedelta(days=30)
    member = Membership.objects.select_related("user", "cpas").get(user__username=USERNAME)
    cpas: Cpas = member.cpas
    lines = [
        f"signatory:{pk}" for pk in Signatory.objects.filter(cpas=cpas, required=True).values_list("pk", flat=True)
    ]
    plan: dict[str, list] = {"sign": [], "hand_over": []}
    for number in range(signing + handing):
        contract = drafted_contract(cpas, decided_on=decided, social_worker=member.user)
        contract.beneficiary.social_worker = member.user
        contract.beneficiary.save()
        if number >= signing:
            plan["hand_over"].append(contract.pk)
            continue
        handed = decided + datetime.timedelta(days=1)
        version = contract_hand_over(membership=member, contract=contract, handed_over_on=handed, today=today)
        version_record_information(membership=member, version=version, given_on=handed, rights=list(RIGHT_CODES),
                                   assistance="declined", today=today)  # fmt: skip
        plan["sign"].append({"contract": contract.pk, "version": version.pk, "signers": ["beneficiary", *lines]})
    print(json.dumps(plan))


# --- the HTTP client ------------------------------------------------------------------------------------------------


class Lost(Exception):
    """The connection dropped before a response: the worker serving it was killed."""


@dataclass
class Answer:
    status: int
    location: str
    retry_after: str
    body: str
    started: float
    seconds: float


class Browser:
    """One person's browser: cookies, the CSRF token, no redirect followed (the client wants to see each 302)."""

    def __init__(self, port: int, lab: "Lab"):
        self.port, self.lab = port, lab
        self.cookies = {"django_language": "en"}  # messages in English, so that the client can read them

    def request(
        self, method: str, path: str, data: dict | None = None, *, kill_after: float | None = None, drop: bool = False
    ) -> Answer:
        """One request on its own connection. `kill_after`: SIGKILL the worker serving it after so many seconds;
        `drop`: hang up once the request is sent, as when the response is lost on the way (raises Lost)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            connection.connect()
            client_port = connection.sock.getsockname()[1]
            connection.request(method, path, body=body, headers=headers)
            if drop:
                raise Lost("the client hung up before the response")
            if kill_after is not None:
                threading.Timer(kill_after, self.lab.kill_worker_serving, args=(client_port,)).start()
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.IncompleteRead,
                ConnectionRefusedError) as error:  # fmt: skip
            raise Lost(str(error)) from error
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _eq, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        answer = Answer(response.status, response.getheader("Location", ""), response.getheader("Retry-After", ""),
                        text, started, time.monotonic() - started)  # fmt: skip
        self.lab.seen(answer)
        return answer

    def login(self) -> None:
        for _attempt in range(30):
            try:
                self.request("GET", "/accounts/login/")
                answer = self.request("POST", "/accounts/login/", {"username": USERNAME, "password": PASSWORD})
            except Lost:
                continue
            if answer.status == 302:
                return
            time.sleep(1)
        raise SystemExit("chaos: the demo user could not log in")


# --- the run --------------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    requests: int = 0
    saves_acknowledged: int = 0
    kills: int = 0
    lost_responses: int = 0
    dropped: int = 0  # responses the client hung up on (lost on the way)
    dropped_shown_done: int = 0  # ... whose retry showed the save as already done
    retries_already_done: int = 0
    outages: int = 0
    served_503: int = 0
    bare_503: int = 0  # without Retry-After or the outage page
    max_seconds_to_503: float = 0.0
    other_5xx: int = 0
    recovery_seconds: list[float] = field(default_factory=list)


class Lab:
    def __init__(self, args, cluster: Cluster, plan: dict):
        self.args, self.cluster, self.plan = args, cluster, plan
        self.figures = Figures()
        self.lock = threading.Lock()
        self.gunicorn: subprocess.Popen | None = None
        self.acknowledged_signatures: list[tuple[int, str]] = []  # (version, signer) the client was told are saved
        self.acknowledged_hand_overs: dict[int, int] = {}  # contract -> hand-overs the client was told are saved
        self.durations: list[float] = []
        self.kill_budget = args.kills
        self.answers: list[Answer] = []

    # gunicorn

    def start_server(self, env: dict[str, str]) -> None:
        log = open(self.cluster.folder / "gunicorn.log", "w")  # noqa: SIM115 — open for the server's lifetime
        self.gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "piis.wsgi", "--bind", f"127.0.0.1:{self.args.http_port}",
             "--workers", str(self.args.workers), "--timeout", "30", "--graceful-timeout", "2", "--preload"],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.args.http_port, timeout=5)
                connection.request("GET", "/accounts/login/")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        sys.exit("chaos: gunicorn did not answer within 60 s (see gunicorn.log)")

    def workers(self) -> list[int]:
        assert self.gunicorn is not None
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.gunicorn.pid:
                    pids.append(int(entry.name))
        return pids

    def kill_worker_serving(self, client_port: int) -> None:
        """SIGKILL the worker holding the connection from `client_port` (found through /proc), or any worker."""
        inode = None
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                parts = line.split()
                local, remote = int(parts[1].split(":")[1], 16), int(parts[2].split(":")[1], 16)
                if local == self.args.http_port and remote == client_port:
                    inode = parts[9]
        workers = self.workers()
        target = None
        for pid in workers if inode else ():
            try:
                if any(
                    os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]" for fd in os.listdir(f"/proc/{pid}/fd")
                ):
                    target = pid
            except OSError:
                continue
        target = target or (random.choice(workers) if workers else None)
        if target is None:
            return
        try:
            os.kill(target, signal.SIGKILL)
        except ProcessLookupError:
            return
        with self.lock:
            self.figures.kills += 1

    def seen(self, answer: Answer) -> None:
        with self.lock:
            self.figures.requests += 1
            self.answers.append(answer)
            if answer.status == 503:
                self.figures.served_503 += 1
                self.figures.max_seconds_to_503 = max(self.figures.max_seconds_to_503, answer.seconds)
                if not answer.retry_after or "briefly unavailable" not in answer.body:
                    self.figures.bare_503 += 1
            elif answer.status >= 500:
                self.figures.other_5xx += 1

    def _kill_delay(self) -> float | None:
        with self.lock:
            if self.kill_budget <= 0 or random.random() > self.args.kill_share:
                return None
            self.kill_budget -= 1
            typical = statistics.median(self.durations[-50:]) if self.durations else 0.2
        return random.uniform(0.0, typical * 1.2)

    def save(self, browser: Browser, path: str, data: dict, *, fault: str | None) -> Answer | None:
        """POST a save until the client gets a redirect (the save is acknowledged) or a form page (refused); a lost
        response or a 503 is sent again, as the person would. Returns the acknowledging answer, or None.

        `fault`: "kill" (a worker killed while it serves the save, `--kill-share` of the saves until `--kills` are
        done), "drop" (the response lost on the way, `--drop-share` of the saves: the save completes on the server,
        and the retry must say it was already done) or None."""
        retry = dropped = False
        for attempt in range(40):
            drop = fault == "drop" and attempt == 0 and random.random() < self.args.drop_share
            try:
                answer = browser.request(
                    "POST", path, data, kill_after=self._kill_delay() if fault == "kill" else None, drop=drop
                )
            except Lost:
                with self.lock:
                    self.figures.lost_responses += 1
                    self.figures.dropped += drop
                retry, dropped = True, dropped or drop
                time.sleep(1.0 if drop else 0.2)  # a person takes a moment before pressing again
                continue
            if answer.status == 503:
                retry = True
                time.sleep(0.5)
                continue
            if answer.status == 302:
                with self.lock:
                    self.durations.append(answer.seconds)
                    self.figures.saves_acknowledged += 1
                if retry:
                    try:
                        page = browser.request("GET", answer.location)
                    except Lost:  # a kill meant for another request
                        page = None
                    if page is not None and "already" in page.body:
                        with self.lock:
                            self.figures.retries_already_done += 1
                            self.figures.dropped_shown_done += dropped
                return answer
            return None  # a form page with an error: refused, nothing acknowledged
        return None

    # the work

    def sign_contracts(self, browser: Browser, todo: list[dict], *, fault: str | None, stop: threading.Event) -> None:
        today = time.strftime("%Y-%m-%d")
        while todo and not stop.is_set():
            item = todo[0]
            if not item["signers"]:
                todo.pop(0)
                continue
            signer = item["signers"][0]
            path = f"/contracts/{item['contract']}/versions/{item['version']}/sign/"
            answer = self.save(browser, path, {"signer": signer, "signed_on": today, "method": "paper"}, fault=fault)
            if answer is not None:
                with self.lock:
                    self.acknowledged_signatures.append((item["version"], signer))
            item["signers"].pop(0)

    def hand_over_contracts(self, browser: Browser, contracts: list[int], rounds: int, *, fault: str | None,
                            stop: threading.Event) -> None:  # fmt: skip
        today = time.strftime("%Y-%m-%d")
        for _round in range(rounds):
            for contract in contracts:
                if stop.is_set():
                    return
                data = {"handed_over_on": today, "all_rights": "on", "assistance": "declined"}
                if self.save(browser, f"/contracts/{contract}/hand-over/", data, fault=fault):
                    with self.lock:
                        self.acknowledged_hand_overs[contract] = self.acknowledged_hand_overs.get(contract, 0) + 1
                self.save(browser, f"/contracts/{contract}/back-to-draft/", {}, fault=None)

    def probe(self, browser: Browser, stop: threading.Event, log: list[Answer]) -> None:
        while not stop.is_set():
            with contextlib.suppress(Lost):  # a worker killed meanwhile
                log.append(browser.request("GET", "/"))
            time.sleep(0.1)

    def run(self) -> None:
        signing, handing = self.plan["sign"], self.plan["hand_over"]
        count = len(signing)
        killed, outage, dropped = (
            signing[: count * 2 // 5],
            signing[count * 2 // 5 : count * 7 // 10],
            signing[count * 7 // 10 :],
        )
        browsers = [Browser(self.args.http_port, self) for _ in range(3)]
        for browser in browsers:
            browser.login()
        # 1. workers killed during signatures and hand-overs, two people at once
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.sign_contracts, args=(browsers[0], killed),
                             kwargs={"fault": "kill", "stop": stop}),
            threading.Thread(target=self.hand_over_contracts, args=(browsers[1], handing, 3),
                             kwargs={"fault": "kill", "stop": stop}),
        ]  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"chaos: kills done in {time.monotonic() - started:.0f} s", flush=True)
        # 2. PostgreSQL stopped and started while signatures and a reader keep going
        for number in range(self.args.outages):
            stop = threading.Event()
            probe_log: list[Answer] = []
            load = [
                threading.Thread(target=self.sign_contracts, args=(browsers[0], outage),
                                 kwargs={"fault": None, "stop": stop}),
                threading.Thread(target=self.probe, args=(browsers[2], stop, probe_log)),
            ]  # fmt: skip
            for thread in load:
                thread.start()
            time.sleep(2)
            self.cluster.stop("fast" if number % 2 == 0 else "immediate")
            self.figures.outages += 1
            time.sleep(OUTAGE_SECONDS)
            self.cluster.start()
            back = time.monotonic()
            deadline = back + 60
            while time.monotonic() < deadline and not any(a.status == 200 and a.started >= back for a in probe_log):
                time.sleep(0.05)
            first = min((a.started + a.seconds for a in probe_log if a.status == 200 and a.started >= back),
                        default=float("nan"))  # fmt: skip
            self.figures.recovery_seconds.append(first - back)
            time.sleep(2)
            stop.set()
            for thread in load:
                thread.join()
        self.sign_contracts(browsers[0], outage, fault=None, stop=threading.Event())  # what the outages left
        print("chaos: outages done", flush=True)
        # 3. responses lost on the way: the save is done, the person does not know it and sends it again
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.sign_contracts, args=(browsers[0], dropped),
                             kwargs={"fault": "drop", "stop": stop}),
            threading.Thread(target=self.hand_over_contracts, args=(browsers[1], handing, 1),
                             kwargs={"fault": "drop", "stop": stop}),
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# --- the verdict ----------------------------------------------------------------------------------------------------


def verdict(lab: Lab, cluster: Cluster) -> dict[str, int]:
    q = lambda sql: [line.split("|") for line in cluster.psql(sql, "piis").splitlines() if line]  # noqa: E731
    contracts = [item["contract"] for item in lab.plan["sign"]] + lab.plan["hand_over"]
    ids = ",".join(str(pk) for pk in contracts)
    problems: dict[str, int] = {}
    lost = 0
    for version, signer in lab.acknowledged_signatures:
        line = signer.partition(":")[2]
        where = f"signatory_id = {int(line)}" if line else "party = 'beneficiary'"
        if q(f"SELECT count(*) FROM contracts_signature WHERE version_id = {version} AND {where}")[0][0] == "0":
            lost += 1
    for contract, count in lab.acknowledged_hand_overs.items():
        if int(q(f"SELECT count(*) FROM contracts_contractversion WHERE contract_id = {contract}")[0][0]) < count:
            lost += count
    problems["lost (acknowledged, not in the database)"] = lost
    problems["signatures given twice"] = len(q(
        "SELECT version_id FROM contracts_signature s JOIN contracts_contractversion v ON v.id = s.version_id "
        f"WHERE v.contract_id IN ({ids}) GROUP BY version_id, party, coalesce(signatory_id, 0), "
        "coalesce(third_party_id, 0) HAVING count(*) > 1"
    ))  # fmt: skip
    problems["half-done: a signature without its audit row"] = len(q(
        "SELECT s.id FROM contracts_signature s JOIN contracts_contractversion v ON v.id = s.version_id "
        f"WHERE v.contract_id IN ({ids}) AND NOT EXISTS (SELECT 1 FROM audit_auditevent a "
        "WHERE a.target_type = 'contracts.signature' AND a.target_id = s.id)"
    ))  # fmt: skip
    problems["half-done: a version handed over without its information"] = len(q(
        f"SELECT id FROM contracts_contractversion WHERE contract_id IN ({ids}) AND information_given_on IS NULL"
    ))  # fmt: skip
    problems["half-done: a version without its audit row"] = len(q(
        f"SELECT v.id FROM contracts_contractversion v WHERE contract_id IN ({ids}) AND NOT EXISTS (SELECT 1 "
        "FROM audit_auditevent a WHERE a.target_type = 'contracts.contractversion' AND a.target_id = v.id)"
    ))  # fmt: skip
    # The contract's state agrees with its versions: an open version ⇔ handed over or awaiting signatures; a
    # concluded one ⇔ in force; none ⇔ draft.
    problems["half-done: a contract whose state contradicts its versions"] = len(q(
        "SELECT c.id FROM contracts_contract c "
        f"WHERE c.id IN ({ids}) AND NOT ("
        " (EXISTS (SELECT 1 FROM contracts_contractversion v WHERE v.contract_id = c.id AND v.concluded_on IS NULL"
        "   AND NOT v.superseded) AND c.status IN ('handed_over', 'awaiting_signatures'))"
        " OR (EXISTS (SELECT 1 FROM contracts_contractversion v WHERE v.contract_id = c.id AND v.concluded_on IS NOT"
        "   NULL AND NOT v.superseded) AND c.status = 'in_force')"
        " OR (NOT EXISTS (SELECT 1 FROM contracts_contractversion v WHERE v.contract_id = c.id AND NOT v.superseded)"
        "   AND c.status = 'draft'))"
    ))  # fmt: skip
    unsigned = q(
        "SELECT count(*) FROM contracts_contract WHERE status <> 'in_force' AND id IN "
        f"({','.join(str(item['contract']) for item in lab.plan['sign'])})"
    )[0][0]
    problems["contracts to sign not in force at the end"] = int(unsigned)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--kill-share", type=float, default=0.6, help="share of saves during which a worker is killed")
    parser.add_argument("--drop-share", type=float, default=0.3, help="share of saves whose response is lost")
    parser.add_argument("--outages", type=int, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--contracts", type=int, default=50, help="contracts to sign (3 signatures each)")
    parser.add_argument("--hand-overs", type=int, default=8, help="drafts handed over and taken back, 3 rounds each")
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--http-port", type=int, default=8439)
    parser.add_argument("--keep", action="store_true", help="keep the cluster's folder (logs) at the end")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.contracts, args.hand_overs)
        return 0
    cluster = Cluster(args.pg_port)
    lab = None
    began = time.monotonic()
    try:
        print(f"chaos: private PostgreSQL cluster in {cluster.folder} on port {args.pg_port}", flush=True)
        cluster.init()
        cluster.start()
        cluster.psql("CREATE DATABASE piis")
        owner = django_env(f"postgres://postgres@127.0.0.1:{args.pg_port}/piis")
        manage(owner, "migrate", "--no-input")
        manage(owner, "audit_partitions", "--months", "2")
        manage(owner, "grant_app_role", "--role", APP_ROLE)
        cluster.psql(f"ALTER ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}'")
        manage(owner, "demo_data", "--quiet-logins")
        plan = json.loads(
            subprocess.run([PYTHON, __file__, "--prepare", "--contracts", str(args.contracts), "--hand-overs",
                            str(args.hand_overs)], cwd=ROOT, env=owner, check=True, capture_output=True,
                           text=True).stdout.splitlines()[-1]
        )  # fmt: skip
        print(f"chaos: ready in {time.monotonic() - began:.0f} s; gunicorn with {args.workers} workers as {APP_ROLE}",
              flush=True)  # fmt: skip
        lab = Lab(args, cluster, plan)
        lab.start_server(django_env(f"postgres://{APP_ROLE}:{APP_PASSWORD}@127.0.0.1:{args.pg_port}/piis"))
        lab.run()
        problems = verdict(lab, cluster)
    finally:
        if lab is not None and lab.gunicorn is not None:
            lab.gunicorn.terminate()
            lab.gunicorn.wait(timeout=30)
        if args.keep:
            cluster.stop()
            print(f"chaos: kept {cluster.folder}")
        else:
            cluster.remove()
    f = lab.figures
    recovery = ", ".join(f"{s:.1f} s" for s in f.recovery_seconds)
    print(f"""
chaos: figures ({time.monotonic() - began:.0f} s in all)
  requests                         {f.requests}
  saves acknowledged               {f.saves_acknowledged} ({len(lab.acknowledged_signatures)} signatures, \
{sum(lab.acknowledged_hand_overs.values())} hand-overs)
  workers killed (SIGKILL)         {f.kills}
  saves whose response was lost    {f.lost_responses}: sent again, {f.retries_already_done} shown as already done
  of which lost on the way         {f.dropped} (the client hung up), {f.dropped_shown_done} shown as already done
  PostgreSQL outages               {f.outages} (stop fast, then immediate; {OUTAGE_SECONDS:.0f} s each)
  503 pages served                 {f.served_503}, the slowest in {f.max_seconds_to_503:.2f} s; \
without Retry-After or the page: {f.bare_503}
  other 5xx                        {f.other_5xx}
  time to recover after restart    {recovery}""")
    for name, count in problems.items():
        print(f"  {name:<60} {count}")
    failed = (
        any(problems.values())
        or f.other_5xx
        or f.bare_503
        or f.max_seconds_to_503 > DEADLINE_503
        or f.dropped_shown_done < f.dropped
    )
    print("chaos: FAILED" if failed else "chaos: nothing lost")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
