"""Task rules, table-driven from fixtures/tasks.yaml: who leads, who supports, by when."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from dondoc.extract import extract_text

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "tasks.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_task_rule(case):
    directive = extract_text(case["text"], issued_on=case["issued"])
    tasks = directive.tasks
    assert len(tasks) == len(case["expect"]), [t.quote for t in tasks]
    for task, want in zip(tasks, case["expect"], strict=True):
        if "quote" in want:
            assert task.quote.startswith(want["quote"])
        if "quote_ends" in want:
            assert task.quote.endswith(want["quote_ends"]), task.quote
        if "lead" in want:
            assert list(task.lead) == want["lead"]
        if "support" in want:
            assert list(task.support) == want["support"]
        if "deadline" in want:
            got = task.deadline.date if task.deadline else None
            assert got == want["deadline"]
        if "deadline_text" in want:
            assert task.deadline is not None and task.deadline.text == want["deadline_text"]
        if "recurrence" in want:
            assert task.recurrence == want["recurrence"]


def test_every_task_quote_is_the_text_at_its_span():
    case = next(c for c in CASES if c["rule"].startswith("an item with labelled fields"))
    directive = extract_text(case["text"], issued_on=date(2026, 3, 2))
    for task in directive.tasks:
        assert " ".join(directive.text[task.span.start : task.span.end].split()) == task.quote
        assert 0 <= task.confidence <= 1
