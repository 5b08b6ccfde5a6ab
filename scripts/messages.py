"""Compile and check the translation catalogues without GNU gettext (polib is pure Python).

  python scripts/messages.py --compile   writes locale/<lang>/LC_MESSAGES/django.mo from django.po
  python scripts/messages.py --check     fails if FR or NL has an untranslated or fuzzy entry, if DE or EN is
                                         missing, or if a .mo file is out of date with its .po file
`make messages` runs Django's makemessages (that needs GNU gettext) and then --compile.
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
COMPLETE = ("fr", "nl")  # every string translated
PRESENT = ("de", "en")  # the catalogue exists (EN is the source language; DE is completed over time)


def _paths(lang: str) -> tuple[Path, Path]:
    folder = LOCALE / lang / "LC_MESSAGES"
    return folder / "django.po", folder / "django.mo"


def _translations(catalogue) -> dict:
    result = {}
    for entry in catalogue:
        # Untranslated entries are not compiled into the .mo (gettext falls back to the msgid).
        if entry.obsolete or "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
            continue
        result[(entry.msgctxt, entry.msgid)] = entry.msgstr_plural or entry.msgstr
    return {k: ({str(i): s for i, s in v.items()} if isinstance(v, dict) else v) for k, v in result.items()}


def compile_all() -> None:
    for lang in COMPLETE + PRESENT:
        po_path, mo_path = _paths(lang)
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(LOCALE.parent)}")


def check() -> list[str]:
    problems = []
    for lang in COMPLETE + PRESENT:
        po_path, mo_path = _paths(lang)
        if not po_path.exists():
            problems.append(f"{po_path} is missing")
            continue
        po = polib.pofile(str(po_path))
        if lang in COMPLETE:
            for entry in po:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags or not entry.translated():
                    problems.append(f"{lang}: not translated: {entry.msgid!r}")
        if not mo_path.exists() or _translations(po) != _translations(polib.mofile(str(mo_path))):
            problems.append(f"{mo_path} is out of date: run `python scripts/messages.py --compile`")
    return problems


if __name__ == "__main__":
    if "--compile" in sys.argv:
        compile_all()
    elif "--check" in sys.argv:
        found = check()
        for problem in found:
            print(problem)
        if found:
            sys.exit(1)
        print("translations: FR and NL complete, DE and EN present, .mo files up to date")
    else:
        print(__doc__)
        sys.exit(2)
