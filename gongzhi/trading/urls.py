from django.urls import path

from gongzhi.trading import views

app_name = "trading"

urlpatterns = [
    path("trading/", views.index, name="index"),
    path("trading/new/", views.new, name="new"),
    path("trading/mine/", views.mine, name="mine"),
    path("trading/report/", views.report, name="report"),
    path("trading/register/", views.register, name="register"),
    path("trading/bidders/", views.bidders, name="bidders"),
    path("trading/bidders/<int:pk>/review/", views.review, name="review"),
    path("trading/<int:pk>/", views.detail, name="detail"),
    path("trading/<int:pk>/deposit/", views.deposit, name="deposit"),
    path("trading/<int:pk>/bid/", views.bid, name="bid"),
    path("trading/<int:pk>/close/", views.close, name="close"),
    path("trading/<int:pk>/tenant/", views.tenant, name="tenant"),
    path("trading/<int:pk>/contract/", views.contract, name="contract"),
    path("trading/<int:pk>/settle/", views.settle, name="settle"),
    path("trading/<int:pk>/instalments/<int:seq>/pay/", views.instalment, name="instalment"),
    path("trading/<int:pk>/relist/", views.relist, name="relist"),
    path("trading/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
