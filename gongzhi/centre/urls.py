from django.urls import path

from gongzhi.centre import views

app_name = "centre"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/enterprises/", views.enterprises, name="enterprises"),
    path("requests/", views.requests, name="requests"),
    path("e/<int:pk>/request/", views.request_file, name="request_file"),
    path("r/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("r/<int:pk>/rate/", views.request_rate, name="request_rate"),
]
