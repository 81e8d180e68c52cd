"""Published results (抽查结果公告): open data, readable without a token, in the fields and
order of docs/open-data.md, searched exactly as the public page searches."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from shuangsuiji.api.schemas import MAX_LIMIT, PageQuery, ResultFilters, ResultPage
from shuangsuiji.disclosure.services import (
    CappedPaginator,
    public_rows,
    search_published,
    with_public_relations,
)

router = Router(tags=["公示"])


@router.get(
    "/results",
    auth=None,
    response=ResultPage,
    summary="已公示的抽查结果（无需令牌）",
    description=(
        f"count 至多计到 {CappedPaginator.CAP}（capped 为 true 时实际更多）；offset 不超过该数。"
        "全部结果请下载公示网站的 CSV 或 JSON 开放数据。"
    ),
)
def published_results(
    request: HttpRequest,
    page: Query[PageQuery],
    filters: Query[ResultFilters],
) -> dict[str, Any]:
    search = filters.model_dump(exclude_none=True)
    found = search_published({key: str(value) for key, value in search.items()})
    counter = CappedPaginator(found, MAX_LIMIT)
    offset = min(page.offset, CappedPaginator.CAP)
    items = with_public_relations(found)[offset : offset + page.limit]
    return {
        "count": min(counter.count, CappedPaginator.CAP),
        "capped": counter.capped,
        "limit": page.limit,
        "offset": offset,
        "items": public_rows(items),
    }
