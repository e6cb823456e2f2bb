"""What the users saw around each fault, the table `make chaos` prints, and the targets it checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.chaos.faults import Fault
from benchmarks.chaos.load import Answer, Question, versions_mixed
from benchmarks.common import table

# The targets (issue 14): a 503 within 5 s for every request while Redis is away, and everything
# answering again within 2 s of it coming back.
ANSWER_WITHIN_SECONDS = 5.0
RECOVERY_WITHIN_SECONDS = 2.0
FINAL = (200, 202)


@dataclass
class Outcome:
    """One fault, as the load saw it."""

    fault: Fault
    requests: int
    during: Counter[str]
    after: Counter[str]
    slowest_during: float
    recovery: float
    wrong: int
    lost: int
    mixed: int
    misses: list[str] = field(default_factory=list)


def _label(answer: Answer) -> str:
    return "no answer" if answer.status == 0 else f"{answer.status} {answer.error or ''}".strip()


def outcome(
    fault: Fault, answers: Sequence[Answer], questions: Sequence[Question], redis_fault: bool
) -> Outcome:
    window = [a for a in answers if fault.started <= a.sent < fault.after]
    during = [a for a in window if a.sent < fault.ended]
    after = [a for a in window if a.sent >= fault.ended]
    failed_after = [a for a in after if a.status not in FINAL]
    recovery = max((a.sent - fault.ended for a in failed_after), default=0.0)
    accepted = [q for q in questions if fault.started <= q.accepted < fault.after]
    result = Outcome(
        fault=fault,
        requests=len(window) + fault.messages,
        during=Counter(_label(a) for a in during if a.status not in FINAL),
        after=Counter(_label(a) for a in failed_after),
        slowest_during=max((a.seconds for a in during), default=0.0),
        recovery=recovery,
        wrong=sum(a.wrong for a in window) + fault.wrong_replies,
        lost=fault.jobs_lost + sum(1 for q in accepted if q.answered is None) + (fault.unanswered or 0),
        mixed=versions_mixed(window),
    )
    result.misses = _misses(result, during, redis_fault)
    if redis_fault:
        # The API answers at once; the worker's own return shows in the first recommendation it computed.
        computed = [
            a.sent + a.seconds - fault.ended for a in after if a.kind == "uncached" and a.status == 200
        ]
        if computed:
            fault.notes.append(
                f"first recommendation computed by the worker {min(computed):.2f} s after Redis was back"
            )
    return result


def _misses(result: Outcome, during: Sequence[Answer], redis_fault: bool) -> list[str]:
    name = result.fault.name
    misses = []
    if any(a.status == 0 for a in during) or "no answer" in result.after:
        misses.append(f"{name}: some requests got no answer at all")
    shapeless = [a for a in during if a.error in ("not_json", "no_error_shape")]
    if shapeless:
        misses.append(f"{name}: {len(shapeless)} errors outside the error shape")
    if redis_fault:
        if result.slowest_during > ANSWER_WITHIN_SECONDS:
            misses.append(
                f"{name}: an answer took {result.slowest_during:.1f} s (target {ANSWER_WITHIN_SECONDS:g} s)"
            )
        others = [a for a in during if a.status not in (*FINAL, 503)]
        if others:
            misses.append(f"{name}: {len(others)} answers neither 200 nor 503 while Redis was away")
    if result.recovery > RECOVERY_WITHIN_SECONDS:
        misses.append(f"{name}: recovered in {result.recovery:.1f} s (target {RECOVERY_WITHIN_SECONDS:g} s)")
    if result.wrong:
        misses.append(f"{name}: {result.wrong} wrong answers")
    if result.lost:
        misses.append(f"{name}: {result.lost} jobs or people left without an answer")
    if result.mixed:
        misses.append(f"{name}: {result.mixed} answers from an older version after a newer one")
    return misses


def _errors(counts: Counter[str]) -> str:
    return ", ".join(f"{label} x{count}" for label, count in counts.most_common()) or "none"


def render(outcomes: Sequence[Outcome]) -> str:
    header = [
        "fault",
        "requests",
        "errors during",
        "errors after",
        "slowest during (s)",
        "recovery (s)",
        "wrong",
        "jobs lost",
        "versions mixed",
    ]
    rows = [
        [
            o.fault.name,
            str(o.requests),
            _errors(o.during),
            _errors(o.after),
            f"{o.slowest_during:.2f}",
            f"{o.recovery:.2f}",
            str(o.wrong),
            str(o.lost),
            str(o.mixed),
        ]
        for o in outcomes
    ]
    notes = [f"- {o.fault.name}: {note}" for o in outcomes for note in o.fault.notes]
    return table(header, rows) + ("\n" + "\n".join(notes) if notes else "")
