from django.contrib import admin

from .models import Delivery, Notification, Occurrence, Reminder, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "agency", "active", "created_at")
    list_filter = ("active",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("task_id", "window", "channel", "user", "endpoint", "state", "attempts", "next_attempt_at",
                    "sent_at")
    list_filter = ("state", "channel", "kind")
    search_fields = ("window", "last_error")
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("task_id", "window", "kind", "opens_on", "recipients", "created_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Reminder._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("started_at", "channel", "address", "ok", "retry", "status_code", "duration_ms")
    list_filter = ("channel", "ok")
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ("previous_id", "task_id", "series_id", "index", "recurrence", "due_date")
    readonly_fields = [f.name for f in Occurrence._meta.fields]
