"""Project-wide invariants (as les-emplois' tests/test_consistency.py)."""

import pkgutil
import re
import tomllib
from pathlib import Path

import piis
from piis.core.models import TenantModel, tenant_models

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_forbids_every_sibling_package_of_the_rules_core():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    forbidden = set(config["tool"]["importlinter"]["contracts"][0]["forbidden_modules"])
    siblings = {f"piis.{m.name}" for m in pkgutil.iter_modules(piis.__path__)} - {"piis.rules"}
    assert siblings <= forbidden, f"add to [tool.importlinter] forbidden_modules: {sorted(siblings - forbidden)}"
    assert "django" in forbidden


def test_every_tenant_model_except_the_audit_log_inherits_tenant_model():
    # The audit log keeps a cpas key without a database constraint (partitioned, retention by dropping).
    for model in tenant_models():
        if model._meta.label_lower != "audit.auditevent":
            assert issubclass(model, TenantModel), model


def test_every_template_is_used():
    templates = ROOT / "piis" / "templates"
    sources = "\n".join(
        p.read_text() for p in (ROOT / "piis").rglob("*") if p.suffix in {".py", ".html"} and p.is_file()
    )
    settings_text = (ROOT / "piis" / "settings" / "base.py").read_text()
    unused = []
    for path in templates.rglob("*.html"):
        name = path.relative_to(templates).as_posix()
        if name == "base.html":
            continue
        if not re.search(re.escape(f'"{name}"') + "|" + re.escape(f"'{name}'"), sources + settings_text):
            unused.append(name)
    assert not unused, f"unused templates: {unused}"
