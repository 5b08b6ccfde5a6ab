"""Generate docs/rules.md from the code: `python -m piis.rules.doc [--check PATH]`.

For every rule ID: the functions implementing it (signature and docstring), the parameters it uses with their
values over time, and its source keys; then the whole parameter table and the controlled vocabularies. The output
is deterministic (sorted, no timestamps), so CI can check that the committed file is up to date.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

from piis.rules import calendar, evaluation, obligation, sanctions, signature, subsidy, transfers
from piis.rules.params import PARAMETERS, Parameter, ParamValue

__all__ = ["RULE_MODULES", "generate", "main", "public_callables", "rule_ids"]

RULE_MODULES: tuple[ModuleType, ...] = (calendar, obligation, signature, evaluation, sanctions, subsidy, transfers)
"""The modules whose public functions implement rules (each docstring starts with its rule IDs)."""

_LAST_RULE = 79  # piis-rules.md numbers its rules R1…R79
_ID = re.compile(r"^(R|S-[A-Za-z]+-)(\d+)$")
_RANGE = re.compile(r"^R(\d+)[–-]R(\d+)$")

_API_EXTENSIONS = (
    "`earliest_signature_date(..., *, allow_signature_on_last_day=False)` and the same keyword on "
    "`check_signature`: O3 alternative reading (signature allowed on D+5).",
    "`piis_obligation(..., closures=())`: CPAS closure days used for the warning date.",
    "`evaluation_years(..., video_counts_in_person=False)`: A4 / O10 alternative (video counts as in person).",
    "`bonus_malus_rate(coverage, *, on=None)`: date of the band table (default: the day it takes effect).",
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


def _rules_section() -> list[str]:
    by_rule: dict[str, list[tuple[str, Callable[..., object]]]] = {}
    for qualname, obj in public_callables():
        for rule in rule_ids(inspect.getdoc(obj)):
            by_rule.setdefault(rule, []).append((qualname, obj))
    params_by_rule: dict[str, list[Parameter]] = {}
    for p in PARAMETERS.values():
        for rule in p.rules:
            params_by_rule.setdefault(rule, []).append(p)
    lines = ["## Rules", ""]
    for rule in sorted(set(by_rule) | set(params_by_rule), key=_sort_key):
        lines += [f"### {rule}", ""]
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
        if rule not in by_rule:
            lines += ["No function: the parameter is documented for review (context only).", ""]
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


def generate() -> str:
    """The Markdown text of docs/rules.md."""
    lines = [
        "# The rules core: what the software enforces",
        "",
        "Generated by `python -m piis.rules.doc` (`make rules-doc`) from the docstrings and the parameter table of",
        "`piis/rules`. Do not edit by hand; CI fails when this file is out of date. Rule (`R…`), parameter (`P…`),",
        "scenario (`T…`), open-question (`O…`) and assumption (`A…`) IDs refer to `piis-rules.md`; the public API is",
        "fixed by `rules-api.md`.",
        "",
        "## Additions to the rules-api.md signatures",
        "",
        "All backward compatible (new keyword arguments with defaults keeping the documented behaviour):",
        "",
        *(f"- {line}" for line in _API_EXTENSIONS),
        "",
        *_rules_section(),
        *_parameters_section(),
        *_vocabulary_section(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the document, or with --check PATH compare PATH with it (exit 1 when it differs)."""
    parser = argparse.ArgumentParser(prog="python -m piis.rules.doc", description="Generate docs/rules.md.")
    parser.add_argument("--check", metavar="PATH", help="fail if PATH differs from the generated document")
    args = parser.parse_args(argv)
    text = generate()
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
