from django.urls import path

from gongzhi.cogovern import steps, views

app_name = "cogovern"
urlpatterns = [
    path("cogovern/", views.home, name="home"),
    path("cogovern/map/<str:code>/", views.map_page, name="map"),
    path("cogovern/map/<str:code>/data.geojson", views.map_data, name="map_data"),
    path("cogovern/map/<str:code>/a3.pdf", views.map_pdf, name="map_pdf"),
    path("cogovern/map/<str:code>/mark/", views.map_mark, name="map_mark"),
    path("cogovern/c/<str:code>/", views.card, name="card"),
    path("cogovern/c/<str:code>/steps/", steps.steps, name="steps"),
    path("cogovern/c/<str:code>/steps/<slug:step>/", steps.step, name="step"),
    path("cogovern/c/<str:code>/pick/<slug:who>/", steps.pick_person, name="pick_person"),
    path("cogovern/overdue/<str:code>/", views.overdue, name="overdue"),
    path("cogovern/redblack/<str:code>/", views.redblack, name="redblack"),
    path("cogovern/companies/", views.companies, name="companies"),
    path("cogovern/companies/<int:pk>/", views.company, name="company"),
]
