"""Small template helpers: query strings that keep the current filters, state labels, Vietnamese percentages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from dondoc.tracking.states import Bucket

from .. import access
from ..labels import label as _label

register = template.Library()


@register.simple_tag(takes_context=True)
def qs(context, **changes) -> str:
    """The current query string with ``changes`` (None or "" removes a key); any change but the page resets it.
    ``format`` is dropped unless it is the change (the footer's link to the JSON twin)."""
    params = context["request"].GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if "format" not in changes:  # links to other pages of the HTML list; the JSON twin's link asks for it
        params.pop("format", None)
    return "?" + urlencode(list(params.lists()), doseq=True) if params else "?"


@register.filter
def bucket_label(value) -> str:
    try:
        return _label(Bucket(value).label)
    except ValueError:
        return str(value)


@register.filter
def label(value) -> str:
    """A label of the tracking models (state, event kind, role) in the page's language."""
    return _label(value)


@register.filter
def pct(rate) -> str:
    """0.8125 → "81,3%" (decimal comma); None → "—"."""
    if rate is None:
        return "—"
    return f"{rate * 100:.1f}%".replace(".", ",")


@register.simple_tag
def role_of(user) -> str:
    return access.role_of(user) or ""


@register.simple_tag
def public_tasks() -> bool:
    return access.public_enabled()
