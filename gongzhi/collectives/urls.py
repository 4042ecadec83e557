from django.urls import path

from gongzhi.collectives import views

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
]
