from django.urls import path

from gongzhi.centre import views, views_events, views_items, views_pipeline, views_referrals

app_name = "centre"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/enterprises/", views.enterprises, name="enterprises"),
    path("<int:pk>/board/", views_pipeline.board, name="board"),
    path("<int:pk>/events/", views_events.events, name="events"),
    path("<int:pk>/events/new/", views_events.event_new, name="event_new"),
    path("ev/<int:pk>/", views_events.event, name="event"),
    path("ev/<int:pk>/edit/", views_events.event_edit, name="event_edit"),
    path("ev/<int:pk>/agreements/new/", views_events.agreement_new, name="agreement_new"),
    path("<int:pk>/match/", views_pipeline.match, name="match"),
    path("<int:pk>/projects/new/", views_pipeline.project_new, name="project_new"),
    path("p/<int:pk>/", views_pipeline.project, name="project"),
    path("p/<int:pk>/edit/", views_pipeline.project_edit, name="project_edit"),
    path("p/<int:pk>/advance/", views_pipeline.project_advance, name="project_advance"),
    path("p/<int:pk>/credit/", views_pipeline.project_credit, name="project_credit"),
    path("p/<int:pk>/land/", views_pipeline.project_land, name="project_land"),
    path("requests/", views.requests, name="requests"),
    path("<int:pk>/items/", views_items.items, name="items"),
    path("<int:pk>/items/new/", views_items.item_new, name="item_new"),
    path("item/<int:pk>/edit/", views_items.item_edit, name="item_edit"),
    path("item/<int:pk>/retire/", views_items.item_retire, name="item_retire"),
    path("e/<int:pk>/request/", views.request_file, name="request_file"),
    path("r/<int:pk>/", views_referrals.request_page, name="request"),
    path("r/<int:pk>/refer/", views_referrals.referral_new, name="referral_new"),
    path("rf/<int:pk>/answer/", views_referrals.referral_answer, name="referral_answer"),
    path("<int:pk>/referrals/", views_referrals.referrals, name="referrals"),
    path("<int:pk>/partners/new/", views_referrals.partner_new, name="partner_new"),
    path("<int:pk>/partners/", views_referrals.partners, name="partners"),
    path("<int:pk>/partners/<int:partner_pk>/rename/", views_referrals.partner_rename, name="partner_rename"),
    path("<int:pk>/partners/<int:partner_pk>/end/", views_referrals.partner_end, name="partner_end"),
    path("r/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("r/<int:pk>/rate/", views.request_rate, name="request_rate"),
]
