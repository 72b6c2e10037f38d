"""The OpenAPI description generates without a warning, and the docs page loads nothing from another site."""

import re

import pytest
from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/api/tasks/{id}/extension-request/", "/api/documents/", "/api/agencies/{id}/", "/api/tasks/merge/"):
        assert f"  {path}:" in text


def test_the_schema_is_served(client, db):
    answer = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    listing = schema["paths"]["/api/tasks/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"agency", "include_units", "role", "state", "due_from", "due_to", "document", "q", "sort", "page",
            "page_size", "as_of"} <= names
    upload = schema["paths"]["/api/documents/"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(upload)
    assert "413" in schema["paths"]["/api/documents/"]["post"]["responses"]


@pytest.mark.parametrize("url", ["/api/docs/"])
def test_the_docs_page_loads_scripts_and_styles_only_from_this_server(client, db, url):
    answer = client.get(url)
    assert answer.status_code == 200
    html = answer.content.decode()
    sources = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any("swagger-ui" in s for s in sources)
    assert not [s for s in sources if re.match(r"(?:https?:)?//", s)]
    # no CDN host named anywhere in the page (a bare "cdn" may occur inside the page's random CSRF token)
    assert not re.search(r"(?:cdn|jsdelivr|unpkg)[\w.-]*\.(?:com|net|org|io)\b", html, re.IGNORECASE)
