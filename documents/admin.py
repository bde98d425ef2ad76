from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Document, DocumentReceipt, DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_regulatory", "in_symbol", "valid_from"]


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["symbol", "doc_type", "issued_on", "school"]
    search_fields = ["symbol", "search_text"]
    list_filter = ["doc_type", "system"]


@admin.register(DocumentReceipt)
class DocumentReceiptAdmin(SimpleHistoryAdmin):
    list_display = ["document", "school", "sent_at", "shares_tasks"]
    readonly_fields = ["document", "school", "sent_at", "sent_by"]
