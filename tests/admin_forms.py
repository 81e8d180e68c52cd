"""Submit an admin change form as the browser would: every field as the page rendered it,
with the changes a test (or an attacker) makes on top."""

from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.test import Client


def _as_post(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_as_post(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _fields(form: Any, prefix: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        key = f"{prefix}{name}"
        value = _as_post(form[name].value())
        if value is not None:
            data[key] = value
    return data


def rendered_form(client: Client, url: str) -> dict[str, Any]:
    """The POST the page's form would send unchanged (fields, inlines, management forms)."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    data = _fields(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _fields(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            data |= _fields(form, f"{form.prefix}-")
    return data


def error_fields(response: Any) -> list[str]:
    """The fields a re-rendered admin form marks as wrong (empty when it saved)."""
    if response.context is None or "adminform" not in response.context:
        return []
    return sorted(response.context["adminform"].form.errors)
