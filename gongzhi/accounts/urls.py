from django.contrib.auth import views as auth_views
from django.urls import path

from gongzhi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_add, name="user_add"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke, name="role_revoke"),
]
