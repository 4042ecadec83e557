from django.urls import path

from gongzhi.places import views

app_name = "places"
urlpatterns = [
    path("", views.home, name="home"),
    path("places/d/<str:code>/", views.division, name="division"),
    path("places/c/<str:code>/", views.compound, name="compound"),
    path("places/b/<int:pk>/", views.building, name="building"),
    path("places/h/<int:pk>/", views.home_detail, name="home_detail"),
    path("places/search/", views.search, name="search"),
    path("places/pick/compounds/", views.pick_compounds, name="pick_compounds"),
    path("places/d/<str:code>/compounds/new/", views.compound_add, name="compound_add"),
    path("places/c/<str:code>/edit/", views.compound_edit, name="compound_edit"),
    path("places/c/<str:code>/buildings/new/", views.building_add, name="building_add"),
]
