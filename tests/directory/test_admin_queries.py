"""Back-office list pages cost the same number of queries for 1 row as for 3."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.factories import CheckItemFactory, ConflictFactory, EntityFactory, InspectorFactory

pytestmark = pytest.mark.django_db

LISTS = {
    "entity": EntityFactory,
    "inspector": InspectorFactory,
    "checkitem": CheckItemFactory,
    "conflict": ConflictFactory,
}


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("model", list(LISTS))
def test_changelist_query_count_does_not_grow_with_rows(world: World, model: str) -> None:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse(f"admin:directory_{model}_changelist")
    LISTS[model]()
    one = queries_for(client, url)

    LISTS[model]()
    LISTS[model]()
    three = queries_for(client, url)

    assert three == one
