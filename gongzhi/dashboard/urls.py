from django.urls import path

from gongzhi.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.place, name="place"),
    path("<str:code>/snapshot/", views.snapshot, name="snapshot"),
    path("<str:code>/bulletin/", views.bulletin, name="bulletin"),
    path("<str:code>/bulletin/template/", views.bulletin_template, name="bulletin_template"),
]
