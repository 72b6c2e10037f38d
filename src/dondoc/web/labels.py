"""Labels the pages show that are defined in other packages (report buckets, event kinds, roles, task and document
statuses), listed here so the web interface's English catalog translates them too. ``gettext_noop`` only marks
them: the models translate them where they are defined."""

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("Chờ rà soát"), gettext_noop("Chưa đến hạn"), gettext_noop("Đang thực hiện trong hạn"),
    gettext_noop("Chưa hoàn thành, quá hạn"), gettext_noop("Hoàn thành đúng hạn"), gettext_noop("Hoàn thành quá hạn"),
    gettext_noop("Không tiếp tục thực hiện"), gettext_noop("Đã chuyển"), gettext_noop("Đã loại khi rà soát"),
    gettext_noop("Đang theo dõi"), gettext_noop("Đã hoàn thành"), gettext_noop("Đã xác nhận"),
    gettext_noop("Tạo từ văn bản"), gettext_noop("Chỉnh sửa khi rà soát"), gettext_noop("Xác nhận"),
    gettext_noop("Loại khi rà soát"), gettext_noop("Báo cáo tiến độ"), gettext_noop("Đề nghị gia hạn"),
    gettext_noop("Đồng ý gia hạn"), gettext_noop("Không đồng ý gia hạn"), gettext_noop("Chuyển cơ quan"),
    gettext_noop("Chuyển cho cơ quan kế thừa"), gettext_noop("Hoàn thành"), gettext_noop("Mở lại"),
    gettext_noop("Quản trị"), gettext_noop("Chuyên viên theo dõi"), gettext_noop("Đầu mối đơn vị"),
    gettext_noop("Lãnh đạo"),
    # the administration page's links (views.admin_pages.ADMIN_LINKS)
    gettext_noop("Cơ quan, đơn vị (cấp trên, tên gọi khác)"), gettext_noop("Vai trò người dùng"),
    gettext_noop("Tài khoản người dùng"), gettext_noop("Thiết lập nhắc việc"),
    gettext_noop("Địa chỉ nhận thông báo (webhook)"), gettext_noop("Chỉ tiêu định lượng"),
]
