from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "shuangsuiji.companies"
    verbose_name = "企业端"
