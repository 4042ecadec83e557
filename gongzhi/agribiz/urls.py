from django.urls import path

from gongzhi.agribiz import views

app_name = "agribiz"

urlpatterns = [
    path("agribiz/", views.home, name="home"),
    path("agribiz/compare/", views.compare, name="compare"),
    path("agribiz/coops/", views.coops, name="coops"),
    path("agribiz/coops/new/", views.coop_new, name="coop_new"),
    path("agribiz/coops/<int:pk>/", views.coop, name="coop"),
    path("agribiz/coops/<int:pk>/edit/", views.coop_edit, name="coop_edit"),
    path("agribiz/coops/<int:pk>/members/", views.coop_members, name="coop_members"),
    path("agribiz/coops/<int:pk>/report/", views.coop_report, name="coop_report"),
    path("agribiz/farms/", views.farms, name="farms"),
    path("agribiz/farms/new/", views.farm_new, name="farm_new"),
    path("agribiz/farms/<int:pk>/", views.farm, name="farm"),
    path("agribiz/farms/<int:pk>/edit/", views.farm_edit, name="farm_edit"),
    path("agribiz/farms/<int:pk>/report/", views.farm_report, name="farm_report"),
]
