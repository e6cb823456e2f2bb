"""One error shape everywhere, health and readiness, metrics, request ids and structured logs."""

from __future__ import annotations

import inspect
import json
import logging

import httpx
import pytest
from fastapi.routing import APIRoute

from api.routes import admin, calendar, people, recommendations, titles
from shared.logging_setup import JsonFormatter, RequestIdFilter
from tests.api.conftest import ADMIN_TOKEN, serve_in_process, settings_for

QUERY_PATHS = [
    "/cantidad_filmaciones_mes/enero",
    "/cantidad_filmaciones_dia/lunes",
    "/score_titulo/Toy%20Story",
    "/votos_titulo/Toy%20Story",
    "/get_actor/Tom%20Hanks",
    "/get_director/John%20Lasseter",
    "/recomendacion/Toy%20Story",
]


def _is_error_shape(body: dict[str, object]) -> bool:
    return isinstance(body.get("error"), str) and isinstance(body.get("detail"), str) and bool(body["detail"])


async def test_unknown_route_and_wrong_method_share_the_error_shape(api: httpx.AsyncClient) -> None:
    response = await api.get("/no/existe")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert _is_error_shape(response.json())
    response = await api.post("/score_titulo/Toy%20Story")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response.headers["allow"]
    response = await api.delete("/admin/refresh")
    assert response.status_code == 405
    assert _is_error_shape(response.json())


async def test_framework_validation_errors_share_the_shape(api: httpx.AsyncClient) -> None:
    # The right token, so the request passes the admin check and reaches FastAPI's own validation.
    response = await api.post(
        "/admin/refresh", params={"force": "quizas"}, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert response.status_code == 422
    body = response.json()
    assert _is_error_shape(body)
    assert body["error"] == "validation_error"
    assert body["errores"] == [{"campo": "force", "problema": "bool_parsing"}]
    assert body["detail"] == "Parámetros inválidos: «force» debe ser true o false."


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/score_titulo/Toy%20Story?anio=abc", "anio"),
        ("/votos_titulo/Toy%20Story?anio=99999999999999999999", "anio"),
        ("/recomendacion/Toy%20Story?id=1.5", "id"),
        ("/get_actor/Tom%20Hanks?id=uno", "id"),
        ("/get_director/John%20Lasseter?id=1e3", "id"),
    ],
)
async def test_query_parameters_are_validated_by_fastapi_in_the_error_shape(
    api: httpx.AsyncClient, path: str, field: str
) -> None:
    response = await api.get(path)
    assert response.status_code == 422
    body = response.json()
    assert _is_error_shape(body)
    # Only FastAPI's RequestValidationError handler answers with this code and `errores`.
    assert body["error"] == "validation_error"
    assert body["errores"] == [{"campo": field, "problema": "int_parsing"}]
    assert body["detail"] == f"Parámetros inválidos: «{field}» debe ser un número entero."


async def test_health_and_readiness(api: httpx.AsyncClient, current_version: str) -> None:
    assert (await api.get("/healthz")).json() == {"estado": "ok"}
    ready = await api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "estado": "ok",
        "version": current_version,
        "redis": True,
        "dataset_version": current_version,
        "worker": False,
    }


async def test_no_dataset_published_is_503_in_spanish(redis_url: str) -> None:
    async with serve_in_process(settings_for(redis_url)) as api:
        assert (await api.get("/healthz")).status_code == 200
        for path in [*QUERY_PATHS, "/readyz"]:
            response = await api.get(path)
            assert response.status_code == 503, path
            body = response.json()
            assert body["error"] == "dataset_not_published"
            assert "datos publicado" in body["detail"]


async def test_request_id_is_generated_or_honoured(api: httpx.AsyncClient) -> None:
    generated = await api.get("/healthz")
    assert len(generated.headers["x-request-id"]) >= 16
    other = await api.get("/healthz")
    assert other.headers["x-request-id"] != generated.headers["x-request-id"]
    honoured = await api.get("/score_titulo/nada-de-nada", headers={"X-Request-ID": "bot-1234.abc"})
    assert honoured.headers["x-request-id"] == "bot-1234.abc"
    # An id that could forge log lines is replaced, not echoed.
    forged = await api.get("/healthz", headers={"X-Request-ID": "a b\tc" + "x" * 200})
    assert forged.headers["x-request-id"] != "a b\tc" + "x" * 200


async def test_metrics_count_requests_latency_errors_and_version(
    api: httpx.AsyncClient, current_version: str
) -> None:
    await api.get("/score_titulo/Toy%20Story")
    await api.get("/score_titulo/Toy%20Stori")
    await api.get("/cantidad_filmaciones_mes/nunca")
    text = (await api.get("/metrics")).text
    assert (
        'cartelera_api_requests_total{method="GET",route="/score_titulo/{titulo:text}",status="200"} 1.0'
        in text
    )
    assert (
        'cartelera_api_requests_total{method="GET",route="/score_titulo/{titulo:text}",status="404"} 1.0'
        in text
    )
    assert (
        'cartelera_api_request_duration_seconds_bucket{le="0.025",route="/score_titulo/{titulo:text}"}'
        in text
    )
    assert 'cartelera_api_errors_total{code="title_not_found"} 1.0' in text
    assert 'cartelera_api_errors_total{code="invalid_month"} 1.0' in text
    assert f'cartelera_api_dataset_version_info{{version="{current_version}"}} 1.0' in text


async def test_every_log_line_carries_the_request_id(
    api: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO):
        await api.get("/score_titulo/Toy%20Story", headers={"X-Request-ID": "trace-42"})
    lines = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-42"]
    assert lines, "the access line of the request"
    entry = json.loads(JsonFormatter("api", request_ids=True).format(lines[-1]))
    assert entry["request_id"] == "trace-42"
    assert entry["service"] == "api"
    assert entry["status"] == 200
    assert entry["route"] == "/score_titulo/{titulo:text}"
    assert entry["level"] == "INFO"


async def test_openapi_documents_the_error_shape_per_route(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    operation = schema["paths"]["/score_titulo/{titulo}"]["get"]
    for status in ("200", "404", "422", "503"):
        assert status in operation["responses"]
    example = operation["responses"]["404"]["content"]["application/json"]["example"]
    assert example["error"] == "title_not_found" and example["sugerencias"]
    assert [p["name"] for p in operation["parameters"]] == ["titulo", "anio", "id"]
    assert "202" in schema["paths"]["/recomendacion/{titulo}"]["get"]["responses"]


async def test_openapi_of_the_query_routes_is_generated_from_their_signatures(
    api: httpx.AsyncClient,
) -> None:
    schema = (await api.get("/openapi.json")).json()
    expected = {
        "/cantidad_filmaciones_mes/{mes}": (["mes"], "MonthCount"),
        "/cantidad_filmaciones_dia/{dia}": (["dia"], "WeekdayCount"),
        "/score_titulo/{titulo}": (["titulo", "anio", "id"], "ScoreAnswer"),
        "/votos_titulo/{titulo}": (["titulo", "anio", "id"], "VotesAnswer"),
        "/recomendacion/{titulo}": (["titulo", "anio", "id", "excluir"], "RecommendationAnswer"),
        "/get_actor/{nombre}": (["nombre", "id"], "ActorAnswer"),
        "/get_director/{nombre}": (["nombre", "id"], "DirectorAnswer"),
    }
    for path, (names, model) in expected.items():
        operation = schema["paths"][path]["get"]
        parameters = operation["parameters"]
        assert parameters[0]["name"] == names[0] and sorted(p["name"] for p in parameters) == sorted(names), (
            path
        )
        assert all(p["description"] for p in parameters), path
        assert parameters[0] == {**parameters[0], "in": "path", "required": True}
        for query in parameters[1:]:
            assert query["in"] == "query" and not query["required"]
            if query["name"] == "excluir":
                # Film ids separated by commas (the second wave's `?excluir=1,2,3`).
                assert {"type": "string"} in query["schema"]["anyOf"]
                continue
            integer = next(s for s in query["schema"]["anyOf"] if s.get("type") == "integer")
            assert integer["minimum"] < 0 < integer["maximum"], (path, query["name"])
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer == {"$ref": f"#/components/schemas/{model}"}
        assert "ErrorBody" in str(operation["responses"]["422"])


def test_query_routes_take_no_raw_request() -> None:
    # The parameters are declared (Path/Query/Depends), never parsed by hand from the Request.
    modules = (calendar, titles, people, recommendations, admin)
    routes = [r for module in modules for r in module.router.routes if isinstance(r, APIRoute)]
    assert len(routes) == 9
    for route in routes:
        assert "request" not in inspect.signature(route.endpoint).parameters, route.path
        assert route.dependant.request_param_name is None, route.path
