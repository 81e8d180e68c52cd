"""The audit log page: the latest entries, by record if asked, and whether the chain holds;
and the public page of the chain's head, which anyone may keep to check the chain later."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuangsuiji.audit.access import readable_entries
from shuangsuiji.audit.anchor import DAYS, current_head, daily_heads
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.presenters import audited_kinds, entry_rows


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The entries the user may read; the check runs over the whole chain, which is one."""
    entries = readable_entries(request.user).order_by("-sequence")
    if model := request.GET.get("model", "").strip():
        entries = entries.filter(model=model)
    if object_id := request.GET.get("object", "").strip():
        entries = entries.filter(object_id=object_id)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    broken = first_break(AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000))
    context = {
        "page": page,
        "rows": entry_rows(list(page)),
        "kinds": audited_kinds(),
        "broken": broken,
        "total": AuditEntry.objects.count(),
    }
    return render(request, "audit/log.html", context)


def audit_head(request: HttpRequest) -> HttpResponse:
    """Public: the chain's head now and at the end of each recent day. Only sequence numbers,
    digests and times: nothing of what the entries say."""
    context = {"head": current_head(), "heads": daily_heads(), "days": DAYS}
    return render(request, "audit/head.html", context)


def audit_heads_text(request: HttpRequest) -> HttpResponse:
    """The same heads, one per line, for `shuangsuiji audit verify --against heads.txt`."""
    heads = [head for head in (current_head(), *daily_heads()) if head is not None]
    text = "".join(f"{head.line()}\n" for head in heads)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
