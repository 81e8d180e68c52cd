"""The public anchor of the audit chain: mounted at /public/audit-head/."""

from django.urls import path

from shuangsuiji.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_head, name="head"),
    path("heads.txt", views.audit_heads_text, name="heads"),
]
