"""The JSON API at /api/v1/: one NinjaAPI, its routers, and the error bodies.

Every error answers `{"detail": …}`: 401 without a valid token, 403 when the role may not do
something, 404 for a record the user may not see (as the pages do, so existence is not revealed),
422 for malformed parameters, 429 with Retry-After past the rate limit.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled

from shuangsuiji.accounts.permissions import role_of
from shuangsuiji.api import directory, draws, exchange, plans, results, visits
from shuangsuiji.api.auth import BearerToken
from shuangsuiji.api.schemas import MeOut
from shuangsuiji.api.throttle import DatabaseThrottle

api = NinjaAPI(
    title="双随机抽查平台 API",
    version="1",
    description=(
        "令牌：`Authorization: Bearer <token>`，以令牌所属用户的角色和数据范围访问。"
        "已公示的抽查结果无需令牌。说明见 docs/api.md。"
    ),
    urls_namespace="api",
    auth=BearerToken(),
    throttle=DatabaseThrottle(),
)
for module in (plans, draws, visits, results, directory, exchange):
    api.add_router("", module.router)


@api.get("/me", response=MeOut, summary="令牌所属的用户与角色", tags=["令牌"])
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    role = role_of(user)
    department = getattr(user, "department", None)
    inspector = getattr(user, "inspector", None)
    return {
        "username": user.get_username(),
        "role": role.value if role else None,
        "department": department.name if department else None,
        "inspector": inspector.certificate_no if inspector else None,
        "token": request.auth.name,  # type: ignore[attr-defined]
    }


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "需要有效的接口令牌：Authorization: Bearer <token>"
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权进行此操作"}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "不存在，或不在您的数据范围内"}, status=404)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(request, {"detail": "请求过于频繁，请稍后再试"}, status=429)
