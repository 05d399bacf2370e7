from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bench.reference.models import ReferenceRow


@login_required
@require_POST
def reference_save(request: HttpRequest, slug: str, case_ref: str, question: str) -> HttpResponse:
    """The answer save's floor: the same request and response, one row read under a lock and updated."""
    with transaction.atomic():
        row = ReferenceRow.objects.select_for_update().get(user=request.user)
        row.value = request.POST.get(f"value-{question}", "")
        row.note = request.POST.get(f"note-{question}", "")
        row.version += 1
        row.save(update_fields=["value", "note", "version"])
    context = {"code": question, "dom": question.replace(".", "-"), "answer": row, "saved_at": timezone.localtime()}
    return render(request, "cases/includes/answer_saved.html", context)
