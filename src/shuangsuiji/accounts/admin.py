"""Users in the back office.

Only the installation's superuser sees or sets `is_superuser`, `is_staff`, groups and single
permissions. A coordinator manages the users of its own region through one field, 角色, which
offers no role above its own and sets the role group and back-office access together; it never
sees a superuser. Who may do what stays in `accounts.permissions`.
"""

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from shuangsuiji.accounts.login import AdminSignInForm
from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import STAFF_ROLES, Role, grantable_roles, restrict, role_of
from shuangsuiji.accounts.scoped_admin import ScopedAdmin


class RoleFieldMixin(forms.ModelForm):  # type: ignore[type-arg]
    """One 角色 field instead of groups and flags; its choices are set per request."""

    role = forms.ChoiceField(label="角色", choices=[])
    grantable: tuple[Role, ...] = ()  # set per request by UserAdmin.get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role: Any = self.fields.get("role")
        if role is not None:
            role.choices = [(choice.value, choice.value) for choice in self.grantable]
            current = role_of(self.instance) if self.instance.pk else None
            role.initial = current.value if current is not None else None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        department = cleaned.get("department")
        inspector = cleaned.get("inspector")
        if department is None and "department" in self.fields:
            self.add_error("department", "请选择所属部门")
        if (
            inspector is not None
            and department is not None
            and (inspector.department_id != department.pk)
        ):
            self.add_error("inspector", "执法人员档案不属于所选部门")
        return cleaned


class RoleChangeForm(RoleFieldMixin, UserChangeForm):  # type: ignore[type-arg]
    pass


class RoleCreationForm(RoleFieldMixin, AdminUserCreationForm):  # type: ignore[type-arg]
    pass


ACCOUNT_FIELDS = (None, {"fields": ["username", "password"]})
PERSONAL_FIELDS = ("个人信息", {"fields": ["last_name", "first_name", "email"]})
DEPARTMENT_FIELDS = ("所属部门", {"fields": ["department", "inspector"]})
DATES = ("重要日期", {"fields": ["last_login", "date_joined"]})
SUPERUSER_PERMISSIONS = (
    "权限",
    {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
)
ROLE_FIELDS = ("角色", {"fields": ["is_active", "role"]})
ADD_FIELDS = ["username", "usable_password", "password1", "password2"]


@admin.register(User)
class UserAdmin(ScopedAdmin, DjangoUserAdmin):  # type: ignore[misc]
    list_display = ["username", "last_name", "first_name", "department", "is_active"]
    # Departments the listed users belong to, so other regions' names do not show.
    list_filter = [("department", admin.RelatedOnlyFieldListFilter), "is_active"]
    list_select_related = ["department"]
    autocomplete_fields = ["inspector"]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """A superuser is invisible (so unchangeable) to everyone but a superuser."""
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_list_filter(self, request: HttpRequest) -> Any:
        return ["groups", *self.list_filter] if request.user.is_superuser else self.list_filter

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            add = [*ADD_FIELDS] if request.user.is_superuser else [*ADD_FIELDS, "role"]
            return [(None, {"classes": ["wide"], "fields": add}), DEPARTMENT_FIELDS]
        permissions = SUPERUSER_PERMISSIONS if request.user.is_superuser else ROLE_FIELDS
        return [ACCOUNT_FIELDS, PERSONAL_FIELDS, permissions, DEPARTMENT_FIELDS, DATES]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if not request.user.is_superuser:
            kwargs["form"] = RoleChangeForm if obj is not None else RoleCreationForm
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form
        # A subclass per request: the declared field object is shared by every form class.
        return type(form.__name__, (form,), {"grantable": grantable_roles(request.user)})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The role, once chosen, decides the groups and the back-office flag; the scope check
        that follows (ScopedAdmin) sees the saved user."""
        role_name = form.cleaned_data.get("role")
        if role_name:
            user: User = form.instance
            user.groups.set([Group.objects.get(name=role_name)])
            user.is_staff = Role(role_name) in STAFF_ROLES
            user.save(update_fields=["is_staff"])
        super().save_related(request, form, formsets, change)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class ScopedAccessAttemptAdmin(AccessAttemptAdmin):
    """Lockouts of the user's own region's accounts; names no account elsewhere exists."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("记录不存在或无权访问")
        return obj

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        attempts = super().get_queryset(request)
        if request.user.is_superuser:
            return attempts
        users = restrict(User.objects.filter(is_superuser=False), request.user, "view")
        return attempts.filter(username__in=users.values("username"))


# The back office signs in through the same refusal of the demo's password as the site; its
# second factor is asked by accounts.second_factor's middleware, as on every page.
admin.site.login_form = AdminSignInForm
# Authenticator keys are nobody's to read or copy in the back office (the key is the second
# factor); a lost phone is reset with `shuangsuiji reset_second_factor USER`.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
