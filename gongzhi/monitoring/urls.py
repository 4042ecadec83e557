from django.urls import path

from gongzhi.monitoring import forms_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("households/", views.households, name="households"),
    path("households/new/", forms_views.household_new, name="household_new"),
    path("households/<int:pk>/visit/", views.visit, name="visit"),
    path("households/<int:pk>/income/", forms_views.income, name="income"),
    path("settings/", forms_views.settings_page, name="settings"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("cases/<int:pk>/eliminate/", views.eliminate, name="eliminate"),
    path("cases/<int:pk>/measures/", views.measure, name="measure"),
    path("overdue/", views.overdue, name="overdue"),
    path("stalled/", views.stalled, name="stalled"),
    path("warnings/", views.warnings, name="warnings"),
    path("mine/", views.mine, name="mine"),
]
