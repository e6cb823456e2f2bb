"""The baseline of the load benchmark: a bare FastAPI app with one route returning {"ok": true}."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/ok")
async def ok() -> dict[str, bool]:
    return {"ok": True}
