"""Charts for the reports as PNG, drawn with matplotlib (its bundled DejaVu font has Vietnamese letters).

Segments differ by hatching as well as colour, so a black-and-white printout still reads."""

from __future__ import annotations

import io

from .content import BriefingReport

SEGMENTS = (  # (field, label, colour, hatch)
    ("done_on_time", "Hoàn thành đúng hạn", "#2e7d32", ""),
    ("done_late", "Hoàn thành quá hạn", "#9e9d24", "//"),
    ("in_progress", "Đang thực hiện trong hạn", "#1565c0", ".."),
    ("overdue", "Quá hạn", "#c62828", "xx"),
)
MAX_AGENCIES = 15  # more bars than this are unreadable on an A4 page; the table lists them all


def results_chart(report: BriefingReport) -> bytes:
    """Stacked horizontal bars: each agency's tasks by bucket, the agencies with most tasks first."""
    # imported here: matplotlib takes most of a second to load, which every web worker's first request would wait
    # for (the URL configuration imports the report views); a Figure made directly needs no pyplot, no display,
    # no global state
    from matplotlib.figure import Figure

    rows = sorted(report.results, key=lambda r: (-r.assigned, r.agency))[:MAX_AGENCIES][::-1]
    fig = Figure(figsize=(7.5, 0.45 * len(rows) + 1.6), dpi=150)
    ax = fig.subplots()
    left = [0] * len(rows)
    names = [r.agency if len(r.agency) <= 40 else r.agency[:38] + "…" for r in rows]
    for field, label, colour, hatch in SEGMENTS:
        values = [getattr(r, field) for r in rows]
        ax.barh(names, values, left=left, label=label, color=colour, hatch=hatch, edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("Số nhiệm vụ")
    ax.set_title(f"Kết quả thực hiện nhiệm vụ {report.period_label}", fontsize=10)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
