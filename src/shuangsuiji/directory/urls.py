from django.urls import path

from shuangsuiji.directory import exchange_views, views

app_name = "directory"
urlpatterns = [
    path("entities/", views.entity_list, name="entities"),
    path("entities/count/", views.entity_count, name="entity-count"),
    path("entities/export.xlsx", views.entity_export, name="entity-export"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("entities/import/", views.import_upload, name="import-upload"),
    path("entities/import/template.xlsx", views.import_template, name="import-template"),
    path("entities/import/<int:pk>/", views.import_detail, name="import"),
    path("entities/import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("entities/exchange/", exchange_views.exchange, name="exchange"),
    path("inspectors/", views.inspector_list, name="inspectors"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector"),
]
