"""`make run` on a fresh machine: SQLite, the development settings, migrate then the demo twice (idempotent).

The suite itself runs on PostgreSQL, so a query SQLite cannot run (a JSON containment lookup, say) would otherwise
only show up when a newcomer types `make run`.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)  # fmt: skip


def test_make_run_migrates_and_loads_the_demo_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "piis.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("REQUIRE_POSTGRES", None)
    migrated = _manage("migrate", "--no-input", "-v", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    first = _manage("demo_data", env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Demo logins" in first.stdout
    again = _manage("demo_data", env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    created = [line for line in again.stdout.splitlines() if line.endswith("beneficiaries created")]
    assert created and all(": 0 beneficiaries" in line for line in created), again.stdout

    # One API token per demo CPAS, printed with a curl call, the same on every run (piis.api.demo).
    def tokens(out: str) -> list[str]:
        return [line.split()[-1] for line in out.splitlines() if " piis_" in line and "curl" not in line]

    assert len(tokens(first.stdout)) == 2 and "curl -H" in first.stdout
    assert tokens(again.stdout) == tokens(first.stdout)
