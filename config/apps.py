from django.contrib.admin.apps import AdminConfig


class ZuwendoAdminConfig(AdminConfig):
    default_site = "config.admin.ZuwendoAdminSite"
