"""The catalogues, in the suite as in `make lint`: FR and NL have no empty or fuzzy message and the .mo files match."""

import importlib.util
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _messages_script():
    spec = importlib.util.spec_from_file_location("piis_messages_script", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fr_and_nl_are_complete_and_compiled():
    problems = _messages_script().check()
    assert problems == [], "\n".join(problems)


def _catalogue(folder: Path, lang: str, entries: list[polib.POEntry]) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": lang}
    for entry in entries:
        po.append(entry)
    (folder / lang / "LC_MESSAGES").mkdir(parents=True)
    po.save(str(folder / lang / "LC_MESSAGES" / "django.po"))
    po.save_as_mofile(str(folder / lang / "LC_MESSAGES" / "django.mo"))


@pytest.mark.parametrize(
    ("entry", "found"),
    [
        (polib.POEntry(msgid="Save", msgstr=""), "fr: not translated: 'Save'"),
        (polib.POEntry(msgid="Save", msgstr="Enregistrer", flags=["fuzzy"]), "fr: not translated: 'Save'"),
        (
            polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days", msgstr_plural={0: "%(n)s jour", 1: ""}),
            "fr: not translated: '%(n)s day'",
        ),
    ],
    ids=["empty", "fuzzy", "empty-plural-form"],
)
def test_the_check_refuses_an_empty_or_fuzzy_message(tmp_path, monkeypatch, entry, found):
    script = _messages_script()
    _catalogue(tmp_path, "fr", [polib.POEntry(msgid="Cancel", msgstr="Annuler"), entry])
    for lang in ("nl", "de", "en"):
        _catalogue(tmp_path, lang, [polib.POEntry(msgid="Cancel", msgstr="Annuleren")])
    monkeypatch.setattr(script, "LOCALE", tmp_path)
    assert [p for p in script.check() if "is out of date" not in p] == [found]


def test_the_check_refuses_a_stale_mo(tmp_path, monkeypatch):
    script = _messages_script()
    for lang in ("fr", "nl", "de", "en"):
        _catalogue(tmp_path, lang, [polib.POEntry(msgid="Cancel", msgstr="Annuler")])
    po_path = tmp_path / "nl" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.append(polib.POEntry(msgid="Save", msgstr="Opslaan"))
    po.save(str(po_path))
    monkeypatch.setattr(script, "LOCALE", tmp_path)
    assert [problem.split(" is out of date")[0] for problem in script.check()] == [
        str(tmp_path / "nl" / "LC_MESSAGES" / "django.mo")
    ]
