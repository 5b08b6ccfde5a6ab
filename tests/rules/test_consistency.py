"""Consistency of the rules core with piis-rules.md and rules-api.md (see conventions.md §5)."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import piis.rules
from piis.rules import doc
from piis.rules.params import PARAMETERS

HERE = Path(__file__).resolve().parent
SPEC = Path(__file__).resolve().parents[3] / "shared" / "domain" / "piis-rules.md"

# Scenarios of piis-rules.md §19 that have no rule part at all (none so far: every T-ID has one).
NOT_RULES_CORE: frozenset[str] = frozenset()

API_NAMES = {
    "RuleViolation", "InvalidInput", "add_months", "add_years", "belgian_public_holidays", "is_working_day",
    "add_working_days", "Period", "Obligation", "piis_obligation", "Exemption", "conclusion_deadline",
    "deadline_after_exemption", "earliest_signature_date", "check_signature", "meeting_deadline", "CLAUSE_KINDS",
    "check_clause_kind", "check_amendment", "Evaluation", "EvaluationYear", "evaluation_years",
    "max_suspension_months", "check_sanction", "StartWindow", "suspension_start_window", "check_suspension_start",
    "AppealDeadline", "appeal_deadline", "ri_monthly_amount", "subsidy_start", "monthly_piis_subsidy",
    "bonus_malus_rate", "transfer_applies", "forward_request_deadline",
}  # fmt: skip


def marked_scenarios() -> set[str]:
    """T-IDs of every @pytest.mark.scenario("T…") in tests/rules (read from the source, not by running it)."""
    found: set[str] = set()
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.mark.scenario" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def test_every_rules_core_scenario_has_a_marked_test():
    if not SPEC.is_file():
        pytest.skip(f"piis-rules.md not found at {SPEC} (the shared folder sits beside the repository in CI)")
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## 19.", 1)[1].split("\n## ", 1)[0]
    spec_ids = set(re.findall(r"\*\*(T\d+)\b", section))
    assert len(spec_ids) >= 48
    missing = spec_ids - NOT_RULES_CORE - marked_scenarios()
    assert not missing, f"scenarios without a marked test: {sorted(missing, key=lambda t: int(t[1:]))}"


def test_marked_tests_are_named_after_their_scenario():
    for path in HERE.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.scenario":
                    tid = decorator.args[0]
                    assert isinstance(tid, ast.Constant)
                    assert node.name.startswith(f"test_{tid.value.lower()}_"), node.name


def test_every_public_rules_function_docstring_starts_with_a_rule_id():
    for qualname, obj in doc.public_callables():
        docstring = inspect.getdoc(obj) or ""
        assert re.match(r"^(R\d+|S-[A-Za-z]+-\d+)", docstring), f"{qualname}: docstring must start with a rule ID"
        assert doc.rule_ids(docstring), f"{qualname}: rule IDs must be followed by ' — '"


def test_every_public_rules_function_docstring_has_the_labelled_sections():
    labels = ("Legal basis:", "Convention:", "Open questions:", "Sources:", "Scenarios:")
    for qualname, obj in doc.public_callables():
        if inspect.isclass(obj):
            continue
        docstring = inspect.getdoc(obj) or ""
        missing = [label for label in labels if label not in docstring]
        assert not missing, f"{qualname}: docstring lacks {missing}"


def test_every_parameter_has_sources():
    for name, parameter in PARAMETERS.items():
        assert parameter.sources, name


def test_package_exports_the_fixed_api_and_its_modules_public_helpers():
    assert set(piis.rules.__all__) >= API_NAMES
    for name in API_NAMES:
        assert getattr(piis.rules, name) is not None
    # Beside the fixed API, exactly the public names of the rule modules (one import path for callers).
    modules = (*doc.RULE_MODULES, piis.rules.params, piis.rules.errors)
    helpers = {name for module in modules for name in module.__all__}
    assert set(piis.rules.__all__) == API_NAMES | helpers


def test_rules_core_imports_no_django_and_no_sibling_package():
    package = Path(piis.rules.__file__).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top != "django", f"{path.name} imports Django"
                assert top != "piis" or name.startswith("piis.rules"), f"{path.name} imports {name}"


def test_no_legal_number_literal_outside_params():
    """Integer literals > 1 in rule modules are suspicious (calendar arithmetic constants excepted)."""
    allowed_modules = {"params.py", "doc.py", "calendar.py"}
    package = Path(piis.rules.__file__).parent
    for path in package.glob("*.py"):
        if path.name in allowed_modules:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value not in (0, 1, 2):
                pytest.fail(f"{path.name}:{node.lineno} has the literal {node.value!r}; put it in params.py")
