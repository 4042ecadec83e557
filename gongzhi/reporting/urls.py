from django.urls import path

from gongzhi.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("me/records/", views.my_record, name="my_record"),
    path("matches/<int:pk>/answer/", views.answer, name="answer"),
    path("matches/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("overview/", views.overview, name="overview"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/card/<int:year>/<int:quarter>.xlsx", views.card_xlsx, name="card_xlsx"),
    path("units/<int:pk>/card/<int:year>/<int:quarter>.pdf", views.card_pdf, name="card_pdf"),
    path("c/<str:code>/report/", views.staff_report, name="staff_report"),
    path("c/<str:code>/needs/new/", views.need_new, name="need_new"),
    path("needs/", views.need_list, name="needs"),
    path("needs/<int:pk>/", views.need, name="need"),
    path("needs/<int:pk>/propose/", views.propose, name="propose"),
    path("run/", views.run, name="run"),
    path("records/", views.record_list, name="records"),
    path("records/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("shortfall/", views.shortfall, name="shortfall"),
    path("skills/", views.skills, name="skills"),
]
urlpatterns += [
    path("units/<int:pk>/resources/", views.unit_resources, name="resources"),
    path("units/<int:pk>/projects/", views.unit_projects, name="projects"),
    path("posts/", views.posts, name="posts"),
    path("hours/", views.hours, name="hours"),
    path("me/posts/", views.claim, name="claim"),
]
