"""Every sentence a person reads speaks neutral Spanish ("tú"), never Rioplatense "vos" forms."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

import api

# Imperatives and present forms of "vos" end in a stressed vowel ("volvé", "escribí", "probá",
# "tenés"), or put the clitic on the bare stem ("escribilo", "fijate"). Words of the texts that
# end in a stressed vowel legitimately are listed, so a new one is a deliberate choice.
_STRESSED_END = re.compile(r"\b\w+[áéí]\b")
_ALLOWED = {"está", "más", "sí", "encontré", "aquí", "ahí", "así", "también", "será"}
_VOS_CLITIC = re.compile(
    r"\b(escribi|eleg[ií]|ped[ií]|prob[aá]|us[aá]|mir[aá]|fij[aá]|acord[aá]|dec[ií]|mand[aá]|"
    r"avis[aá]|envi[aá]|consult[aá])(lo|la|los|las|me|te|nos)\b",
    re.IGNORECASE,
)


def _vos_forms(text: str) -> list[str]:
    found = [w for w in _STRESSED_END.findall(text) if w.lower() not in _ALLOWED]
    return found + [m.group(0) for m in _VOS_CLITIC.finditer(text)]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _literals(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_the_vos_detector_detects() -> None:
    assert _vos_forms("Probá de nuevo; volvé a preguntar y escribilo.") == ["Probá", "volvé", "escribilo"]
    assert _vos_forms("Prueba de nuevo; vuelve a preguntar y escríbelo. No está.") == []


def test_every_text_of_the_api_source_uses_tu() -> None:
    package = Path(api.__file__).parent
    offending = {
        f"{path.relative_to(package)}: {text!r}": forms
        for path in sorted(package.rglob("*.py"))
        for text in _literals(path)
        if (forms := _vos_forms(text))
    }
    assert offending == {}


async def test_openapi_descriptions_and_examples_use_tu(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    offending = [text for text in _strings(schema) if _vos_forms(text)]
    assert offending == []


async def test_error_sentences_use_tu(api: httpx.AsyncClient) -> None:
    answers = [
        await api.get("/score_titulo/%20"),
        await api.get("/cantidad_filmaciones_mes/trece"),
        await api.get("/cantidad_filmaciones_dia/feriado"),
        await api.get("/no/existe"),
        await api.post("/admin/refresh"),
        await api.get("/score_titulo/Toy%20Story", params={"anio": "abc"}),
    ]
    details = [response.json()["detail"] for response in answers]
    assert [d for d in details if _vos_forms(d)] == []
    assert "Escribe el nombre de un mes" in details[1]
    assert "Consulta /docs" in details[3]
    assert "envía el encabezado" in details[4]
