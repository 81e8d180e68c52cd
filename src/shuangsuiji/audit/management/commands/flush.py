"""Django's `flush`, let through the guards on published records (audit/guards.py): emptying
the whole database (tests, `demo --rebuild`) is not editing a published record, and the
database's own guards still refuse a TRUNCATE or DELETE of one table."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from shuangsuiji.audit.guards import flushing


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with transaction.atomic(using=options["database"]), flushing(connection):
            super().handle(**options)
