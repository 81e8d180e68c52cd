"""Error pages (400, 403, 404, 500 and a refused CSRF check): in Chinese and in the layout of
the site the visitor was on, the public site's under /public/, the working platform's
elsewhere; the API's clients get its JSON error body instead (`{"detail": …}`, docs/api.md).

The 500 page is rendered without the request's context processors: whatever failed (the
database, a context processor) must not fail the error page too.
"""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse

API_PREFIX = "/api/"
TITLES = {
    400: "请求无效",
    403: "无权访问",
    404: "页面不存在",
    500: "服务器内部错误",
}
EXPLANATIONS = {
    400: "请求的格式或内容无法处理。请返回上一页检查后重试。",
    403: "您的账号没有访问此页面或执行此操作的权限。如有需要，请联系本辖区的协调员。",
    404: "您访问的页面不存在，或您无权查看。请检查地址，或从首页重新进入。",
    500: "服务器处理请求时出错，已记录在服务器日志中。请稍后重试；如果问题持续，请联系系统管理员。",
}
API_DETAILS = {**TITLES, 404: "没有这个接口地址"}
CSRF_EXPLANATION = (
    "表单已过期或来源无法确认（CSRF 校验未通过），未执行任何操作。请返回上一页，刷新后重新提交。"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _reason(exception: BaseException | None) -> str:
    """The message a view raised with, when it is written for the user (in Chinese); Django's
    own messages (`No Plan matches the given query.`, a resolver's dict) are not."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and CJK.search(message) else ""


def _layout(path: str) -> tuple[str, str]:
    """The base template and the home page of the site `path` belongs to."""
    public = reverse("disclosure:index")
    if path.startswith(public):
        return "disclosure/public_base.html", public
    return "base.html", reverse("home")


def _error(
    request: HttpRequest, status: int, reason: str = "", explanation: str = ""
) -> HttpResponse:
    explanation = explanation or EXPLANATIONS[status]
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": reason or API_DETAILS[status]}, status=status)
    layout, home = _layout(request.path)
    context = {
        "layout": layout,
        "home": home,
        "status": status,
        "title": TITLES[status],
        "reason": reason,
        "explanation": explanation,
    }
    template = loader.get_template(f"{status}.html")
    if status == 500:
        return HttpResponse(template.render(context), status=status)
    return HttpResponse(template.render(context, request), status=status)


def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _error(request, 400, _reason(exception))


def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _error(request, 403, _reason(exception))


def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return _error(request, 404, _reason(exception))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's reason (English, and already logged) stays off the page."""
    return _error(request, 403, explanation=CSRF_EXPLANATION)
