from datetime import date

from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.services import apply_successions


class Command(TrackingCommand):
    help = ("Chuyển nhiệm vụ đang mở của cơ quan đã sáp nhập cho cơ quan kế thừa / move open tasks of merged "
            "agencies to their successors")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="apply successions effective up to this day")

    def handle(self, *args, today=None, **options):
        moved = apply_successions(today)
        self.stdout.write(f"{moved} nhiệm vụ đã chuyển / tasks moved")
