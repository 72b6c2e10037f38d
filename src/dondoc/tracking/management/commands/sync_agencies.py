from django.core.management.base import BaseCommand

from dondoc.tracking.services import sync_registry


class Command(BaseCommand):
    help = "Nạp danh mục cơ quan của bộ trích xuất / load the extractor's agency registry into the database"

    def handle(self, *args, **options):
        counts = sync_registry()
        self.stdout.write(f"{counts['agencies']} cơ quan, {counts['aliases']} tên gọi khác, "
                          f"{counts['successions']} quan hệ kế thừa mới / new agencies, aliases, successions")
