from django.urls import path

from gongzhi.affairs import chain_views, views, views_assembly, views_owners, views_paper, views_sheet

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
    path("m/<int:pk>/take/", views.matter_take, name="matter_take"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("ballots/<int:pk>/mandate/", views.mandate_download, name="mandate"),
    path("v/<int:pk>/", views.vote_detail, name="vote"),
    path("v/<int:pk>/cast/", views.vote_cast, name="vote_cast"),
    path("v/<int:pk>/record/", views.vote_record, name="vote_record"),
    path("v/<int:pk>/sheet/", views_sheet.vote_sheet, name="vote_sheet"),
    path("v/<int:pk>/sheet/<int:job>/", views_sheet.vote_sheet_job, name="vote_sheet_job"),
    path("v/<int:pk>/close/", views.vote_close, name="vote_close"),
    path("v/<int:pk>/publish/", views.vote_publish, name="vote_publish"),
    path("v/<int:pk>/chain/", chain_views.vote_chain, name="vote_chain"),
    path("public/<uuid:public_id>/", views.vote_public, name="vote_public"),
    path("m/<int:pk>/notice/", views_assembly.notice_new, name="notice_new"),
    path("m/<int:pk>/objections/", views_assembly.objection_new, name="objection_new"),
    path("m/<int:pk>/objections/answer/", views_assembly.objection_answer, name="objection_answer"),
    path("notice/<uuid:public_id>/", views_assembly.notice_public, name="notice_public"),
    path("v/<int:pk>/canvass/", views_paper.vote_canvass, name="vote_canvass"),
    path("v/<int:pk>/form/", views_paper.vote_form, name="vote_form"),
    path("v/<int:pk>/unit/", views_paper.vote_unit, name="vote_unit"),
    path("me/", views_owners.my_page, name="my_page"),
    path("homes/<int:pk>/owners/", views_owners.home_owners, name="home_owners"),
]
