from django.urls import path

from gongzhi.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("ledgers/", views.home, name="home"),
    path("ledgers/<str:slug>/template/", views.template, name="template"),
    path("ledgers/<str:slug>/export/", views.export, name="export"),
    path("ledgers/upload/", views.upload, name="upload"),
    path("ledgers/imports/<int:pk>/", views.status, name="status"),
    path("ledgers/jobs/<int:pk>/download/", views.download, name="download"),
]
