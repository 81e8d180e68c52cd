"""A company signs in with its 统一社会信用代码 and the one-time token printed on its notice:
the database keeps the token's digest only, the token opens one session and is spent, wrong
tries lock the code at that address as the staff sign-in does, and a company session passes
no staff permission (nor does a staff sign-in act as a company)."""

import hashlib
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from shuangsuiji.accounts.models import User
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.companies.models import SignInToken
from shuangsuiji.companies.session import SESSION_KEY
from shuangsuiji.companies.tokens import notice_token, read
from shuangsuiji.demo.build import DemoSummary
from tests.companies.scene import company_client, scene, staff_client, team_inspector
from tests.demo_data import module_demo

pytestmark = pytest.mark.django_db

STAFF = ["lucheng-coordinator", "lucheng-dept-admin", "lucheng-inspector", "lucheng-auditor"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSummary]:
    with module_demo(django_db_blocker, entities_per_district=300) as summary:
        yield summary


def sign_in(client: Client, uscc: str, token: str) -> Any:
    return client.post(reverse("companies:sign_in"), {"uscc": uscc, "password": token})


def test_the_token_opens_one_session_and_the_next_notice_prints_the_next_token(
    demo: DemoSummary,
) -> None:
    visit = scene().visit
    token = notice_token(visit)
    client, again = Client(), Client()

    first = sign_in(client, visit.entity.uscc.lower(), token.lower().replace("-", ""))
    second = sign_in(again, visit.entity.uscc, token)

    assert (first.status_code, first.url) == (302, reverse("companies:home"))
    assert client.session[SESSION_KEY] == visit.entity.pk
    assert client.get(reverse("companies:home")).status_code == 200
    assert second.status_code == 200
    assert "统一社会信用代码或登录令牌不正确，或令牌已使用过" in second.content.decode()
    assert SESSION_KEY not in again.session
    assert notice_token(visit) != token  # spent: the next printing carries the next one


def test_the_database_keeps_the_tokens_digest_and_the_notice_prints_the_token(
    demo: DemoSummary,
) -> None:
    visit = scene().visit
    team = Client()
    team.force_login(team_inspector(visit))  # the team hands the notice over

    notice = team.get(reverse("inspections:notice", args=[visit.pk, "docx"]))

    text = "\n".join(p.text for p in Document(BytesIO(notice.content)).paragraphs)
    token = notice_token(visit)  # the same while unspent: the printing's
    stored = SignInToken.objects.get(visit=visit, used_at=None)
    assert (
        f"企业端登录令牌 {token}：凭统一社会信用代码和本令牌登录 http://testserver/company/login/"
        in text
    )
    assert stored.digest == hashlib.sha256(read(token).encode()).hexdigest()
    assert read(token) not in {stored.digest, str(stored.number)}


def test_the_company_may_not_sign_in_with_another_companys_token(demo: DemoSummary) -> None:
    at = scene()

    response = sign_in(Client(), at.other.entity.uscc, notice_token(at.visit))

    assert response.status_code == 200
    assert SignInToken.objects.filter(visit=at.visit, used_at=None).exists()  # not spent


def test_five_wrong_tokens_lock_the_code_at_that_address_even_for_the_right_token(
    demo: DemoSummary,
) -> None:
    visit = scene().visit
    client = Client()

    tries = [sign_in(client, visit.entity.uscc, "0000-0000-0000") for _ in range(5)]
    right = sign_in(client, visit.entity.uscc, notice_token(visit))
    elsewhere = sign_in(Client(REMOTE_ADDR="10.9.9.9"), visit.entity.uscc, notice_token(visit))

    assert [t.status_code for t in tries] == [200, 200, 200, 200, 429]
    assert "（本地址还可尝试 1 次）" in tries[3].content.decode()
    assert "该统一社会信用代码在此地址上已被暂时锁定" in tries[4].content.decode()
    assert right.status_code == 429
    assert (elsewhere.status_code, elsewhere.url) == (302, reverse("companies:home"))


def test_a_company_session_passes_no_staff_permission(demo: DemoSummary) -> None:
    at = scene()
    client = company_client(at.visit)
    staff_pages = [
        reverse("home"),
        reverse("plans:list"),
        reverse("checks:index"),
        reverse("inspections:visit", args=[at.visit.pk]),
        reverse("inspections:notice", args=[at.visit.pk, "pdf"]),
        reverse("companies:offer", args=[at.visit.pk]),
        reverse("companies:objections"),
        reverse("companies:answer", args=[1]),
        "/admin/",
    ]

    answers = [client.get(url) for url in staff_pages]
    api = client.get("/api/v1/plans")

    assert [(a.status_code, a.url.split("?")[0]) for a in answers] == [
        (302, "/admin/login/" if url == "/admin/" else reverse("login")) for url in staff_pages
    ]
    assert api.status_code in (401, 403)


@pytest.mark.parametrize("username", STAFF)
def test_a_staff_sign_in_never_acts_as_a_company(demo: DemoSummary, username: str) -> None:
    at = scene()
    client = company_client(at.visit)
    staff = staff_client(username)
    client.force_login(User.objects.get(username=username))  # the same browser, as staff

    mine = client.get(reverse("companies:home"))
    theirs = staff.get(reverse("companies:visit", args=[at.visit.pk]))

    assert (mine.status_code, mine.url) == (302, reverse("companies:sign_in"))
    assert (theirs.status_code, theirs.url) == (302, reverse("companies:sign_in"))


def test_a_sign_in_as_the_company_is_in_the_audit_log(demo: DemoSummary) -> None:
    visit = scene().visit
    token = notice_token(visit)

    sign_in(Client(), visit.entity.uscc, token)

    spent = SignInToken.objects.get(visit=visit, used_at__isnull=False)
    entry = AuditEntry.objects.get(
        model="companies.signintoken", object_id=str(spent.pk), action="update"
    )
    assert (entry.before, entry.after["used_at"]) == (
        {"used_at": None},
        spent.used_at.isoformat(),
    )
