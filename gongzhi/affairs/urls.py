from django.urls import path

from gongzhi.affairs import chain_views, views

app_name = "affairs"
urlpatterns = [
    path("", views.matter_list, name="matters"),
    path("new/", views.matter_new, name="matter_new"),
    path("m/<int:pk>/", views.matter_detail, name="matter"),
    path("m/<int:pk>/advance/", views.matter_advance, name="matter_advance"),
    path("m/<int:pk>/note/", views.matter_note, name="matter_note"),
    path("m/<int:pk>/meetings/", views.meeting_new, name="meeting_new"),
    path("m/<int:pk>/attachments/", views.attachment_new, name="attachment_new"),
    path("m/<int:pk>/votes/", views.vote_new, name="vote_new"),
    path("m/<int:pk>/emergency/", views.matter_emergency, name="matter_emergency"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("ballots/<int:pk>/mandate/", views.mandate_download, name="mandate"),
    path("v/<int:pk>/", views.vote_detail, name="vote"),
    path("v/<int:pk>/cast/", views.vote_cast, name="vote_cast"),
    path("v/<int:pk>/record/", views.vote_record, name="vote_record"),
    path("v/<int:pk>/sheet/", views.vote_sheet, name="vote_sheet"),
    path("v/<int:pk>/close/", views.vote_close, name="vote_close"),
    path("v/<int:pk>/publish/", views.vote_publish, name="vote_publish"),
    path("v/<int:pk>/chain/", chain_views.vote_chain, name="vote_chain"),
    path("public/<uuid:public_id>/", views.vote_public, name="vote_public"),
]
