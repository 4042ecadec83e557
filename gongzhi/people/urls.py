from django.urls import path

from gongzhi.people import views

app_name = "people"

urlpatterns = [path("my-data/", views.my_data, name="my_data")]
