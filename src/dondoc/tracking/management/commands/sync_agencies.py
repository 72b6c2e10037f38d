from dondoc.tracking.bootstrap import TrackingCommand
from dondoc.tracking.services import sync_registry


class Command(TrackingCommand):
    help = "Nạp danh mục cơ quan của bộ trích xuất / load the extractor's agency registry into the database"

    def handle(self, *args, **options):
        counts = sync_registry()
        self.stdout.write(f"{counts['agencies']} cơ quan, {counts['aliases']} tên gọi khác, "
                          f"{counts['successions']} quan hệ kế thừa mới / new agencies, aliases, successions")
