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


# What the Content-Security-Policy (settings.base.CONTENT_SECURITY_POLICY: script-src and style-src 'self', no
# 'unsafe-inline' nor 'unsafe-eval') would refuse in a page, each with what to do instead.
_CSP_REFUSED = {
    "inline script (a <script> without src)": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute (on…=): bind it in a static JS file": re.compile(
        r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL
    ),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "htmx eval (hx-on, js: or javascript: values)": re.compile(
        r"\bhx-on\b|\bhx-on:|\bhx-on-|(hx-vals|hx-vars|hx-headers)\s*=\s*['\"]\s*js:", re.IGNORECASE
    ),
    "inline <style> element: put the rules in static/css": re.compile(r"<style\b", re.IGNORECASE),
    'style="…" attribute: use a class': re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
}


def _laid_out_on_the_server(name: str) -> bool:
    """A template in a pdf/ folder (contracts/pdf/, sanctions/pdf/) is laid out by WeasyPrint into a PDF on the
    server, never served as a page: its <style> is not under the policy."""
    return "pdf" in name.split("/")[:-1]


def _template_text(path: Path) -> str:
    """A template's text without its {# #} and {% comment %} comments (which may name what they avoid)."""
    text = re.sub(r"\{#.*?#\}", "", path.read_text())
    return re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", "", text, flags=re.DOTALL)


def test_no_template_holds_what_the_content_security_policy_refuses():
    found = []
    for root in (ROOT / "piis").rglob("templates"):
        for path in root.rglob("*.html"):
            name = path.relative_to(root).as_posix()
            text = _template_text(path)
            for what, pattern in _CSP_REFUSED.items():
                if "style" in what and _laid_out_on_the_server(name):
                    continue
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{name}:{line}: {what}: {match.group(0)[:60]!r}")
    assert not found, "\n".join(found)


def test_the_content_security_policy_check_sees_each_kind():
    """The control: each pattern above finds what it is meant to find, and passes the allowed forms."""
    samples = {
        "inline script (a <script> without src)": '<script>alert(1)</script><script defer src="/a.js"></script>',
        "event handler attribute (on…=): bind it in a static JS file": '<button type="button"\n onclick="go()">',
        "javascript: URL": '<a href="javascript:void(0)">',
        "htmx eval (hx-on, js: or javascript: values)": '<form hx-on:submit="x()">',
        "inline <style> element: put the rules in static/css": "<style>p{}</style>",
        'style="…" attribute: use a class': '<p class="a"\n style="color: red">',
    }
    assert samples.keys() == _CSP_REFUSED.keys()
    for what, sample in samples.items():
        assert len(_CSP_REFUSED[what].findall(sample)) == 1, what
    allowed = '<script src="/static/x.js" defer></script><p class="online" data-onset="1">{{ on }}</p>'
    assert not any(pattern.search(allowed) for pattern in _CSP_REFUSED.values())
