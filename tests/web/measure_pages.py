"""Server-side render time of the main pages on a large database (not a test; run by hand).

    DATABASE_URL=sqlite:////tmp/dondoc-scale-sqlite-XXXX/dondoc.sqlite3 \\
        .venv/bin/python tests/web/measure_pages.py [--runs 5] [--users]

Signs in as the first administrator and the first focal point found, requests each page through Django's test
client (the whole stack but the socket: middleware, views, queries, templates) and prints the first time and the
median of the following runs, in milliseconds. The process first loads what a web worker loads when it starts
(``dondoc.config.wsgi``), so the first figure is that of a page's first request in a started worker. The benchmark
database is made by ``benchmarks/tracking_scale.py --db sqlite --keep``."""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--users", action="store_true",
                        help="first make the administrator and focal point tracking_scale.py makes, when the "
                             "database has none (a PostgreSQL one filled by report_scale.py)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client

    import dondoc.config.wsgi  # noqa: F401  (what a web worker loads when it starts: the URLs and their views)
    from dondoc.tracking.models import Profile, Task, TaskAgency

    User = get_user_model()
    if args.users:
        from dondoc.tracking.models import Agency

        if not User.objects.filter(is_superuser=True).exists():
            User.objects.create_superuser("scale-admin", password=None)
        if not Profile.objects.filter(role="focal_point", agency__isnull=False).exists():
            first = Agency.objects.order_by("pk").first()
            user = User.objects.create_user(f"daumoi{first.pk}", password=None)
            Profile.objects.create(user=user, role="focal_point", agency=first)
    admin = User.objects.filter(is_superuser=True).first() or Profile.objects.filter(role="admin").first().user
    focal = Profile.objects.filter(role="focal_point", agency__isnull=False).first().user
    biggest = (TaskAgency.objects.filter(role="lead", active=True).values("agency_id").annotate(n=Count("id"))
               .order_by("-n").first()["agency_id"])
    task = Task.objects.filter(status="open").order_by("-id").first()
    pages = [
        (admin, "/tong-quan/"), (admin, "/tong-quan/?period=2026"), (admin, f"/tong-quan/?agency={biggest}"),
        (admin, "/nhiem-vu/"), (admin, "/nhiem-vu/?state=overdue"),
        (admin, f"/nhiem-vu/?agency={biggest}&state=overdue"),
        (admin, "/nhiem-vu/?q=bao cao ket qua"), (admin, "/nhiem-vu/?page=200"), (admin, "/van-ban/"),
        (admin, f"/nhiem-vu/{task.pk}/"), (admin, "/bao-cao/"), (focal, "/don-vi/"), (focal, "/nhiem-vu/"),
        (focal, "/tong-quan/"),
    ]
    print(f"{Task.objects.count():,} tasks; times in ms (first request, then median of {args.runs})")
    for user, url in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        times = []
        for _ in range(args.runs + 1):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{times[0]:8.0f} {statistics.median(times[1:]):8.0f}  {user.get_username():>12} {url}")


if __name__ == "__main__":
    main()
