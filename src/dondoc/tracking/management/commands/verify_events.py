import sys

from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.chain import verify
from dondoc.tracking.models import Event


class Command(TrackingCommand):
    help = "Kiểm tra chuỗi băm của lịch sử sự kiện / verify the hash chain of the event history"

    def handle(self, *args, **options):
        rows = Event.objects.order_by("seq").values_list(
            "seq", "task_id", "kind", "at", "on", "actor_id", "data", "prev_hash", "hash").iterator(chunk_size=5000)
        breaks = 0
        count = 0
        for problem in verify(rows):
            breaks += 1
            self.stderr.write(f"sự kiện / event {problem.seq}: {problem.reason}")
        count = Event.objects.count()
        if breaks:
            self.stderr.write(f"{breaks} chỗ hỏng trong {count} sự kiện / breaks in {count} events")
            sys.exit(1)
        self.stdout.write(f"{count} sự kiện, chuỗi băm nguyên vẹn / events, hash chain intact")
