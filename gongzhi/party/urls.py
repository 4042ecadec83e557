from django.urls import path

from gongzhi.party import views

app_name = "party"
urlpatterns = [
    path("party/", views.home, name="home"),
    path("party/d/<str:code>/", views.dashboard, name="dashboard"),
    path("party/c/<str:code>/", views.chain, name="chain"),
    path("party/c/<str:code>/tree/", views.chain_tree, name="chain_tree"),
    path("party/c/<str:code>/edit/<str:kind>/", views.chain_form, name="chain_form"),
    path("party/households/<int:pk>/links/", views.household_links, name="household_links"),
    path("party/households/<int:pk>/remove/", views.household_remove, name="household_remove"),
    path("party/groups/<int:pk>/remove/", views.group_remove, name="group_remove"),
    path("party/organisations/<int:pk>/remove/", views.organisation_remove, name="organisation_remove"),
    path("party/gaps/<str:code>/", views.gaps, name="gaps"),
    path("party/members/", views.member_list, name="members"),
    path("party/organisations/", views.organisation_list, name="organisations"),
    path("party/settings/", views.settings_page, name="settings"),
    path("party/c/<str:code>/pick/candidates/", views.pick_candidates, name="pick_candidates"),
]
