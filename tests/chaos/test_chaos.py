"""The fault suite in its short form: what people using the system see while Redis and the worker fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.chaos.__main__ import parse, run

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


async def test_every_fault_is_survived_as_users_see_it(tmp_path: Path) -> None:
    outcomes, misses = await run(parse(["--short"]), tmp_path)

    assert [o.fault.name.split(",")[0].split(" ")[0:2] for o in outcomes] == [
        ["Redis", "SIGKILL"],
        ["Redis", "SIGSTOP"],
        ["worker", "SIGKILL"],
        ["worker", "SIGKILL"],
        ["bot", "flood"],
    ]
    for result in outcomes:
        name = result.fault.name
        # Every request got an answer, in the error shape when it was an error.
        assert "no answer" not in result.during and "no answer" not in result.after, name
        assert result.wrong == 0, name
        assert result.lost == 0, (name, result.fault.notes)
        assert result.mixed == 0, name
        # Answering again within 2 s of the fault's end.
        assert not result.after, (name, result.after)
        assert result.recovery <= 2.0, name
    redis_killed, redis_stopped = outcomes[0], outcomes[1]
    # While Redis was away: 503 (redis_unavailable), each within 5 s.
    assert set(redis_killed.during) == {"503 redis_unavailable"}
    assert set(redis_stopped.during) <= {"503 redis_unavailable"}
    assert redis_killed.slowest_during <= 5.0 and redis_stopped.slowest_during <= 5.0
    assert outcomes[4].fault.unanswered == 0
    assert misses == []
