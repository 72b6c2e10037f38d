"""Labels the pages show that are defined in other packages (report buckets, event kinds, roles, task and document
statuses), listed here so the web interface's English catalog translates them too.

They are marked with the context "web" and translated by the pages through ``label()``: a plain entry
would also translate them in the API, which answers in Vietnamese while English is active (``api.views.base``)."""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "web"


def label(value) -> str:
    """A domain label (Vietnamese) in the page's language."""
    return pgettext(CONTEXT, str(value))


LABELS = [
    pgettext_lazy("web", "Chờ rà soát"),
    pgettext_lazy("web", "Chưa đến hạn"),
    pgettext_lazy("web", "Đang thực hiện trong hạn"),
    pgettext_lazy("web", "Chưa hoàn thành, quá hạn"),
    pgettext_lazy("web", "Hoàn thành đúng hạn"),
    pgettext_lazy("web", "Hoàn thành quá hạn"),
    pgettext_lazy("web", "Không tiếp tục thực hiện"),
    pgettext_lazy("web", "Đã chuyển"),
    pgettext_lazy("web", "Đã loại khi rà soát"),
    pgettext_lazy("web", "Đang theo dõi"),
    pgettext_lazy("web", "Đã hoàn thành"),
    pgettext_lazy("web", "Đã xác nhận"),
    pgettext_lazy("web", "Tạo từ văn bản"),
    pgettext_lazy("web", "Chỉnh sửa khi rà soát"),
    pgettext_lazy("web", "Xác nhận"),
    pgettext_lazy("web", "Loại khi rà soát"),
    pgettext_lazy("web", "Báo cáo tiến độ"),
    pgettext_lazy("web", "Đề nghị gia hạn"),
    pgettext_lazy("web", "Đồng ý gia hạn"),
    pgettext_lazy("web", "Không đồng ý gia hạn"),
    pgettext_lazy("web", "Chuyển cơ quan"),
    pgettext_lazy("web", "Chuyển cho cơ quan kế thừa"),
    pgettext_lazy("web", "Hoàn thành"),
    pgettext_lazy("web", "Mở lại"),
    pgettext_lazy("web", "Quản trị"),
    pgettext_lazy("web", "Chuyên viên theo dõi"),
    pgettext_lazy("web", "Đầu mối đơn vị"),
    pgettext_lazy("web", "Lãnh đạo"),
    pgettext_lazy("web", "Tài khoản người dùng"),
    pgettext_lazy("web", "Chỉ tiêu định lượng"),
]
