from django.contrib.auth import views as auth_views
from django.urls import path

from gongzhi.accounts import security_views, views
from gongzhi.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_add, name="user_add"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_toggle_active, name="user_toggle_active"),
    path("users/<int:pk>/roles/<int:role_pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("security/", security_views.security, name="security"),
    path("security/password/", security_views.password_change, name="password_change"),
    path("security/two-factor/", security_views.otp_page, name="otp"),
    path("security/sessions/<int:pk>/end/", security_views.session_end, name="session_end"),
    path("security/tokens/<int:pk>/end/", security_views.token_end, name="token_end"),
    path("audit/logins/", security_views.login_log, name="login_log"),
    path("security/accounts/", security_views.security_admin, name="security_admin"),
    path("security/accounts/<int:pk>/delay/", security_views.throttle_clear, name="throttle_clear"),
    path("security/accounts/<int:pk>/two-factor/", security_views.otp_reset, name="otp_reset"),
]
