from django.urls import path

from gongzhi.people import views

app_name = "people"

urlpatterns = [
    path("me/my-data/", views.my_data, name="my_data"),
    path("people/", views.person_search, name="search"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/pick/", views.pick_persons, name="pick_persons"),
]
