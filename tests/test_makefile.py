"""What `make run` and `make test` promise in the README (issue 10): the address served, the test database named."""

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _recipe(target: str, *variables: str) -> list[str]:
    """The commands `make <target>` would run (make -n), the venv's install step left out."""
    done = subprocess.run(["make", "-n", "--no-print-directory", target, *variables], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return [line for line in done.stdout.splitlines() if "pip install" not in line and "-m venv" not in line]


def test_make_run_says_the_address_it_serves():
    lines = _recipe("run", "HOST=0.0.0.0", "PORT=8123")
    assert any(line.startswith("echo") and "http://0.0.0.0:8123/" in line for line in lines)
    assert any("demo_data --url http://0.0.0.0:8123/" in line for line in lines)
    assert lines[-1].endswith("runserver 0.0.0.0:8123")


def test_make_test_all_shows_the_header_line_that_names_the_test_database():
    """Run the recipe of `make test-all` on one test: pytest's header, which -q would hide, names the database."""
    [command] = [line for line in _recipe("test-all") if "pytest" in line]
    one_test = "tests/test_makefile.py::test_make_run_says_the_address_it_serves"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "COV_"))}
    done = subprocess.run([*shlex.split(command), "-p", "no:randomly", one_test], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "piis test database: " in done.stdout


def test_make_chaos_runs_the_fault_script_and_is_not_part_of_make_test():
    assert any("scripts/chaos.py" in line for line in _recipe("chaos"))
    assert not any("chaos" in line for line in _recipe("test"))


def test_make_restore_drill_runs_the_drill_on_the_database_of_database_url():
    [command] = [line for line in _recipe("restore-drill") if "manage.py" in line]
    assert command.endswith("manage.py restore_drill") and "DJANGO_SETTINGS_MODULE" in command
    assert not any("restore_drill" in line for line in _recipe("test"))


def test_make_run_starts_the_task_worker_beside_the_server_and_stops_it_with_it():
    """Background work needs nothing more than `make run`: db_worker runs beside runserver, on the same settings,
    and is killed when the recipe's shell ends (the server stopped, or Ctrl+C, which the worker also receives)."""
    recipe = "\n".join(_recipe("run"))
    assert "DJANGO_SETTINGS_MODULE=piis.settings.dev .venv/bin/python manage.py db_worker" in recipe
    assert "& worker=$!" in recipe and "trap 'kill $worker 2>/dev/null' EXIT INT TERM" in recipe
    assert recipe.index("db_worker") < recipe.index("runserver")
