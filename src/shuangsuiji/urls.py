from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from shuangsuiji.accounts.login import LoginView
from shuangsuiji.audit import views as audit_views
from shuangsuiji.checks import views as checks_views
from shuangsuiji.disclosure import views as disclosure_views
from shuangsuiji.operations.metrics import metrics_view
from shuangsuiji.operations.views import health_view

handler400 = "shuangsuiji.errors.bad_request"
handler403 = "shuangsuiji.errors.permission_denied"
handler404 = "shuangsuiji.errors.page_not_found"
handler500 = "shuangsuiji.errors.server_error"

urlpatterns = [
    path("", include("shuangsuiji.dashboard.urls")),
    path("plans/", include("shuangsuiji.plans.urls")),
    path("directory/", include("shuangsuiji.directory.urls")),
    path("draws/", include("shuangsuiji.draws.urls")),
    path("assignments/", include("shuangsuiji.assignments.urls")),
    path("inspections/", include("shuangsuiji.inspections.urls")),
    path("public/audit-head/", include("shuangsuiji.audit.urls")),
    path("public/", include("shuangsuiji.disclosure.urls")),
    path("api/v1/", include("shuangsuiji.api.urls")),
    path("analysis/", include("shuangsuiji.analysis.urls")),
    path("checks/", include("shuangsuiji.checks.urls")),
    path("approvals/", include("shuangsuiji.approvals.urls")),
    path("company/", include("shuangsuiji.companies.urls")),
    path("c/<str:code>/", checks_views.code_page, name="code"),  # short: printed as a QR
    path("publication/", disclosure_views.publication, name="publication"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("shuangsuiji.accounts.urls")),
    path("admin/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("metrics/", metrics_view, name="metrics"),
]
