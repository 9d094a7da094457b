"""Numbers in the page's language: decimal points in English, decimal commas in Polish."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vae_core.helpers import DETERMINISTIC
from ui.i18n import translate
from ui.numbers import (
    NumberFormatter,
    format_number,
    is_number,
    localise,
    localise_cells,
    plotly_separators,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "spec", "english", "polish"),
    [
        (77.53, ".1f", "77.5", "77,5"),
        (0.8, "g", "0.8", "0,8"),
        (-1234.5, ",.1f", "-1,234.5", f"-1{NBSP}234,5"),
        (10000, ",", "10,000", f"10{NBSP}000"),
        (1.5e-5, ".2e", "1.50e-05", "1,50e-05"),
        (3, "d", "3", "3"),
    ],
)
def test_format_number_writes_each_language_its_own_way(
    value: float, spec: str, english: str, polish: str
) -> None:
    assert format_number(value, spec, "en") == english
    assert format_number(value, spec, "pl") == polish


@DETERMINISTIC
@given(value=st.floats(-1e9, 1e9, allow_nan=False))
def test_polish_numbers_read_back_as_the_same_value(value: float) -> None:
    polish = format_number(value, ",.6g", "pl")
    assert "." not in polish
    assert float(polish.replace(NBSP, "").replace(",", ".")) == float(format(value, ".6g"))


def test_formatter_localises_numbers_and_leaves_text_alone() -> None:
    template = "{name}: {share:.1f} % of {count:,} samples, seed {seed}, exact {flag}"
    values = {
        "name": "fashion-mnist-vae-z2.safetensors",
        "share": np.float32(51.14),
        "count": 10000,
        "seed": np.int64(0),
        "flag": True,
    }

    polish = NumberFormatter("pl").format(template, **values)

    assert polish == (
        f"fashion-mnist-vae-z2.safetensors: 51,1 % of 10{NBSP}000 samples, seed 0, exact True"
    )
    assert NumberFormatter("en").format(template, **values) == template.format(**values)


def test_translate_fills_polish_templates_with_decimal_commas() -> None:
    values = {"images": 10000, "validity": 77.53, "threshold": 0.8, "coverage": 3.3185}
    values["accuracy"] = 88.89

    english = translate("en", "metrics.ceiling", **values)
    polish = translate("pl", "metrics.ceiling", **values)

    assert "77.5 %" in english and "0.8" in english and "3.32 bits" in english
    assert "77,5 %" in polish and "0,8" in polish and "3,32" in polish
    assert "77.5" not in polish


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", True),
        ("-3", True),
        ("1e-05", True),
        ("1", True),
        ("—", False),
        ("N(0, I)", False),
        ("nan", False),
        ("inf", False),
        (" 1", False),
        ("v1.2", False),
    ],
)
def test_is_number_accepts_plain_numbers_only(text: str, expected: bool) -> None:
    assert is_number(text) is expected


def test_localise_cells_rewrites_numbers_and_keeps_labels() -> None:
    rows = [["Validity (%) · z ~ N(0, I)", "51.1", "—"], ["β", "0.25", "1"]]

    assert localise_cells(rows, "pl") == [
        ["Validity (%) · z ~ N(0, I)", "51,1", "—"],
        ["β", "0,25", "1"],
    ]
    assert localise_cells(rows, "en") == rows


def test_localise_is_the_identity_in_english() -> None:
    assert localise("-1,234.5", "en") == "-1,234.5"


def test_plotly_separators_are_the_decimal_mark_then_the_thousands_mark() -> None:
    assert plotly_separators("en") == ".,"
    assert plotly_separators("pl") == f",{NBSP}"
