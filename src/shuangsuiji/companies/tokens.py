"""The one-time sign-in token printed on a visit's notice (企业端登录令牌).

The token is derived, like the rating code, from the visit and the printing's number under the
installation's secret: the notice can be printed again with the same token until it is spent,
and the database keeps only its SHA-256 digest, so whoever reads the database cannot sign in.
It has 12 characters of the inspection code's alphabet (60 bits), typed as the code is. Once
it has opened a session it is spent; the next notice printed carries the next one.

This is the token path the issue asks for now; a real company identity (电子营业执照, a
provincial unified login) replaces it at `companies.session.start` (docs/company.md)."""

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shuangsuiji.assignments.models import Visit
from shuangsuiji.audit.recorder import append
from shuangsuiji.checks.codes import ALPHABET, READ_AS
from shuangsuiji.companies.models import SignInToken
from shuangsuiji.directory.models import Entity

TOKEN_LENGTH = 12
# A digest no token has: compared against when the company has no open token, so a wrong
# 统一社会信用代码 takes as long as a wrong token.
NO_TOKEN = "0" * 64


def _derive(visit_id: int, number: int) -> str:
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"company-sign-in:{visit_id}:{number}".encode(), "sha256"
    )
    value = int.from_bytes(mac.digest()[:8], "big") >> 4  # 60 bits
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(TOKEN_LENGTH))


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def shown(token: str) -> str:
    return "-".join(token[i : i + 4] for i in range(0, TOKEN_LENGTH, 4))


def read(text: str) -> str:
    """A token as typed from paper (any case, dashes, I/L for 1, O for 0), or "" if it
    cannot be one."""
    token = text.upper().translate(READ_AS)
    return token if len(token) == TOKEN_LENGTH and set(token) <= set(ALPHABET) else ""


def notice_token(visit: Visit) -> str:
    """The token to print on the visit's notice: the current one while unspent, else the next.
    Called by the notice, which its own view has already allowed (whoever may see the visit)."""
    for _ in range(3):  # two printings at once may both try to add the next number
        latest = SignInToken.objects.filter(visit=visit).order_by("-number").first()
        if latest is not None and latest.used_at is None:
            return shown(_derive(visit.pk, latest.number))
        number = latest.number + 1 if latest is not None else 1
        token = _derive(visit.pk, number)
        try:
            with transaction.atomic():
                SignInToken.objects.create(visit=visit, number=number, digest=digest_of(token))
        except IntegrityError:
            continue
        return shown(token)
    raise RuntimeError("无法生成企业登录令牌")


def spend(uscc: str, token_text: str) -> Entity | None:
    """The company whose open token this is, the token spent; None if the pair does not match
    (a wrong code, a wrong or spent token, a superseded visit's token: one answer for all).
    Every open token of the company is compared in constant time."""
    given = digest_of(read(token_text) or "-")
    candidates = list(
        SignInToken.objects.filter(
            visit__entity__uscc=uscc.strip().upper(),
            visit__assignment__superseded_by__isnull=True,
            used_at__isnull=True,
        ).select_related("visit__entity")
    )
    match = None
    for candidate in candidates or [None]:
        stored = candidate.digest if candidate is not None else NO_TOKEN
        if hmac.compare_digest(stored, given) and candidate is not None:
            match = candidate
    if match is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        # Spent once: of two sign-ins racing with one token, only one updates the row.
        spent = SignInToken.objects.filter(pk=match.pk, used_at__isnull=True).update(used_at=now)
        if spent != 1:
            return None
        # An UPDATE sends no signal: the audit chain is told itself that the token was spent
        # (a sign-in as the company leaves a trace, whoever made it).
        append("update", match, {"used_at": None}, {"used_at": now.isoformat()})
    return match.visit.entity


def sign_in_address(code_url: str) -> str:
    """The company sign-in page's full address, from the code card's (both on this site): the
    notice is given the card's absolute URL by its view."""
    site = code_url.split("/c/")[0] if "/c/" in code_url else ""
    return site + reverse("companies:sign_in")
