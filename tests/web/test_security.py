"""Permissions on the server (each forbidden action per role), CSRF, security headers, offline assets, translations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "dondoc" / "web"


def events():
    from dondoc.tracking.models import Event

    return Event.objects.count()


@pytest.mark.parametrize("role, action, task, expected", [
    # focal points act only on the tasks their agency leads; what they cannot see is 404
    ("health_focal", "report", "inspect", 403),  # Bộ Y tế only supports task 1
    ("health_focal", "report", "report", 404),  # nor sees task 3
    ("finance_focal", "decide_extension", "inspect", 403),
    ("finance_focal", "transfer", "inspect", 403),
    ("finance_focal", "withdraw", "inspect", 403),
    ("finance_focal", "reopen", "inspect", 403),
    # leaders read only
    ("leader", "report", "inspect", 403),
    ("leader", "complete", "inspect", 403),
    ("leader", "decide_extension", "inspect", 403),
    # officers decide, but do not report progress for an agency
    ("officer", "report", "inspect", 403),
    ("officer", "request_extension", "inspect", 403),
])
def test_forbidden_follow_up(web, confirmed, role, action, task, expected):
    target = getattr(confirmed, task)
    before = events()
    fields = {"text": "x", "reason": "x", "due": "2026-12-31", "decision": "approve", "to": "Bộ Y tế"}
    response = web(role).post(f"/nhiem-vu/{target.pk}/{action}/", {f"{action}-{k}": v for k, v in fields.items()})
    assert response.status_code == expected
    assert events() == before


def test_anonymous_posts_go_to_sign_in(web, confirmed):
    response = web("anonymous").post(f"/nhiem-vu/{confirmed.inspect.pk}/report/", {"report-text": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("role", ["finance_focal", "health_focal", "leader"])
def test_only_offices_review(web, drafts, role):
    doc, task = drafts.document, drafts.inspect
    client = web(role)
    before = events()
    assert client.get(f"/van-ban/{doc.pk}/ra-soat/").status_code in (403, 404)
    for path, data in [(f"ra-soat/{task.pk}/luu/", {f"t{task.pk}-content": "x", f"t{task.pk}-lead": "Bộ Y tế"}),
                       (f"ra-soat/{task.pk}/loai/", {}), (f"ra-soat/{task.pk}/tach/", {f"s{task.pk}-parts": "a\nb"}),
                       ("ra-soat/gop/", {"tasks": [task.pk, drafts.report.pk]}),
                       ("ra-soat/them/", {"add-content": "x"}), ("ra-soat/xac-nhan/", {})]:
        assert client.post(f"/van-ban/{doc.pk}/{path}", data).status_code in (403, 404), path
    assert client.post("/van-ban/tai-len/", {"text": "Bộ Y tế chủ trì việc A."}).status_code == 403
    assert events() == before


def test_drafts_are_not_shown_to_focal_points(web, drafts):
    assert web("finance_focal").get(f"/nhiem-vu/{drafts.inspect.pk}/").status_code == 404


def test_csrf_is_enforced(users, confirmed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users.finance_focal)
    response = client.post(f"/nhiem-vu/{confirmed.inspect.pk}/report/", {"report-text": "không có mã CSRF"})
    assert response.status_code == 403


def test_security_headers(web, confirmed):
    response = web("officer").get("/tong-quan/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_secure_cookies_outside_debug():
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dondoc.config.settings'; "
            "from django.conf import settings; "
            "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY)")
    env = {"DONDOC_SECRET_KEY": "x" * 50, "DONDOC_DEBUG": "0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True"]


def test_no_inline_scripts_and_nothing_from_elsewhere():
    """Every script, style sheet and font is dondoc's own: no http(s) source in the templates or static files, and no
    inline script (the Content-Security-Policy forbids them)."""
    offenders = []
    for path in [*WEB.glob("templates/**/*.html"), *WEB.glob("static/**/*")]:
        if path.is_dir():
            continue
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text):
            offenders.append(f"{path.name}: {text[m.start():m.start() + 60]}")
        if re.search(r"url\(\s*['\"]?(?:https?:)?//", text) or "@import" in text:
            offenders.append(f"{path.name}: remote url()")
        if path.suffix == ".html" and re.search(r"<script(?![^>]*\bsrc=)", text):
            offenders.append(f"{path.name}: inline script")
        if path.suffix == ".html" and re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: inline event handler")
        if path.suffix == ".html" and re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path.name}: inline style")
    assert offenders == []


def test_static_files_are_served_by_dondoc(client):
    for name in ("web/app.css", "web/app.js"):
        from django.contrib.staticfiles import finders

        assert finders.find(name), name


def _po_entries(text: str) -> dict[tuple[str | None, str], str]:
    entries = {}
    for block in text.split("\n\n"):
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            key = "".join(re.findall(r'"(.*)"', msgid.group(1)))
            if key:
                entries[(context and context.group(1), key)] = "".join(re.findall(r'"(.*)"', msgstr.group(1)))
    return entries


def test_english_catalog_is_complete_and_compiled():
    """Every string of the web interface has an English translation, and the committed .mo file carries them."""
    from gettext import GNUTranslations

    po = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po.read_text(encoding="utf-8"))
    assert len(entries) > 250
    assert [k for k, v in entries.items() if not v] == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8").split("msgid", 2)[2]
    with open(po.with_suffix(".mo"), "rb") as f:
        compiled = GNUTranslations(f)
    stale = [k for (ctx, k), v in entries.items() if "\\" not in k
             and (compiled.pgettext(ctx, k) if ctx else compiled.gettext(k)) != v]
    assert stale == [], "run: cd src/dondoc/web && django-admin compilemessages"


def test_the_catalog_leaves_the_api_labels_alone():
    """The API answers with English active but labels in Vietnamese: the web catalog translates the tracking
    labels only under its own context."""
    from django.utils import translation

    from dondoc.tracking.models import Profile
    from dondoc.tracking.states import Bucket
    from dondoc.web.labels import label

    with translation.override("en"):
        assert str(Bucket.OVERDUE.label) == "Chưa hoàn thành, quá hạn"
        assert str(Profile.Role.FOCAL_POINT.label) == "Đầu mối đơn vị"
        assert label(Bucket.OVERDUE.label) == "Overdue"


def test_templates_have_no_untranslated_text():
    """Text between tags in the templates goes through {% translate %}: a rough check for Vietnamese letters left
    outside translation tags."""
    vietnamese = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)
    offenders = []
    for path in WEB.glob("templates/**/*.html"):
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        for line in text.splitlines():
            if vietnamese.search(line) and line.strip() not in ("Tiếng Việt",):
                offenders.append(f"{path.name}: {line.strip()}")
    assert offenders == []
