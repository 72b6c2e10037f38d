from django.contrib.auth import views as auth_views
from django.urls import path

from .views import admin_agencies, admin_pages, admin_reminders, agency, dashboard, documents, home, reports, tasks

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", home.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("co-quan/goi-y/", home.agency_suggest, name="agency_suggest"),
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("van-ban/", documents.document_list, name="documents"),
    path("van-ban/tai-len/", documents.upload, name="upload"),
    path("van-ban/<int:pk>/", documents.document_detail, name="document"),
    path("van-ban/<int:pk>/tep/", documents.document_file, name="document_file"),
    path("van-ban/<int:pk>/ra-soat/", documents.review, name="review"),
    path("van-ban/<int:pk>/ra-soat/xac-nhan/", documents.review_confirm, name="review_confirm"),
    path("van-ban/<int:pk>/ra-soat/gop/", documents.review_merge, name="review_merge"),
    path("van-ban/<int:pk>/ra-soat/them/", documents.review_add, name="review_add"),
    path("van-ban/<int:pk>/ra-soat/<int:task_pk>/luu/", documents.review_save, name="review_save"),
    path("van-ban/<int:pk>/ra-soat/<int:task_pk>/tach/", documents.review_split, name="review_split"),
    path("van-ban/<int:pk>/ra-soat/<int:task_pk>/loai/", documents.review_discard, name="review_discard"),
    path("nhiem-vu/", tasks.task_list, name="tasks"),
    path("nhiem-vu/bo-loc/", tasks.save_filter, name="save_filter"),
    path("nhiem-vu/bo-loc/<int:pk>/xoa/", tasks.delete_filter, name="delete_filter"),
    path("nhiem-vu/<int:pk>/", tasks.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/tep/<int:file_pk>/", tasks.evidence, name="evidence"),
    path("nhiem-vu/<int:pk>/<slug:action>/", tasks.task_action, name="task_action"),
    path("don-vi/", agency.my_agency, name="my_agency"),
    path("bao-cao/", reports.reports, name="reports"),
    path("bao-cao/lich.ics", reports.calendar_feed, name="calendar"),
    path("quan-tri/", admin_pages.users, name="admin_users"),
    path("quan-tri/<int:pk>/", admin_pages.user_role, name="admin_user"),
    path("quan-tri/co-quan/", admin_agencies.agency_list, name="admin_agencies"),
    path("quan-tri/co-quan/them/", admin_agencies.agency_create, name="admin_agency_create"),
    path("quan-tri/co-quan/<int:pk>/", admin_agencies.agency_detail, name="admin_agency"),
    path("quan-tri/co-quan/<int:pk>/sua/", admin_agencies.agency_edit, name="admin_agency_edit"),
    path("quan-tri/sap-nhap/", admin_agencies.mergers, name="admin_mergers"),
    path("quan-tri/sap-nhap/ap-dung/", admin_agencies.apply_due_mergers, name="admin_mergers_apply"),
    path("quan-tri/nhac-viec/", admin_reminders.reminders, name="admin_reminders"),
    path("quan-tri/nhac-viec/webhook/them/", admin_reminders.webhook_create, name="admin_webhook_create"),
    path("quan-tri/nhac-viec/webhook/<int:pk>/", admin_reminders.webhook_edit, name="admin_webhook"),
]
