"""API_WORKERS, WORKER_PROCESSES and REDIS_READ_URL as each service reads them."""

from __future__ import annotations

import pytest

from launcher.services import ChildEnvironments, service_specs, worker_names
from shared.settings import ApiSettings, LauncherSettings, SettingsError, load


def test_the_read_url_is_the_primary_unless_a_replica_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://primary:6379/0")
    monkeypatch.setenv("REDIS_READ_URL", "")  # empty, as compose passes it: unset
    assert load(ApiSettings).read_address() == "redis://primary:6379/0"
    monkeypatch.setenv("REDIS_READ_URL", "redis://replica:6379/0")
    settings = load(ApiSettings)
    assert settings.read_address() == "redis://replica:6379/0"
    assert settings.redis_address() == "redis://primary:6379/0"


@pytest.mark.parametrize("value", ["0", "-2", "dos"])
def test_a_process_count_that_is_not_a_positive_number_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("API_WORKERS", value)
    monkeypatch.setenv("WORKER_PROCESSES", value)
    with pytest.raises(SettingsError, match="API_WORKERS") as api:
        load(ApiSettings)
    with pytest.raises(SettingsError, match="WORKER_PROCESSES") as launcher:
        load(LauncherSettings)
    assert value not in str(api.value) + str(launcher.value)  # never the value: it may be a secret


def test_the_launcher_starts_worker_processes_workers_with_the_same_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKER_PROCESSES", "3")
    monkeypatch.setenv("API_WORKERS", "2")
    settings = load(LauncherSettings)
    envs = ChildEnvironments({"API_WORKERS": "2", "WORKER_PROCESSES": "3"}, settings, "redis://x:1/0")
    specs = service_specs(settings, envs)
    assert [spec.name for spec in specs] == ["api", "worker-1", "worker-2", "worker-3"]
    assert all(spec.argv[1:] == ("-m", "worker") for spec in specs[1:])
    assert specs[0].env["API_WORKERS"] == "2"  # the API runs its own processes
    assert "WORKER_PROCESSES" not in specs[1].env  # each worker is one process
    assert worker_names(1) == ["worker"]
