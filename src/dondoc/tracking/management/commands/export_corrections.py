import json
from pathlib import Path

from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.corrections import reviewed_annotation, reviewed_documents


class Command(TrackingCommand):
    help = ("Xuất văn bản đã rà soát làm dữ liệu kiểm thử bộ trích xuất / export reviewed documents as extraction "
            "test data (DIR/<id>.txt + DIR/<id>.json in the extraction spec's format)")

    def add_arguments(self, parser):
        parser.add_argument("out", type=Path, metavar="DIR")
        parser.add_argument("--corrected-only", action="store_true",
                            help="only documents where the reviewer changed, merged, split, added or removed a task")

    def handle(self, *args, out, corrected_only, **options):
        out.mkdir(parents=True, exist_ok=True)
        n = 0
        for document in reviewed_documents(corrected_only=corrected_only):
            stem = f"doc-{document.pk:06d}"
            (out / f"{stem}.txt").write_text(document.text, encoding="utf-8")
            (out / f"{stem}.json").write_text(
                json.dumps(reviewed_annotation(document), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            n += 1
        self.stdout.write(f"{n} văn bản đã xuất vào / documents written to {out}")
