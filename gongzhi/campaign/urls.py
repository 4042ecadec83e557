from django.urls import path

from gongzhi.campaign import views

app_name = "campaign"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/targets/new/", views.target_new, name="target_new"),
    path("<int:pk>/sync/", views.sync, name="sync"),
    path("targets/<int:pk>/", views.target, name="target"),
    path("targets/<int:pk>/report/", views.target_report, name="target_report"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
