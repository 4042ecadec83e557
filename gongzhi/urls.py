from django.contrib import admin
from django.urls import include, path

from gongzhi.accounts.audit import seal_admin
from gongzhi.accounts.history import history_page
from gongzhi.core.admin import lock_unscoped

lock_unscoped(admin.site)  # every admin scopes by place or is for superusers only (issue 15)
seal_admin(admin.site)  # and no admin deletes or edits a log, a superuser's included

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("gongzhi.accounts.urls")),
    path("history/<str:model>/<int:pk>/", history_page, name="history"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("gongzhi.api_urls")),
    path("affairs/", include("gongzhi.affairs.urls")),
    path("", include("gongzhi.cogovern.urls")),
    path("campaign/", include("gongzhi.campaign.urls")),
    path("dashboard/", include("gongzhi.dashboard.urls")),
    path("reporting/", include("gongzhi.reporting.urls")),
    path("monitoring/", include("gongzhi.monitoring.urls")),
    path("", include("gongzhi.party.urls")),
    path("", include("gongzhi.ledgers.urls")),
    path("", include("gongzhi.places.urls")),
    path("", include("gongzhi.people.urls")),
    path("centre/", include("gongzhi.centre.urls")),
    path("", include("gongzhi.trading.urls")),
    path("", include("gongzhi.agribiz.urls")),
    path("", include("gongzhi.collectives.urls")),
]

# Error pages in the site's layout, Chinese (English when switched), with a way back (gongzhi/errors.py).
handler403 = "gongzhi.errors.forbidden"
handler404 = "gongzhi.errors.not_found"
handler500 = "gongzhi.errors.server_error"
