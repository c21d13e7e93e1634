"""The customer survey page and e-mail ship in English, German, French and Spanish:
every message translated in each, placeholders kept, and the committed catalogues
compiled from the current translations."""

import re
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import compile_messages  # noqa: E402

LOCALES = ROOT / "surveys" / "locale"


def _catalogue(language: str) -> dict[str, str]:
    return compile_messages.parse((LOCALES / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))


def test_the_committed_mo_files_are_compiled_from_the_po_files():
    assert compile_messages.main(["--check"]) == 0


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_language_translates_the_same_messages(language):
    assert set(_catalogue(language)) == set(_catalogue("de"))


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_translations_keep_their_placeholders_and_are_not_english(language):
    for msgid, msgstr in _catalogue(language).items():
        if not msgid:
            continue
        assert set(re.findall(r"%\(\w+\)s", msgid)) == set(re.findall(r"%\(\w+\)s", msgstr)), msgid
        assert msgstr and msgstr != msgid, msgid


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Antwort senden"), ("fr", "Envoyer ma réponse"), ("es", "Enviar mi respuesta"), ("en", "Send my answer")],
)
def test_django_finds_the_catalogues(language, expected):
    with translation.override(language):
        assert translation.gettext("Send my answer") == expected


def test_the_compiler_writes_what_gnu_msgfmt_reads(tmp_path):
    import gettext

    mo = tmp_path / "django.mo"
    mo.write_bytes(compile_messages.mo_bytes({"": "Content-Type: text/plain; charset=UTF-8\n", "Yes": "Ja ✓"}))
    with mo.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Yes") == "Ja ✓"
