"""The ``dondoc`` command.

    dondoc extract FILE [FILE ...] [--out DIR] [--format json|text]

prints the JSON of ``spec/extraction.md``: one object for one file, an array for several, or
one ``DIR/<stem>.json`` per file with ``--out``. A file that cannot be read gets a one-line
message on stderr (Vietnamese / English) and the exit status is 1; the other files are still
processed. ``extract`` needs no database.

Every other command is a Django management command of the tracking service, run with dondoc's
settings: ``dondoc ingest FILE...``, ``dondoc serve``, ``dondoc verify_events``,
``dondoc createsuperuser``, ``dondoc migrate``...
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# how the text listing names a recurring deadline's rhythm
_RHYTHM = {"weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý", "yearly": "hằng năm"}


def one_line(text: object) -> str:
    """``text`` without line breaks: every problem is reported on exactly one stderr line."""
    return " ".join(_CONTROL.sub(" ", str(text)).split())


class _Progress:
    """``[n/N] name`` on a terminal's stderr while several files are read; messages print below it."""

    def __init__(self, total: int) -> None:
        self.shown = total > 1 and sys.stderr.isatty()
        self.total = total
        self.on_line = False

    def step(self, n: int, path: Path) -> None:
        if self.shown:
            print(f"\r[{n}/{self.total}] {path.name[:60]:60}", end="", file=sys.stderr, flush=True)
            self.on_line = True

    def message(self, text: str) -> None:
        self.done()
        print(text, file=sys.stderr)

    def done(self) -> None:
        if self.on_line:
            print(file=sys.stderr)
            self.on_line = False


def _output_path(out: Path, stem: str, taken: set[str]) -> Path:
    """``out/<stem>.json``; ``<stem>-2.json``... when an earlier file of this run had the same stem
    (a/qd.txt and b/qd.txt, or qd.pdf and qd.docx), so no result overwrites another."""
    name, n = stem, 1
    while name.casefold() in taken:  # casefold: macOS and Windows file names ignore case
        n += 1
        name = f"{stem}-{n}"
    taken.add(name.casefold())
    return out / f"{name}.json"


def _extract(args: argparse.Namespace) -> int:
    from .extract import ExtractionError, extract

    if args.out:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"dondoc: {one_line(args.out)}: không tạo được thư mục kết quả "
                  f"({one_line(error.strerror or error)}); hãy chọn thư mục khác cho --out / "
                  f"cannot create the output directory ({one_line(error.strerror or error)}); "
                  "give --out another directory", file=sys.stderr)
            return EXIT_USAGE
    results = []
    taken_stems: set[str] = set()
    failed = 0
    progress = _Progress(len(args.files))
    for n, name in enumerate(args.files, 1):
        path = Path(name)
        shown = one_line(path)
        progress.step(n, path)
        try:
            directive = extract(path)
        except ExtractionError as error:
            failed += 1
            progress.message(f"dondoc: {shown}: {one_line(error)}")
            continue
        except Exception as error:  # a bug of ours: say so in one line, keep going with the others
            failed += 1
            progress.message(f"dondoc: {shown}: lỗi nội bộ khi trích xuất / internal error while extracting "
                             f"({type(error).__name__}: {one_line(error)}); please report it")
            continue
        if args.format == "text":
            progress.done()
            print(render_text(directive, path))
        elif args.out:
            target = _output_path(args.out, path.stem, taken_stems)
            try:
                target.write_text(json.dumps(directive.to_json(), ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
            except OSError as error:
                failed += 1
                detail = one_line(error.strerror or error)
                progress.message(f"dondoc: {shown}: không ghi được {one_line(target)} ({detail}); "
                                 f"hãy kiểm tra thư mục --out / cannot write {one_line(target)} ({detail}); "
                                 "check the --out directory")
        else:
            results.append(directive.to_json())
    progress.done()
    if args.format == "json" and not args.out:
        # One file: its object, or nothing when it failed. Several: always an array, even an empty one.
        if len(args.files) > 1:
            _print_json(results)
        elif results:
            _print_json(results[0])
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _print_json(payload: object) -> None:
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def render_text(directive, path: Path) -> str:
    """A readable summary of one directive: its header, then one paragraph per task."""
    doc = directive.document
    kind = doc.type if doc.type not in (None, "Other") else "Văn bản"
    lines = [f"== {path.name}",
             f"   {kind} {doc.number or '(không số)'} · {doc.issuer or '?'} · "
             f"{doc.issued_date.strftime('%d/%m/%Y') if doc.issued_date else 'không rõ ngày'}"]
    if doc.title:
        lines.append(f"   {doc.title}")
    lines.append(f"   {len(directive.tasks)} nhiệm vụ / tasks")
    for n, task in enumerate(directive.tasks, 1):
        due = task.deadline
        when = "—" if due is None else (due.date.strftime("%d/%m/%Y") if due.date else "") + f" «{due.text}»"
        lines.append(f"{n:>3}. Chủ trì: {'; '.join(task.lead) or '—'}")
        if task.support:
            lines.append(f"     Phối hợp: {'; '.join(task.support)}")
        rhythm = f" ({_RHYTHM[task.recurrence]})" if task.recurrence else ""
        lines.append(f"     Thời hạn: {when.strip()}{rhythm}")
        quote = task.quote if len(task.quote) <= 160 else task.quote[:157] + "..."
        lines.append(f"     {quote}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dondoc",
        description="Theo dõi, đôn đốc nhiệm vụ — turn Vietnamese directives into tracked tasks.",
    )
    parser.add_argument("--version", action="version", version=f"dondoc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    extract = commands.add_parser(
        "extract",
        help="trích xuất nhiệm vụ từ văn bản / extract tasks from directives",
        description="Extract the tasks of each directive (.txt .md .html .docx .pdf, .doc with LibreOffice) "
        "and print them as JSON.",
    )
    extract.add_argument("files", nargs="+", metavar="FILE", help="directive files to read")
    extract.add_argument("--out", type=Path, metavar="DIR",
                         help="write DIR/<file stem>.json per file instead of printing "
                         "(<stem>-2.json... when two files share a stem)")
    extract.add_argument("--format", choices=("json", "text"), default="json",
                         help="json (default, the spec's format) or text (a readable list for people)")
    extract.set_defaults(handler=_extract)
    for name, text in TRACKING_COMMANDS.items():
        commands.add_parser(name, help=text, add_help=False)
    parser.epilog = "Other Django commands too: dondoc help (list), dondoc createsuperuser, dondoc migrate ..."
    return parser


def _write_utf8(stream) -> None:
    # JSON is UTF-8 (RFC 8259), and Vietnamese must not crash printing under a C/latin-1 locale.
    if (stream.encoding or "").lower().replace("-", "") != "utf8" and hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


TRACKING_COMMANDS = {
    "ingest": "đọc và lưu văn bản để rà soát / store directives as drafts for review",
    "serve": "chạy máy chủ web / run the web server",
    "sync_agencies": "nạp danh mục cơ quan / load the agency registry",
    "apply_successions": "chuyển nhiệm vụ của cơ quan đã sáp nhập / move tasks of merged agencies",
    "verify_events": "kiểm tra chuỗi băm lịch sử / verify the event hash chain",
    "export_corrections": "xuất kết quả rà soát làm dữ liệu kiểm thử / export reviews as test data",
    "tasks": "liệt kê nhiệm vụ / list tracked tasks",
    "remind": "đôn đốc: gửi nhắc việc / send reminders",
    "kpis": "chỉ số theo cơ quan / KPIs per agency",
    "indicators": "chỉ tiêu định lượng / quantitative indicators",
    "report": "báo cáo giao ban (DOCX, XLSX, PDF, MD) / briefing report",
}


def _django(argv: list[str]) -> int:
    """Run a management command of the tracking service with dondoc's settings."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["dondoc", *argv])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-") and argv[0] != "extract":
        _write_utf8(sys.stdout)
        return _django(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if getattr(args, "out", None) and args.format == "text":
        parser.error("--out chỉ ghi JSON; hãy bỏ --format text hoặc chuyển hướng stdout / "
                     "--out writes JSON only; drop --format text or redirect stdout")
    _write_utf8(sys.stdout)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
