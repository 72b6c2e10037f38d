"""Shared fixtures of the tracking service's tests: a small organisation and one user per role.

The organisation is built from the same services the product uses (no hand-written rows), and is small enough
that every test can have its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest


@dataclass
class Org:
    finance: object  # Bộ Tài chính
    tax: object  # Cục Thuế, under Bộ Tài chính
    health: object  # Bộ Y tế
    ict: object  # Bộ Thông tin và Truyền thông, merged into science on 2025-03-01
    science: object  # Bộ Khoa học và Công nghệ
    province: object  # Ủy ban nhân dân tỉnh Lâm Đồng
    provincial_health: object  # Sở Y tế, under the province


def _agency(name, *, parent=None, aliases=(), valid_to=None):
    from dondoc.tracking.models import Agency, AgencyAlias

    agency = Agency.objects.create(name=name, parent=parent, valid_to=valid_to, source=Agency.Source.REGISTRY)
    for alias in (name, *aliases):
        AgencyAlias.objects.create(agency=agency, alias=alias)
    return agency


@pytest.fixture
def org(db) -> Org:
    from dondoc.tracking.models import AgencySuccession

    finance = _agency("Bộ Tài chính", aliases=("BTC",))
    ict = _agency("Bộ Thông tin và Truyền thông", aliases=("Bộ TT&TT",), valid_to=date(2025, 2, 28))
    science = _agency("Bộ Khoa học và Công nghệ", aliases=("Bộ KH&CN",))
    AgencySuccession.objects.create(predecessor=ict, successor=science, effective_on=date(2025, 3, 1))
    province = _agency("Ủy ban nhân dân tỉnh Lâm Đồng", aliases=("UBND tỉnh Lâm Đồng",))
    return Org(
        finance=finance, tax=_agency("Cục Thuế", parent=finance), health=_agency("Bộ Y tế"), ict=ict,
        science=science, province=province, provincial_health=_agency("Sở Y tế tỉnh Lâm Đồng", parent=province),
    )


@dataclass
class Users:
    admin: object
    officer: object
    finance_focal: object  # focal point of Bộ Tài chính
    health_focal: object  # focal point of Bộ Y tế
    leader: object


@pytest.fixture
def users(org) -> Users:
    from django.contrib.auth import get_user_model

    from dondoc.tracking.models import Profile

    User = get_user_model()

    def make(username, role, agency=None, **extra):
        user = User.objects.create_user(username=username, password="mật-khẩu-thử", **extra)
        if role:
            Profile.objects.create(user=user, role=role, agency=agency)
        return user

    return Users(
        admin=make("quantri", None, is_superuser=True, is_staff=True),
        officer=make("chuyenvien", Profile.Role.OFFICER),
        finance_focal=make("daumoi_btc", Profile.Role.FOCAL_POINT, org.finance),
        health_focal=make("daumoi_byt", Profile.Role.FOCAL_POINT, org.health),
        leader=make("lanhdao", Profile.Role.LEADER),
    )


# A directive of our own, in the shape real ones take: header, addressees, numbered tasks with leads and deadlines.
DIRECTIVE = """BỘ TÀI CHÍNH
Số: 1234/BTC-CNTT
V/v triển khai hóa đơn điện tử trong năm 2026

Hà Nội, ngày 10 tháng 3 năm 2026

Kính gửi: Cục Thuế; Bộ Y tế.

Để triển khai hóa đơn điện tử, Bộ Tài chính đề nghị:
1. Cục Thuế chủ trì, phối hợp với Bộ Y tế rà soát danh mục cơ sở khám bệnh sử dụng hóa đơn
điện tử, hoàn thành trước ngày 30/6/2026.
2. Bộ Y tế chỉ đạo các bệnh viện trực thuộc kết nối dữ liệu hóa đơn với cơ quan thuế trong Quý III/2026.
3. Cục Thuế báo cáo kết quả thực hiện định kỳ hằng quý.
"""


@pytest.fixture
def directive_text() -> str:
    return DIRECTIVE
