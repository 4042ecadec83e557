from django.urls import path

from gongzhi.collectives import holdings, views

app_name = "collectives"

urlpatterns = [
    path("collectives/", views.home, name="home"),
    path("collectives/contracts/", views.contracts, name="contracts"),
    path("collectives/rating/", views.rating, name="rating"),
    path("collectives/settings/", views.settings_page, name="settings"),
    path("collectives/public/", views.public, name="public"),
    path("collectives/<int:pk>/", views.detail, name="detail"),
    path("collectives/<int:pk>/contracts/new/", views.contract_new, name="contract_new"),
    path("collectives/<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("collectives/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path("collectives/decisions/<int:pk>/", views.decision, name="decision"),
    path("collectives/decisions/<int:pk>/step/", views.step, name="step"),
    path("collectives/<int:pk>/disclosure/<str:quarter>/", views.disclosure, name="disclosure"),
    path("collectives/<int:pk>/disclosure/<str:quarter>.pdf", views.disclosure_pdf, name="disclosure_pdf"),
    path("collectives/<int:pk>/assets/new/", holdings.holding_new, {"what": "asset"}, name="asset_new"),
    path("collectives/assets/<int:pk>/", holdings.holding, {"what": "asset"}, name="asset"),
    path("collectives/assets/<int:pk>/edit/", holdings.holding_edit, {"what": "asset"}, name="asset_edit"),
    path(
        "collectives/<int:pk>/resources/new/", holdings.holding_new, {"what": "resource"}, name="resource_new"
    ),
    path("collectives/resources/<int:pk>/", holdings.holding, {"what": "resource"}, name="resource"),
    path(
        "collectives/resources/<int:pk>/edit/",
        holdings.holding_edit,
        {"what": "resource"},
        name="resource_edit",
    ),
    path("collectives/<int:pk>/accounts/new/", holdings.holding_new, {"what": "account"}, name="account_new"),
    path("collectives/accounts/<int:pk>/", holdings.holding, {"what": "account"}, name="account"),
    path(
        "collectives/accounts/<int:pk>/edit/", holdings.holding_edit, {"what": "account"}, name="account_edit"
    ),
    path("collectives/entries/<int:pk>/edit/", holdings.entry_edit, name="entry_edit"),
]
