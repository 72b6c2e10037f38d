"""Signing in: a token for scripts, the session for the browser, and who the API thinks you are."""

import pytest
from rest_framework.test import APIClient

PASSWORD = "mật-khẩu-thử"


def test_a_token_from_username_and_password_signs_requests_in(users):
    client = APIClient()
    answer = client.post("/api/auth/token/", {"username": "daumoi_btc", "password": PASSWORD}, format="json")
    assert answer.status_code == 200
    token = answer.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me["username"] == "daumoi_btc"
    assert me["role"] == "focal_point" and me["role_label"] == "Đầu mối đơn vị"
    assert me["agency"]["name"] == "Bộ Tài chính"
    assert me["can_ingest"] is False and me["can_manage_agencies"] is False
    # asking again gives the same token; revoking it signs the client out
    again = APIClient().post("/api/auth/token/", {"username": "daumoi_btc", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token
    assert client.delete("/api/auth/token/").status_code == 204
    assert client.get("/api/me/").status_code == 401


def test_a_wrong_password_gets_no_token_and_says_so_in_both_languages(users):
    answer = APIClient().post("/api/auth/token/", {"username": "daumoi_btc", "password": "sai"}, format="json")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "invalid_credentials"
    assert error["message"]["vi"].startswith("Tên đăng nhập") and error["message"]["en"].startswith("Wrong")


def test_the_token_request_needs_both_fields_and_no_others(users):
    answer = APIClient().post("/api/auth/token/", {"username": "daumoi_btc"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["password"] == [
        {"vi": "Trường này là bắt buộc.", "en": "This field is required."}]
    answer = APIClient().post("/api/auth/token/", {"username": "a", "password": "b", "remember": True}, format="json")
    assert answer.json()["error"]["code"] == "unknown_field"


def test_a_bad_token_is_401_not_anonymous(users):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    answer = client.get("/api/tasks/")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "authentication_failed"


def test_the_browser_session_works_for_the_api(users):
    client = APIClient()
    assert client.login(username="lanhdao", password=PASSWORD)
    me = client.get("/api/me/").json()
    assert me["username"] == "lanhdao" and me["role"] == "leader" and me["agency"] is None


def test_the_session_login_page_is_served(users):
    assert APIClient().get("/api/auth/login/").status_code == 200


@pytest.mark.parametrize("role, expected", [
    ("admin", ("admin", True, True)), ("officer", ("officer", True, False)), ("leader", ("leader", False, False)),
])
def test_me_tells_the_role_and_what_it_may_do(api, role, expected):
    me = api(role).get("/api/me/").json()
    assert (me["role"], me["can_ingest"], me["can_manage_agencies"]) == expected


def test_me_needs_a_signed_in_user(api):
    answer = api("anonymous").get("/api/me/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Token")
    assert answer.json() == {"error": {"code": "not_authenticated", "message": {
        "vi": "Chưa đăng nhập.", "en": "Authentication is required."}, "fields": {}}}


def _token_client(user):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_token_request_reads_token_user_profile_and_agency_in_one_query(users, django_assert_num_queries):
    client = _token_client(users.finance_focal)
    client.get("/api/me/")  # the first request of a shape compiles its query
    with django_assert_num_queries(1):
        me = client.get("/api/me/").json()
    assert me["role"] == "focal_point" and me["agency"]["name"] == "Bộ Tài chính"
    admin = _token_client(users.admin)
    with django_assert_num_queries(1):
        assert admin.get("/api/me/").json()["role"] == "admin"


def test_a_token_answers_from_the_database_of_each_request(users):
    """Nothing of the token or its user is kept between requests: a role changed, a user deactivated, a token
    deleted count from the next request on, with DRF's own errors."""
    from rest_framework.authtoken.models import Token

    from dondoc.tracking.models import Profile

    client = _token_client(users.finance_focal)
    assert client.get("/api/me/").json()["role"] == "focal_point"
    Profile.objects.filter(user=users.finance_focal).update(role=Profile.Role.LEADER, agency=None)
    me = client.get("/api/me/").json()
    assert me["role"] == "leader" and me["agency"] is None
    Profile.objects.filter(user=users.finance_focal).delete()
    assert client.get("/api/me/").json()["role"] is None
    users.finance_focal.is_active = False
    users.finance_focal.save()
    answer = client.get("/api/me/")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "authentication_failed"
    users.finance_focal.is_active = True
    users.finance_focal.save()
    assert client.get("/api/me/").status_code == 200
    Token.objects.filter(user=users.finance_focal).delete()
    answer = client.get("/api/me/")
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "authentication_failed"
