"""Legal documents become agency-owned (step 2 of 3): each document goes to the agency whose plans cite
or implement it; one used by the plans of several agencies is copied for each of them and each
agency's plans are pointed at its own copy, so that every plan prints exactly what it printed before
and an edit of one agency's record never reaches another's. The original stays with the agency of the
earliest plan using it (the one that entered it). A document no plan uses was offered to every
agency's clerks: each agency with plans gets a copy (every agency when none has plans yet; with no
agency at all there is nobody to own it and it goes).

Backwards, the copies of one number and date are merged into the oldest record (the other agencies'
texts are lost: the shared layout cannot hold them)."""

from collections import defaultdict

from django.db import migrations

COPIED = ("kind", "number", "issued_on", "issuer", "summary")


def give_each_agency_its_own(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    LegalDocument = apps.get_model("plans", "LegalDocument")
    Plan = apps.get_model("plans", "Plan")
    PlanLegalBasis = apps.get_model("plans", "PlanLegalBasis")

    users: dict[int, dict[int, int]] = defaultdict(dict)  # document → agency → its earliest plan
    citing = PlanLegalBasis.objects.values_list("document_id", "plan__agency_id", "plan_id")
    implementing = Plan.objects.filter(implements__isnull=False).values_list(
        "implements_id", "agency_id", "pk"
    )
    for rows in (citing, implementing):
        for document_id, agency_id, plan_id in rows:
            earliest = users[document_id].get(agency_id)
            users[document_id][agency_id] = plan_id if earliest is None else min(earliest, plan_id)
    planning = sorted(set(Plan.objects.values_list("agency_id", flat=True)))
    unused_owners = planning or list(Agency.objects.order_by("pk").values_list("pk", flat=True))

    for document in LegalDocument.objects.filter(agency__isnull=True).order_by("pk"):
        used = users.get(document.pk)
        owners = sorted(used, key=used.get) if used else unused_owners
        if not owners:
            document.delete()
            continue
        first, *others = owners
        LegalDocument.objects.filter(pk=document.pk).update(agency_id=first)
        for agency_id in others:
            copy = LegalDocument.objects.create(
                agency_id=agency_id, **{name: getattr(document, name) for name in COPIED}
            )
            PlanLegalBasis.objects.filter(document_id=document.pk, plan__agency_id=agency_id).update(
                document_id=copy.pk
            )
            Plan.objects.filter(implements_id=document.pk, agency_id=agency_id).update(implements_id=copy.pk)


def merge_the_copies(apps, schema_editor):
    LegalDocument = apps.get_model("plans", "LegalDocument")
    Plan = apps.get_model("plans", "Plan")
    PlanLegalBasis = apps.get_model("plans", "PlanLegalBasis")
    kept: dict[tuple, int] = {}
    for pk, number, issued_on in LegalDocument.objects.order_by("pk").values_list(
        "pk", "number", "issued_on"
    ):
        keeper = kept.setdefault((number, issued_on), pk)
        if keeper == pk:
            continue
        for link in PlanLegalBasis.objects.filter(document_id=pk):
            if PlanLegalBasis.objects.filter(plan_id=link.plan_id, document_id=keeper).exists():
                link.delete()  # one agency held both records: cited once
            else:
                PlanLegalBasis.objects.filter(pk=link.pk).update(document_id=keeper)
        Plan.objects.filter(implements_id=pk).update(implements_id=keeper)
        LegalDocument.objects.filter(pk=pk).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_legal_document_agency")]

    operations = [migrations.RunPython(give_each_agency_its_own, merge_the_copies)]
