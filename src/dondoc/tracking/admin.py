from django.contrib import admin

from .models import Agency, AgencyAlias, AgencySuccession, Document, Event, Profile, Task


class AliasInline(admin.TabularInline):
    model = AgencyAlias
    fields = ("alias",)
    extra = 1


class SuccessionInline(admin.TabularInline):
    model = AgencySuccession
    fk_name = "predecessor"
    fields = ("successor", "effective_on", "primary", "applied_at")
    readonly_fields = ("applied_at",)
    autocomplete_fields = ("successor",)
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "valid_from", "valid_to", "source")
    list_filter = ("kind", "source")
    search_fields = ("name", "short_name", "aliases__alias")
    autocomplete_fields = ("parent",)
    inlines = [AliasInline, SuccessionInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("number", "type", "issuer_name", "issued_date", "status", "created_at")
    list_filter = ("type", "status")
    search_fields = ("number", "title", "issuer_name")
    readonly_fields = ("content_hash", "identity_key", "created_at", "created_by", "confirmed_at")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written: tasks and events change only through services, which append to the history."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    """Read-only: a task changes through its events (services), never by editing columns."""

    list_display = ("id", "content", "status", "due_date", "document")
    list_filter = ("status",)
    search_fields = ("search_text",)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "task", "kind", "on", "actor_name", "at")
    list_filter = ("kind",)


admin.site.register(Profile)
