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


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    names = []
    for layer in contract["layers"]:
        names += [name.strip().strip("()") for name in layer.split("|")]
    return names


def test_layers_contract_names_every_app_and_the_coming_ones():
    """A new piis package must take its place in the layers before it can import anything (make test runs them)."""
    layered = set(_layers())
    packages = {f"piis.{m.name}" for m in pkgutil.iter_modules(piis.__path__) if m.ispkg}
    unplaced = packages - layered - {"piis.settings", "piis.formats", "piis.static", "piis.templates"}
    assert not unplaced, f"add to the layers contract in pyproject.toml: {sorted(unplaced)}"
    coming = {"piis.sanctions", "piis.transfers", "piis.portal", "piis.reports", "piis.api"}
    assert coming <= layered
    assert _layers()[-1] == "piis.rules" and _layers()[0] == "piis.www"


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
        if name in {"base.html", "404.html", "500.html"}:  # Django looks the error pages up by these names
            continue
        if not re.search(re.escape(f'"{name}"') + "|" + re.escape(f"'{name}'"), sources + settings_text):
            unused.append(name)
    assert not unused, f"unused templates: {unused}"
