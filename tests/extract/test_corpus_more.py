"""Every real directive in shared/corpus/more extracts without error into plausible tasks.

The documents are unannotated, so this checks what must hold whatever the tasks are: the tool
does not crash, each quote is the text at its span, each task has a lead, deadlines fall in a
believable range and confidences are probabilities. Parametrized by file so a failure names it.

shared/ sits beside the repository; without it (a bare clone) the module is skipped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dondoc.extract import Directive, extract

MORE = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "more"

if not MORE.is_dir():
    pytest.skip("shared/corpus/more is not beside the repository", allow_module_level=True)

FILES = sorted(p.name for p in MORE.glob("*.txt"))

EARLIEST_DUE = date(2000, 1, 1)
LATEST_DUE = date(2040, 12, 31)


def squash(text: str) -> str:
    return " ".join(text.split())


def implausible(directive: Directive) -> list[str]:
    """One line per broken promise, naming the task by its position and the start of its quote."""
    found = []
    for n, task in enumerate(directive.tasks):
        where = f"task {n} {task.quote[:50]!r}"
        if not task.quote.strip():
            found.append(f"{where}: empty quote")
        at_span = squash(directive.text[task.span.start : task.span.end])
        if at_span != squash(task.quote):
            found.append(f"{where}: span holds {at_span[:50]!r}")
        if not task.lead or not all(name.strip() for name in task.lead):
            found.append(f"{where}: lead {task.lead!r}")
        due = task.deadline.date if task.deadline else None
        if due is not None and not EARLIEST_DUE <= due <= LATEST_DUE:
            found.append(f"{where}: due {due.isoformat()}")
        if not 0.0 <= task.confidence <= 1.0:
            found.append(f"{where}: confidence {task.confidence}")
    return found


def test_the_corpus_is_there() -> None:
    assert FILES, f"no .txt files in {MORE}"


@pytest.mark.parametrize("name", FILES)
def test_extraction_is_plausible(name: str) -> None:
    directive = extract(MORE / name)
    assert implausible(directive) == []
