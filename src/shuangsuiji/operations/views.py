"""`GET /health/`: for the load balancer and the monitoring of the 信息中心 — 200 when every check
holds, 503 when one does not, JSON naming each (operations/health.py). No login and nothing
about the data beyond counts."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from shuangsuiji.operations.health import health


@require_safe
@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    checks = health()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks},
        status=200 if ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )
