"""The ``dondoc`` command.

    dondoc extract FILE [FILE ...] [--out DIR]

prints the JSON of ``spec/extraction.md``: one object for one file, an array for several, or
one ``DIR/<stem>.json`` per file with ``--out``. A file that cannot be read gets a one-line
message on stderr (Vietnamese / English) and the exit status is 1; the other files are still
processed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _extract(args: argparse.Namespace) -> int:
    from .extract import ExtractionError, extract

    results = []
    failed = 0
    show_progress = len(args.files) > 1 and sys.stderr.isatty()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(args.files, 1):
        path = Path(name)
        if show_progress:
            print(f"\r[{n}/{len(args.files)}] {path.name[:60]:60}", end="", file=sys.stderr, flush=True)
        try:
            directive = extract(path)
        except ExtractionError as error:
            failed += 1
            if show_progress:
                print(file=sys.stderr)
            print(f"dondoc: {path}: {error}", file=sys.stderr)
            continue
        except Exception as error:  # a bug of ours: say so in one line, keep going with the others
            failed += 1
            print(f"dondoc: {path}: lỗi nội bộ khi trích xuất / internal error while extracting "
                  f"({type(error).__name__}: {error}); please report it", file=sys.stderr)
            continue
        data = directive.to_json()
        if args.format == "text":
            print(render_text(directive, path))
        elif args.out:
            (args.out / f"{path.stem}.json").write_text(
                json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            results.append(data)
    if show_progress:
        print(file=sys.stderr)
    if args.format == "json" and not args.out and results:
        payload = results[0] if len(args.files) == 1 else results
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def render_text(directive, path: Path) -> str:
    """A readable summary of one directive: its header, then one paragraph per task."""
    doc = directive.document
    lines = [f"== {path.name}",
             f"   {doc.type or 'Văn bản'} {doc.number or '(không số)'} · {doc.issuer or '?'} · "
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
        lines.append(f"     Thời hạn: {when.strip()}" + (f" (định kỳ: {task.recurrence})" if task.recurrence else ""))
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
                         help="write DIR/<file stem>.json per file instead of printing")
    extract.add_argument("--format", choices=("json", "text"), default="json",
                         help="json (default, the spec's format) or text (a readable list for people)")
    extract.set_defaults(handler=_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
