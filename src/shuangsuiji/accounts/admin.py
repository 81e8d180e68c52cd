from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.scoped_admin import ScopedAdmin


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = ["username", "last_name", "first_name", "department", "is_active"]
    list_filter = ["groups", "department", "is_active"]
    list_select_related = ["department"]
    autocomplete_fields = ["inspector"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("所属部门", {"fields": ["department", "inspector"]}),
    ]
