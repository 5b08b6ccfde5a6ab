"""Generate docs/rules.md from the code: `python -m piis.rules.doc [--check PATH]`.

For every rule R1…R79: its title, the functions implementing it (signature and docstring), its scenario tests, its
call sites in the app, the parameters it uses with their values over time, and its source keys; then the whole
parameter table and the controlled vocabularies. The output is deterministic (sorted, no timestamps, no line
numbers), so CI can check that the committed file is up to date.

Titles are read from the rule headings of piis-rules.md (`**R39 — Reflection period: 5 CALENDAR days.**`), which
sits beside the repository (../shared/domain/piis-rules.md): a docstring gives the function's purpose, not the
rule's name, and most rules have no function at all. Scenario tests and call sites are found by parsing tests/ and
piis/ with `ast`; nothing outside piis.rules is imported (the rules core imports no other piis package).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import piis.rules
from piis.rules import calendar, evaluation, obligation, sanctions, signature, subsidy, transfers
from piis.rules.params import PARAMETERS, Parameter, ParamValue

__all__ = [
    "REPO_ROOT",
    "RULE_MODULES",
    "SPEC_PATH",
    "CallSite",
    "ScenarioTest",
    "call_sites",
    "generate",
    "main",
    "public_callables",
    "rule_ids",
    "rule_titles",
    "scenario_tests",
]

RULE_MODULES: tuple[ModuleType, ...] = (calendar, obligation, signature, evaluation, sanctions, subsidy, transfers)
"""The modules whose public functions implement rules (each docstring starts with its rule IDs)."""

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository: its piis/ is scanned for call sites, its tests/ (and e2e/) for scenario tests."""

SPEC_PATH = REPO_ROOT.parent / "shared" / "domain" / "piis-rules.md"
"""Where the law lives, beside the repository (in CI too); the rule titles are read from it."""

_LAST_RULE = 79  # piis-rules.md numbers its rules R1…R79
_TITLE = re.compile(r"^\*\*(R\d+) — (.+?)\*\*", re.MULTILINE)
_TEST_DIRS = ("tests", "e2e")
_SCENARIO_MARKERS = frozenset({"pytest.mark.scenario", "mark.scenario"})
_ID = re.compile(r"^(R|S-[A-Za-z]+-)(\d+)$")
_RANGE = re.compile(r"^R(\d+)[–-]R(\d+)$")

_API_EXTENSIONS = (
    "`earliest_signature_date(..., *, allow_signature_on_last_day=False)` and the same keyword on "
    "`check_signature`: O3 alternative reading (signature allowed on D+5).",
    "`piis_obligation(..., closures=())`: CPAS closure days used for the warning date.",
    "`evaluation_years(..., video_counts_in_person=False)`: A4 / O10 alternative (video counts as in person).",
    "`bonus_malus_rate(coverage, *, on=None)`: date of the band table (default: the day it takes effect).",
    '`check_sanction(..., clause_party="beneficiary")`: R55/R56 — a clause binding the CPAS or a third party '
    "raises COMMITMENT_OF_ANOTHER_PARTY (after BREACH_BEFORE_CLAUSE, before CLAUSE_NOT_SANCTIONABLE).",
    "`check_clause_kind(kind)` also refuses a kind whose text names community service (`check_clause_text`, R23).",
)


def rule_ids(doc: str | None) -> tuple[str, ...]:
    """The rule IDs a docstring starts with ("R9–R13, R15 — …" gives R9, R10, R11, R12, R13, R15)."""
    if not doc or " — " not in doc.split("\n", 1)[0]:
        return ()
    head = doc.split(" — ", 1)[0]
    ids: list[str] = []
    for token in (t.strip() for t in head.split(",")):
        if match := _RANGE.match(token):
            ids.extend(f"R{n}" for n in range(int(match.group(1)), int(match.group(2)) + 1))
        elif _ID.match(token):
            ids.append(token)
        else:
            return ()
    return tuple(ids)


def public_callables() -> list[tuple[str, Callable[..., object]]]:
    """(qualified name, function or class) for every public function and class of the rule modules."""
    found: list[tuple[str, Callable[..., object]]] = []
    for module in RULE_MODULES:
        for name in sorted(getattr(module, "__all__", ())):
            obj = getattr(module, name)
            if inspect.isclass(obj) or callable(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


def _sort_key(rule: str) -> tuple[int, str, int]:
    match = _ID.match(rule)
    assert match is not None
    return (0 if match.group(1) == "R" else 1, match.group(1), int(match.group(2)))


def rule_titles(spec: Path) -> dict[str, str]:
    """Rule ID → title, from the headings of piis-rules.md ("**R39 — Reflection period: 5 CALENDAR days.**")."""
    if not spec.is_file():
        raise FileNotFoundError(
            f"piis-rules.md not found at {spec}: the rule titles are read from it (the shared folder sits beside the "
            "repository, ../shared/domain/piis-rules.md; or pass --spec PATH)"
        )
    titles = {m.group(1): m.group(2).strip().rstrip(".") for m in _TITLE.finditer(spec.read_text(encoding="utf-8"))}
    missing = [f"R{n}" for n in range(1, _LAST_RULE + 1) if f"R{n}" not in titles]
    if missing:
        raise ValueError(f"{spec} has no heading for {', '.join(missing)} (expected '**R… — Title.**')")
    return titles


@dataclass(frozen=True, order=True)
class CallSite:
    """A place in the app calling a rules function: file (relative to the root), enclosing definition, callee."""

    path: str
    scope: str
    """Dotted names of the enclosing classes and functions ("ContractPage.get"), or "<module>"."""
    function: str
    """The short name of the rules function called ("earliest_signature_date")."""


@dataclass(frozen=True)
class ScenarioTest:
    """A test marked `@pytest.mark.scenario("T15", rules=("R39",))`, named by its pytest node id."""

    tid: str
    rules: tuple[str, ...]
    node_id: str


def _source_files(root: Path, folder: str) -> Iterator[tuple[str, ast.Module]]:
    """(path relative to root, syntax tree) of every .py file under root/folder, in path order."""
    base = root / folder
    for path in sorted(base.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root).as_posix()
        with warnings.catch_warnings():  # an invalid escape in a scanned file is ruff's business, not ours
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        yield relative, tree


def _rule_function_names() -> dict[str, str]:
    """Every dotted name a rules function can be reached by → its short name (classes are data, not calls)."""
    names: dict[str, str] = {}
    for qualname, obj in public_callables():
        if inspect.isclass(obj):
            continue
        short = qualname.rsplit(".", 1)[1]
        names[qualname] = short
        if getattr(piis.rules, short, None) is obj:
            names[f"piis.rules.{short}"] = short
    return names


def _bindings(tree: ast.Module, targets: dict[str, str]) -> dict[str, str]:
    """Local name → dotted name, from the file's absolute imports (wherever they are in the file)."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    bound[head] = head
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                if alias.name == "*":
                    prefix = f"{node.module}."
                    for dotted in targets:
                        if dotted.startswith(prefix) and "." not in dotted[len(prefix) :]:
                            bound[dotted[len(prefix) :]] = dotted
                else:
                    bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _dotted(expr: ast.expr, bound: dict[str, str]) -> str | None:
    if isinstance(expr, ast.Name):
        return bound.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = _dotted(expr.value, bound)
        return None if base is None else f"{base}.{expr.attr}"
    return None


class _Scoped(ast.NodeVisitor):
    """A visitor that knows the dotted name of the classes and functions enclosing the current node."""

    def __init__(self) -> None:
        self.scope: list[str] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)  # decorators count as inside the definition they decorate
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _enter


class _CallFinder(_Scoped):
    def __init__(self, path: str, bound: dict[str, str], targets: dict[str, str]) -> None:
        super().__init__()
        self.path, self.bound, self.targets = path, bound, targets
        self.found: set[CallSite] = set()

    def visit_Call(self, node: ast.Call) -> None:
        dotted = _dotted(node.func, self.bound)
        if dotted in self.targets:
            self.found.add(CallSite(self.path, ".".join(self.scope) or "<module>", self.targets[dotted]))
        self.generic_visit(node)


def _require_folder(root: Path, folder: str) -> None:
    if not (root / folder).is_dir():
        raise FileNotFoundError(f"no {folder}/ folder in {root}: run from the repository (or pass --root DIR)")


def call_sites(root: Path) -> list[CallSite]:
    """Every call of a public rules function in root/piis, outside piis/rules and migrations, sorted.

    Found by parsing, not importing: the names imported from piis.rules or piis.rules.<module> (aliases and
    `module.function(...)` included), then the calls of those names. Calls only: a function passed by name is not
    listed, nor are the rules' data classes (Period, Exemption…), which carry facts rather than apply a rule.
    """
    _require_folder(root, "piis")
    targets = _rule_function_names()
    found: set[CallSite] = set()
    for path, tree in _source_files(root, "piis"):
        parts = path.split("/")
        if parts[1] == "rules" or "migrations" in parts:
            continue
        finder = _CallFinder(path, _bindings(tree, targets), targets)
        finder.visit(tree)
        found |= finder.found
    return sorted(found)


def _strings(node: ast.expr) -> tuple[str, ...]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return ()


class _ScenarioFinder(_Scoped):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.found: list[ScenarioTest] = []

    def visit_Call(self, node: ast.Call) -> None:
        if ast.unparse(node.func) in _SCENARIO_MARKERS and node.args:
            tid = _strings(node.args[0])
            rules = _strings(node.args[1]) if len(node.args) > 1 else ()
            for keyword in node.keywords:
                if keyword.arg == "rules":
                    rules = _strings(keyword.value)
            if tid:
                self.found.append(ScenarioTest(tid[0], rules, "::".join([self.path, *self.scope])))
        self.generic_visit(node)


def _tid_key(test: ScenarioTest) -> tuple[int, str, str]:
    number = re.fullmatch(r"T(\d+)", test.tid)
    return (int(number.group(1)) if number else sys.maxsize, test.tid, test.node_id)


def scenario_tests(root: Path) -> list[ScenarioTest]:
    """Every test marked as an acceptance scenario in root/tests (and root/e2e), by T-ID then node id."""
    _require_folder(root, "tests")
    found: list[ScenarioTest] = []
    for folder in _TEST_DIRS:
        if not (root / folder).is_dir():
            continue
        for path, tree in _source_files(root, folder):
            finder = _ScenarioFinder(path)
            finder.visit(tree)
            found += finder.found
    return sorted(found, key=_tid_key)


def _default_repr(value: object) -> str:
    if isinstance(value, frozenset):  # a set's repr depends on hash randomisation
        return "frozenset({" + ", ".join(sorted(repr(v) for v in value)) + "})"
    return repr(value)


def _signature(obj: Callable[..., object]) -> str:
    target = inspect.unwrap(obj)
    params = []
    star_done = False
    for p in inspect.signature(target).parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star_done:
            params.append("*")
            star_done = True
        text = p.name
        if p.annotation is not p.empty:
            text += f": {p.annotation}"
        if p.default is not p.empty:
            text += f" = {_default_repr(p.default)}"
        params.append(text)
    returns = inspect.signature(target).return_annotation
    tail = "" if returns is inspect.Signature.empty else f" -> {returns}"
    return f"({', '.join(params)}){tail}"


def _format_value(value: ParamValue) -> str:
    if isinstance(value, tuple):
        return "; ".join(f"≥ {lower} → {v}" for lower, v in value)
    if isinstance(value, Decimal | int | date):
        return str(value)
    raise TypeError(type(value))  # pragma: no cover - the table holds no other type


def _param_rows(parameters: Sequence[Parameter]) -> list[str]:
    lines = [
        "| ID | Name | Unit | Values (effective from → value) | Confidence | Sources |",
        "|---|---|---|---|---|---|",
    ]
    for p in parameters:
        values = "<br>".join(f"{d} → {_format_value(v)}" for d, v in p.values)
        flag = f" (flag `{p.flag}`)" if p.flag else ""
        lines.append(f"| {p.pid} | `{p.name}`{flag} | {p.unit} | {values} | {p.confidence} | {', '.join(p.sources)} |")
    return lines


def _doc_sources(doc: str) -> list[str]:
    match = re.search(r"Sources:(.*?)(?:Scenarios:|$)", " ".join(doc.split()))
    if not match:
        return []
    keys = re.findall(r"\b[A-Z][A-Z0-9]+(?:-[A-Za-z0-9]+)*\b", match.group(1))
    return [k for k in keys if k != "DESIGN" and not re.fullmatch(r"R\d+", k)]


def _by_rule_lines(
    rule: str,
    implemented_by: list[tuple[str, Callable[..., object]]],
    scenarios: list[ScenarioTest],
    sites: dict[str, list[CallSite]],
) -> list[str]:
    """The summary under a rule's heading: functions (and data classes), scenario tests, call sites."""
    functions = [qualname for qualname, obj in implemented_by if not inspect.isclass(obj)]
    classes = [qualname for qualname, obj in implemented_by if inspect.isclass(obj)]
    names = {f.rsplit(".", 1)[1] for f in functions}
    lines = [
        f"Functions: {', '.join(f'`{f}`' for f in functions)}." if functions else "Functions: none in the rules core."
    ]
    if classes:
        lines += [f"Data classes: {', '.join(f'`{c}`' for c in classes)}."]
    lines += [""]
    marked = [t for t in scenarios if rule in t.rules]
    if marked:
        lines += ["Scenario tests:", "", *(f"- {t.tid} `{t.node_id}`" for t in marked), ""]
    else:
        lines += ["Scenario tests: none.", ""]
    callers: dict[tuple[str, str], set[str]] = {}
    for name in names:
        for site in sites.get(name, []):
            callers.setdefault((site.path, site.scope), set()).add(name)
    if callers:
        lines += ["Call sites in the app:", ""]
        for (path, scope), called in sorted(callers.items()):
            lines.append(f"- `{path}:{scope}` ({', '.join(f'`{n}`' for n in sorted(called))})")
        lines += [""]
    elif functions:
        lines += ["Call sites in the app: not called by the app yet.", ""]
    else:
        lines += ["Call sites in the app: none (no function).", ""]
    return lines


def _rules_section(titles: dict[str, str], scenarios: list[ScenarioTest], sites: list[CallSite]) -> list[str]:
    by_rule: dict[str, list[tuple[str, Callable[..., object]]]] = {}
    for qualname, obj in public_callables():
        for rule in rule_ids(inspect.getdoc(obj)):
            by_rule.setdefault(rule, []).append((qualname, obj))
    params_by_rule: dict[str, list[Parameter]] = {}
    for p in PARAMETERS.values():
        for rule in p.rules:
            params_by_rule.setdefault(rule, []).append(p)
    sites_by_function: dict[str, list[CallSite]] = {}
    for site in sites:
        sites_by_function.setdefault(site.function, []).append(site)
    every_rule = {f"R{n}" for n in range(1, _LAST_RULE + 1)} | set(by_rule) | set(params_by_rule)
    lines = ["## Rules", ""]
    for rule in sorted(every_rule, key=_sort_key):
        title = titles.get(rule)
        lines += [f"### {rule} — {title}" if title else f"### {rule}", ""]
        lines += _by_rule_lines(rule, by_rule.get(rule, []), scenarios, sites_by_function)
        sources: set[str] = set()
        for qualname, obj in by_rule.get(rule, []):
            doc = inspect.getdoc(obj) or ""
            kind = "class" if inspect.isclass(obj) else "function"
            lines += [f"#### {kind} `{qualname}`", ""]
            if kind == "function":
                lines += ["```python", f"{qualname.rsplit('.', 1)[1]}{_signature(obj)}", "```", ""]
            lines += ["```text", doc, "```", ""]
            sources.update(_doc_sources(doc))
        if rule in params_by_rule:
            lines += ["Parameters:", "", *_param_rows(params_by_rule[rule]), ""]
            for p in params_by_rule[rule]:
                sources.update(p.sources)
        if rule not in by_rule and rule in params_by_rule:
            lines += ["No function: the parameter is documented for review (context only).", ""]
        if rule in by_rule or rule in params_by_rule:
            lines += [f"Source keys: {', '.join(sorted(sources)) or '—'}", ""]
    covered = set(by_rule) | set(params_by_rule)
    absent = [f"R{n}" for n in range(1, _LAST_RULE + 1) if f"R{n}" not in covered]
    lines += [
        "### Rules with no function or parameter in the rules core",
        "",
        "Workflow, content, record-keeping or context rules, left to the Django apps (or to nobody, when the",
        f"rule is only informative): {', '.join(absent)}.",
        "",
    ]
    return lines


def _parameters_section() -> list[str]:
    lines = ["## Parameter table", "", "`P…` = row of piis-rules.md §15; `PX…` = a number a rule implies that §15", ""]
    lines[-2] += " does not list. Values are looked up as on a date: the latest value effective on or before it."
    for p in PARAMETERS.values():
        lines += [f"### {p.pid} `{p.name}` — {p.label}", ""]
        lines += [f"- unit: {p.unit}; confidence: {p.confidence}; last verified: {p.last_verified}"]
        lines += [f"- rules: {', '.join(p.rules)}; sources: {', '.join(p.sources)}"]
        if p.flag:
            lines += [f"- only in force when the deployment flag `{p.flag}` is on (announced, not adopted)"]
        if p.note:
            lines += [f"- note: {p.note}"]
        lines += ["", "| Effective from | Value |", "|---|---|"]
        lines += [f"| {d} | {_format_value(v)} |" for d, v in p.values]
        lines += [""]
    return lines


def _vocabulary_section() -> list[str]:
    lines = ["## Controlled vocabularies", ""]
    for module in RULE_MODULES:
        for name in sorted(getattr(module, "__all__", ())):
            value = getattr(module, name)
            if isinstance(value, frozenset):
                lines.append(f"- `{module.__name__}.{name}`: {', '.join(f'`{v}`' for v in sorted(value))}")
            elif isinstance(value, dict):
                items = "; ".join(f"`{k}`: {', '.join(v)}" for k, v in sorted(value.items()))
                lines.append(f"- `{module.__name__}.{name}`: {items}")
            elif isinstance(value, str):
                lines.append(f"- `{module.__name__}.{name}` = `{value}`")
    return [*lines, ""]


def generate(root: Path = REPO_ROOT, spec: Path = SPEC_PATH) -> str:
    """The Markdown text of docs/rules.md, for the repository at root and the law in spec."""
    titles = rule_titles(spec)
    sites = call_sites(root)
    scenarios = scenario_tests(root)
    lines = [
        "# The rules core: what the software enforces",
        "",
        "Generated by `python -m piis.rules.doc` (`make rules-doc`) from the docstrings and the parameter table of",
        "`piis/rules`. Do not edit by hand; CI fails when this file is out of date. Rule (`R…`), parameter (`P…`),",
        "scenario (`T…`), open-question (`O…`) and assumption (`A…`) IDs refer to `piis-rules.md`; the public API is",
        "fixed by `rules-api.md`.",
        "",
        "Under each rule: its title (from `piis-rules.md`), the functions implementing it, the tests marked",
        '`@pytest.mark.scenario("T…", rules=(…))` for it, and its call sites in the app: every function of `piis/`',
        "(outside `piis/rules` and migrations) that calls one of those functions, as `path:function`.",
        "",
        "## Additions to the rules-api.md signatures",
        "",
        "All backward compatible (new keyword arguments with defaults keeping the documented behaviour):",
        "",
        *(f"- {line}" for line in _API_EXTENSIONS),
        "",
        *_rules_section(titles, scenarios, sites),
        *_parameters_section(),
        *_vocabulary_section(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the document, or with --check PATH compare PATH with it (exit 1 when it differs, 2 on a missing input)."""
    parser = argparse.ArgumentParser(prog="python -m piis.rules.doc", description="Generate docs/rules.md.")
    parser.add_argument("--check", metavar="PATH", help="fail if PATH differs from the generated document")
    parser.add_argument("--root", metavar="DIR", type=Path, default=REPO_ROOT, help="the repository to scan")
    parser.add_argument("--spec", metavar="PATH", type=Path, default=SPEC_PATH, help="piis-rules.md (rule titles)")
    args = parser.parse_args(argv)
    try:
        text = generate(args.root, args.spec)
    except (FileNotFoundError, ValueError) as error:
        print(f"python -m piis.rules.doc: {error}", file=sys.stderr)
        return 2
    if args.check is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    path = Path(args.check)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if current != text:
        print(f"{path} is out of date: regenerate it with `make rules-doc`.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
