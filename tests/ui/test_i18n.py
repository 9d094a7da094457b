"""The catalogue: both languages complete, with the same placeholders, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from ui.i18n import CATALOGUE, LANGUAGE_NAMES, translate

ROOT = Path(__file__).resolve().parents[2]
# t("some.key" or translate(lang, "some.key" with a literal key
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z0-9_.\-]+)"|translate\([^,]+,\s*"([a-z0-9_.\-]+)\"""")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_languages_are_english_and_polish() -> None:
    assert set(CATALOGUE) == set(LANGUAGE_NAMES) == {"en", "pl"}


def test_both_languages_have_the_same_keys() -> None:
    english, polish = set(CATALOGUE["en"]), set(CATALOGUE["pl"])

    assert sorted(english - polish) == []
    assert sorted(polish - english) == []


@pytest.mark.parametrize("key", sorted(CATALOGUE["en"]))
def test_placeholders_agree(key: str) -> None:
    assert placeholders(CATALOGUE["en"][key]) == placeholders(CATALOGUE["pl"][key])


@pytest.mark.parametrize("language", sorted(CATALOGUE))
def test_every_string_formats(language: str) -> None:
    for key, template in CATALOGUE[language].items():
        values = dict.fromkeys(placeholders(template), 1)
        assert translate(language, key, **values), key


def test_polish_is_really_translated() -> None:
    same = [key for key in CATALOGUE["en"] if CATALOGUE["en"][key] == CATALOGUE["pl"][key]]
    # names, symbols and references may stay as they are; prose may not
    assert len(same) < len(CATALOGUE["en"]) // 5, same


def test_every_literal_key_in_the_code_exists() -> None:
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py")]
    used = {
        match.group(1) or match.group(2)
        for path in sources
        for match in LITERAL_KEY.finditer(path.read_text(encoding="utf-8"))
    }

    assert used, "the pattern found no keys at all"
    assert sorted(used - set(CATALOGUE["en"])) == []


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        translate("en", "no.such.key")
