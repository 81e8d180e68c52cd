"""The site's URLs with the public audit head mounted at /public/audit-head/, as the site's
urls.py is to mount it (until it does, the tests of that page use this)."""

from django.urls import include, path

from shuangsuiji.urls import urlpatterns as site

urlpatterns = list(site)
if not any(getattr(pattern, "namespace", None) == "audit" for pattern in site):
    urlpatterns.append(path("public/audit-head/", include("shuangsuiji.audit.urls")))
