"""Job-state words and the sentences people read are written in `shared/` only, never in a service.

The check reads the services' source with `ast`: every string literal (f-strings included) that is
not documentation (docstrings, log lines, OpenAPI/argparse descriptions and examples) must not be a
Spanish sentence, and no literal may spell a job state. A service that needs either imports it from
`shared.jobs`, `shared.wording` or `shared.query_rules`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.jobs import JobState

ROOT = Path(__file__).resolve().parent.parent

# Where a person's sentence must never be written: the services that answer the API's and the bot's
# users (the worker's sentences reach admins through GET /admin/jobs).
SENTENCE_PACKAGES = ("api", "bot", "worker", "launcher")
# Text that is a document of its own, not a service's sentence: the developer console and fake Bot
# API of `bot/devtools`. (The ETL, outside SENTENCE_PACKAGES, writes the EDA report and its console
# summary; the step names a refresh relays to admins are in shared.wording.jobs.)
SENTENCE_EXEMPT = ("bot/devtools/",)
# Where a job state must never be spelled out.
STATE_PACKAGES = ("api", "bot", "worker", "launcher", "etl", "benchmarks")

# Keyword arguments and dict keys whose text documents the code (OpenAPI, argparse), for developers.
DOC_KEYWORDS = frozenset(
    {
        "description",
        "summary",
        "title",
        "help",
        "epilog",
        "example",
        "examples",
        "openapi_examples",
        "json_schema_extra",
        "responses",
        "openapi_extra",
    }
)
# Module-level names holding OpenAPI documentation (`TITLE_DOC`, `POSTER_PATH_DESCRIPTION`, ...).
DOC_NAMES = re.compile(r"(DOC|DESCRIPTION|EXAMPLES?)$")
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "log"})

_SPANISH_LETTERS = re.compile(r"[áéíóúüñ¿¡«»]", re.IGNORECASE)
_SPANISH_WORDS = frozenset(
    {"de", "del", "el", "la", "las", "los", "que", "una", "uno", "para", "con", "por", "en", "es"}
    | {"se", "su", "sus", "al", "lo", "hay", "está", "sin"}
)
_WORD = re.compile(r"[^\W\d_]+")


def is_spanish_sentence(text: str) -> bool:
    """Two words or more, and Spanish by its letters or by at least two of its function words."""
    words = _WORD.findall(text.casefold())
    if len(words) < 2:
        return False
    if _SPANISH_LETTERS.search(text):
        return True
    return sum(word in _SPANISH_WORDS for word in words) >= 2


@dataclass(frozen=True)
class Literal:
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.text[:90]!r}"


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_log_call(node: ast.Call) -> bool:
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    owner = _name_of(func.value)
    return owner == "logging" or owner.endswith("logger")


class _LiteralFinder(ast.NodeVisitor):
    """Collects the string literals of a module that a person could read, skipping documentation."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.found: list[Literal] = []

    def _skip_docstring(self, body: list[ast.stmt]) -> list[ast.stmt]:
        first = body[0] if body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            return body[1:]
        return body

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            self._visit_body(node)
        else:
            super().visit(node)

    def _visit_body(self, node: ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for field, value in ast.iter_fields(node):
            if field == "body":
                for statement in self._skip_docstring(node.body):
                    self.visit(statement)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_Call(self, node: ast.Call) -> None:
        if _is_log_call(node) or "example" in _name_of(node.func).casefold():
            return
        self.visit(node.func)
        for argument in node.args:
            self.visit(argument)
        for keyword in node.keywords:
            if keyword.arg not in DOC_KEYWORDS:
                self.visit(keyword.value)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in DOC_KEYWORDS:
                continue
            if key is not None:
                self.visit(key)
            self.visit(value)

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [_name_of(target) for target in node.targets]
        if any(DOC_NAMES.search(name) for name in names) or "model_config" in names:
            return
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not DOC_NAMES.search(_name_of(node.target)) and node.value is not None:
            self.visit(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        # An f-string is one sentence: its fixed parts, with a word where each value goes.
        parts = [str(part.value) if isinstance(part, ast.Constant) else " valor " for part in node.values]
        self.found.append(Literal(f"{self.where}:{node.lineno}", "".join(parts)))
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self.found.append(Literal(f"{self.where}:{node.lineno}", node.value))


def literals(source: str, where: str) -> list[Literal]:
    finder = _LiteralFinder(where)
    finder.visit(ast.parse(source))
    return finder.found


def package_literals(packages: tuple[str, ...], exempt: tuple[str, ...] = ()) -> Iterator[Literal]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            if not where.startswith(exempt):
                yield from literals(path.read_text(encoding="utf-8"), where)


def sentences_in(literals_: Iterator[Literal] | list[Literal]) -> list[Literal]:
    return [literal for literal in literals_ if is_spanish_sentence(literal.text)]


def states_in(literals_: Iterator[Literal] | list[Literal]) -> list[Literal]:
    words = {state.value for state in JobState}
    return [literal for literal in literals_ if literal.text in words]


def test_no_service_writes_a_sentence_of_its_own() -> None:
    found = sentences_in(package_literals(SENTENCE_PACKAGES, SENTENCE_EXEMPT))
    assert found == [], "move these sentences to shared/wording:\n" + "\n".join(map(str, found))


def test_no_service_spells_a_job_state() -> None:
    found = states_in(package_literals(STATE_PACKAGES))
    assert found == [], "use shared.jobs.JobState instead of:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize("module", sorted((ROOT / "shared" / "wording").glob("[!_]*.py")), ids=str)
def test_the_check_recognises_the_sentences_we_write(module: Path) -> None:
    """Run over shared/wording itself, the same check finds sentences in every module of words
    (but formats.py, which holds only a connective): it is not blind to how we write."""
    found = sentences_in(literals(module.read_text(encoding="utf-8"), module.name))
    if module.name == "formats.py":
        assert found == []
    else:
        assert len(found) >= 3, found


PLANTED = '''
"""Module docstring: la película del año, with accents that are documentation."""
import logging
from fastapi import APIRouter, Query

logger = logging.getLogger(__name__)
router = APIRouter()
TITLE_DOC = {"name": "titulo", "description": "Título como lo escriba la persona"}


@router.get("/x", summary="Año de estreno y popularidad de una película")
async def route(q: str = Query(description="Elige entre películas del mismo título")) -> dict[str, str]:
    """Una película: docstring, not a reply."""
    logger.info("versión publicada: %s", q)
    if q == "failed":
        return {"detail": f"No encontré ninguna película titulada {q}"}
    return {"estado": "queued", "mensaje": "Lo siento, eso no se puede hacer por ahora"}
'''


def test_the_check_finds_a_planted_sentence_and_state_but_not_documentation() -> None:
    found = literals(PLANTED, "planted.py")
    assert [literal.text for literal in sentences_in(found)] == [
        "No encontré ninguna película titulada  valor ",
        "Lo siento, eso no se puede hacer por ahora",
    ]
    assert sorted(literal.text for literal in states_in(found)) == ["failed", "queued"]


@pytest.mark.parametrize(
    ("text", "spanish"),
    [
        ("Vuelve a intentarlo en unos minutos de nuevo", True),
        ("Sin cambios: la fuente es la de la versión", True),
        ("¿Quisiste decir?", True),
        ("the API did not start", False),
        ("refresh not accepted: %s", False),
        ("película", False),  # one word: a label, not a sentence
        ("application/json", False),
    ],
)
def test_what_counts_as_a_spanish_sentence(text: str, spanish: bool) -> None:
    assert is_spanish_sentence(text) is spanish
