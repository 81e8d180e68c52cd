"""Telling users what waits for them (`dashboard.inbox`) outside the site: a digest per user
through one channel — the console (the demo, and a log a gateway can tail), email (Django's
mail settings), or a webhook in the text-message format that both 政务微信 (企业微信) group
robots and 钉钉 robots accept. An SMS gateway or a provincial messaging platform is one more
class with `send`.

A digest already sent is not sent again within `RESEND_AFTER`, unless what waits changed."""

import hashlib
import json
import sys
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from shuangsuiji.accounts.models import User
from shuangsuiji.dashboard.inbox import Waiting, inbox_for
from shuangsuiji.dashboard.models import SentNotice

RESEND_AFTER = timedelta(hours=20)
SUBJECT = "双随机抽查平台：您有待办事项"
WEBHOOK_TIMEOUT = 10


class Channel(Protocol):
    name: str

    def send(self, user: Any, subject: str, body: str) -> bool:
        """Deliver, or return False when the user cannot be reached this way."""


class ConsoleChannel:
    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, user: Any, subject: str, body: str) -> bool:
        self.stream.write(f"== {user.username} · {subject}\n{body}\n")
        return True


class EmailChannel:
    name = "email"

    def send(self, user: Any, subject: str, body: str) -> bool:
        if not user.email:
            return False
        send_mail(subject, body, None, [user.email])
        return True


class WebhookChannel:
    """A group robot's webhook (企业微信 and 钉钉 share the text format): the digest names the
    person it is for, since the group reads it."""

    name = "webhook"

    def __init__(self, url: str) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("NOTIFY_WEBHOOK_URL 应为 http(s) 地址")
        self.url = url

    def send(self, user: Any, subject: str, body: str) -> bool:
        who = user.get_full_name() or user.username
        payload = {"msgtype": "text", "text": {"content": f"@{who} {subject}\n{body}"}}
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
            return 200 <= response.status < 300


def configured_channel(name: str | None = None, stream: TextIO | None = None) -> Channel:
    chosen = name or getattr(settings, "NOTIFY_CHANNEL", "console")
    if chosen == "console":
        return ConsoleChannel(stream)
    if chosen == "email":
        return EmailChannel()
    if chosen == "webhook":
        return WebhookChannel(getattr(settings, "NOTIFY_WEBHOOK_URL", ""))
    raise ValueError(f"未知的提醒渠道 {chosen!r}：应为 console、email 或 webhook")


@dataclass
class Sent:
    sent: int = 0
    unchanged: int = 0  # the same digest went out recently
    unreachable: int = 0  # no address for this channel


def digest_text(items: list[Waiting]) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [f"{'【急】' if item.urgent else '· '}{item.text}  {base}{item.url}" for item in items]
    return "\n".join(lines)


def send_digests(channel: Channel, *, users: Any = None) -> Sent:
    """Send each active user with something waiting its digest, unless sent unchanged lately."""
    counts = Sent()
    since = timezone.now() - RESEND_AFTER
    people = users if users is not None else User.objects.filter(is_active=True)
    for user in people.order_by("pk"):
        items = inbox_for(user)
        if not items:
            continue
        body = digest_text(items)
        digest = hashlib.sha256(body.encode()).hexdigest()
        recent = SentNotice.objects.filter(user=user, channel=channel.name, sent_at__gte=since)
        if recent.filter(digest=digest).exists():
            counts.unchanged += 1
            continue
        if not channel.send(user, SUBJECT, body):
            counts.unreachable += 1
            continue
        SentNotice.objects.create(user=user, channel=channel.name, digest=digest, items=len(items))
        counts.sent += 1
    return counts
