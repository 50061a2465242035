"""The emulation page of a rating round (thi đua, khen thưởng) and its writes: registrations,
initiatives, discipline records, the departments' own levels, the council's size, the titles proposed
with the council's ballot, the leader's decision recognising them and its recorded reopen.

Who: the page is for those who see the whole agency's ratings (ratings.access.sees_agency: its leaders,
clerks and administrator). A head of department or a staff member gets 403 (the titles are weighed across
the whole agency, so a partial page would mislead; a person sees their own level on their rating), another
agency 404. The office and the leaders keep the records (keeps_emulation); the leaders decide the titles
(decides_titles). Once the titles are decided the page is read-only but for the reopen.

Every write refused (a foreign id, a date outside the round's year, a rule of ratings.services) shows the
Vietnamese reason on the page and changes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from cchc.forms import attach_errors
from ratings import services
from ratings.access import decides_titles, get_round, keeps_emulation, require, sees_agency
from ratings.emulation_forms import (
    BallotForm,
    CouncilForm,
    DecisionForm,
    DisciplineForm,
    InitiativeForm,
    NominationForm,
    RegistrationForm,
    ReopenForm,
    UnitLevelForm,
)
from ratings.models import (
    COLLECTIVE_TITLES,
    PERSONAL_TITLES,
    SHORT,
    Discipline,
    Initiative,
    Nomination,
    Round,
    Title,
)

CLOSED = "Danh hiệu thi đua của năm đã được quyết định: không sửa được (lãnh đạo mở lại nếu cần sửa)."


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form) -> str:
    return " ".join(message for messages_ in form.errors.values() for message in messages_)


def _back(round_: Round, anchor: str):
    return redirect(f"{reverse('ratings:emulation', args=[round_.pk])}#{anchor}")


def _viewable(request, pk) -> Round:
    round_ = get_round(request.user, pk)  # 404 outside the agency
    require(sees_agency(request.user, round_.agency_id))  # 403 for heads and staff
    return round_


def _keeper(request, pk) -> Round:
    round_ = _viewable(request, pk)
    require(keeps_emulation(request.user, round_))
    return round_


def _leader(request, pk) -> Round:
    round_ = _viewable(request, pk)
    require(decides_titles(request.user, round_))
    return round_


def _nomination(request, pk) -> Nomination:
    nomination = get_object_or_404(Nomination, pk=pk)
    nomination.round = _keeper(request, nomination.round_id)
    return nomination


# The page ---------------------------------------------------------------------------------------------


def _title_cells(titles, eligibility_of, nominated: set, target_id: int) -> list[dict]:
    cells = []
    for title in titles:
        found = eligibility_of(target_id, title)
        cells.append(
            {
                "title": title,
                "label": Title(title).label,
                "found": found,
                "nominated": (target_id, title) in nominated,
            }
        )
    return cells


def _context(request, round_: Round, **forms) -> dict:
    user = request.user
    decided = round_.titles_decided
    keeps = keeps_emulation(user, round_) and not decided
    decides = decides_titles(user, round_)
    standing = services.Standing(round_)
    departments = {row.pk: row for row in Department.objects.filter(agency_id=round_.agency_id)}

    registrations = list(round_.registrations.select_related("person__department", "department"))
    registered_people = {row.person_id: row for row in registrations if row.person_id}
    registered_departments = {row.department_id: row for row in registrations if row.department_id}

    people, rated_departments = [], []
    nominated_people = {(row.person_id, row.title) for row in standing.nominations if row.person_id}
    nominated_departments = {
        (row.department_id, row.title) for row in standing.nominations if row.department_id
    }
    for rating in standing.ratings:
        if rating.department_id not in rated_departments:
            rated_departments.append(rating.department_id)
        people.append(
            {
                "rating": rating,
                "level": SHORT.get(rating.decided_level, "") if rating.decided else "",
                "registered": registered_people.get(rating.person_id),
                "titles": _title_cells(PERSONAL_TITLES, standing.person, nominated_people, rating.person_id),
            }
        )

    units = []
    for department_id in rated_departments:
        department = departments[department_id]
        unit = standing.unit_levels.get(department_id)
        heads = [
            {
                "name": rating.person.full_name,
                "level": rating.get_decided_level_display() if rating.decided else "",
            }
            for rating in standing.ratings
            if rating.department_id == department_id and rating.is_head
        ]
        units.append(
            {
                "department": department,
                "unit": unit,
                "registered": registered_departments.get(department_id),
                "heads": heads,
                "members": len(standing.members(department_id)),
                "form": UnitLevelForm(
                    round_=round_,
                    initial={
                        "department": department_id,
                        "level": unit.level if unit else "",
                        "note": unit.note if unit else "",
                    },
                    prefix=f"unit-{department_id}",
                ),
                "titles": _title_cells(
                    COLLECTIVE_TITLES, standing.department, nominated_departments, department_id
                ),
            }
        )

    def name_of(nomination):
        if nomination.department_id:
            return departments[nomination.department_id].name
        rating = standing.by_person.get(nomination.person_id)
        return rating.person.full_name if rating else ""

    groups = []
    for title, label in Title.choices:
        rows = []
        for nomination in standing.nominations:
            if nomination.title != title:
                continue
            ballot = services.ballot_needed(nomination)
            rows.append(
                {
                    "nomination": nomination,
                    "name": name_of(nomination),
                    "department": (
                        standing.by_person[nomination.person_id].department
                        if nomination.person_id in standing.by_person
                        else None
                    ),
                    "found": standing.of(nomination),
                    "ballot": ballot,
                    "passes": standing.ballot_passes(nomination) if ballot else None,
                    "form": BallotForm(
                        initial={"votes_for": nomination.votes_for}, prefix=f"ballot-{nomination.pk}"
                    )
                    if ballot
                    else None,
                }
            )
        groups.append({"title": title, "label": label, "rows": rows})

    return {
        "round": round_,
        "decided": decided,
        "keeps": keeps,
        "decides": decides and not decided,
        "reopens": decides and decided,
        "registrations": registrations,
        "initiatives": Initiative.objects.filter(
            agency_id=round_.agency_id, recognised_on__year=round_.year
        ).select_related("person__department"),
        "disciplines": Discipline.objects.filter(
            agency_id=round_.agency_id, decided_on__year=round_.year
        ).select_related("person__department"),
        "units": units,
        "people": people,
        "groups": groups,
        "nominations": len(standing.nominations),
        "awarded": [row for group in groups for row in group["rows"] if row["nomination"].awarded],
        "ballot_share": services.BALLOT_SHARE,
        "undecided": sum(1 for rating in standing.ratings if not rating.decided),
        "registration_form": forms.get("registration_form") or RegistrationForm(round_=round_),
        "initiative_form": forms.get("initiative_form") or InitiativeForm(round_=round_),
        "discipline_form": forms.get("discipline_form") or DisciplineForm(round_=round_),
        "council_form": CouncilForm(initial={"council_members": round_.council_members or None}),
        "decision_form": forms.get("decision_form") or DecisionForm(round_=round_),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
    }


def _page(request, round_: Round, **forms):
    return render(request, "ratings/emulation.html", _context(request, round_, **forms))


@login_required
@require_safe
def emulation(request, pk):
    round_ = _viewable(request, pk)
    return _page(request, round_)


# Records: registrations, initiatives, discipline ----------------------------------------------------


FORM_KEYS = {
    RegistrationForm: "registration_form",
    InitiativeForm: "initiative_form",
    DisciplineForm: "discipline_form",
}


def _add(request, pk, form_class, *, name: str, done: str, anchor: str):
    round_ = _keeper(request, pk)
    if round_.titles_decided:
        messages.error(request, CLOSED)
        return _back(round_, anchor)
    form = form_class(request.POST, round_=round_)
    if form.is_valid():
        try:
            with transaction.atomic():
                form.create(by=request.user)
        except IntegrityError:
            form.add_error(None, "Đã có bản ghi này (vừa được người khác ghi): tải lại trang để xem.")
        else:
            messages.success(request, done)
            return _back(round_, anchor)
    messages.error(request, f"Chưa ghi {name}: xem các lỗi được đánh dấu bên dưới.")
    return _page(request, round_, **{FORM_KEYS[form_class]: form})


@login_required
@require_POST
def registration_add(request, pk):
    return _add(
        request,
        pk,
        RegistrationForm,
        name="đăng ký thi đua",
        done="Đã ghi đăng ký thi đua.",
        anchor="dang-ky",
    )


@login_required
@require_POST
def initiative_add(request, pk):
    return _add(request, pk, InitiativeForm, name="sáng kiến", done="Đã ghi sáng kiến.", anchor="sang-kien")


@login_required
@require_POST
def discipline_add(request, pk):
    return _add(request, pk, DisciplineForm, name="kỷ luật", done="Đã ghi kỷ luật.", anchor="ky-luat")


# The departments' levels, the council ---------------------------------------------------------------


@login_required
@require_POST
def unit_level_set(request, pk):
    round_ = _keeper(request, pk)
    prefix = request.POST.get("prefix", "")
    form = UnitLevelForm(request.POST, round_=round_, prefix=prefix if prefix.startswith("unit-") else None)
    if not form.is_valid():
        messages.error(request, "Chưa ghi xếp loại tập thể: " + _form_errors(form))
        return _back(round_, "xep-loai-tap-the")
    data = form.cleaned_data
    try:
        row = services.set_unit_level(
            round_, department=data["department"], level=data["level"], by=request.user, note=data["note"]
        )
    except ValidationError as error:
        messages.error(request, "Chưa ghi xếp loại tập thể: " + _errors(error))
    else:
        messages.success(request, f"Đã ghi xếp loại tập thể của {row.department}: {row.get_level_display()}.")
    return _back(round_, "xep-loai-tap-the")


@login_required
@require_POST
def council_set(request, pk):
    round_ = _keeper(request, pk)
    form = CouncilForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa ghi số thành viên Hội đồng: " + _form_errors(form))
        return _back(round_, "hoi-dong")
    try:
        round_ = services.set_council(round_, members=form.cleaned_data["council_members"])
    except ValidationError as error:
        messages.error(request, "Chưa ghi số thành viên Hội đồng: " + _errors(error))
    else:
        messages.success(request, f"Hội đồng thi đua, khen thưởng có {round_.council_members} thành viên.")
    return _back(round_, "hoi-dong")


# Nominations and the ballot ---------------------------------------------------------------------------


@login_required
@require_POST
def nomination_add(request, pk):
    round_ = _keeper(request, pk)
    form = NominationForm(request.POST, round_=round_)
    if not form.is_valid():
        messages.error(request, "Chưa đề nghị danh hiệu: " + _form_errors(form))
        return _back(round_, "xet-danh-hieu")
    data = form.cleaned_data
    try:
        nomination = services.nominate(
            round_,
            by=request.user,
            title=data["title"],
            person=data["person"],
            department=data["department"],
            note=data["note"],
        )
    except ValidationError as error:
        messages.error(request, "Chưa đề nghị danh hiệu: " + _errors(error))
        return _back(round_, "xet-danh-hieu")
    name = data["department"].name if nomination.department_id else data["person"].full_name
    messages.success(request, f"Đã đề nghị {nomination.get_title_display()} cho {name}.")
    return _back(round_, "de-nghi")


@login_required
@require_POST
def ballot_record(request, pk):
    nomination = _nomination(request, pk)
    round_ = nomination.round
    if not services.ballot_needed(nomination):
        messages.error(request, "Chỉ danh hiệu Chiến sĩ thi đua cơ sở cần Hội đồng bỏ phiếu.")
        return _back(round_, "de-nghi")
    form = BallotForm(request.POST, prefix=f"ballot-{nomination.pk}")
    if not form.is_valid():
        messages.error(request, "Chưa ghi kết quả bỏ phiếu: " + _form_errors(form))
        return _back(round_, "de-nghi")
    try:
        services.record_ballot(nomination, votes_for=form.cleaned_data["votes_for"])
    except ValidationError as error:
        messages.error(request, "Chưa ghi kết quả bỏ phiếu: " + _errors(error))
    else:
        messages.success(request, "Đã ghi kết quả bỏ phiếu của Hội đồng.")
    return _back(round_, "de-nghi")


@login_required
@require_POST
def nomination_withdraw(request, pk):
    nomination = _nomination(request, pk)
    round_ = nomination.round
    label = nomination.get_title_display()
    try:
        services.withdraw(nomination)
    except ValidationError as error:
        messages.error(request, "Chưa rút đề nghị: " + _errors(error))
    else:
        messages.success(request, f"Đã rút đề nghị {label}.")
    return _back(round_, "de-nghi")


# The decision ---------------------------------------------------------------------------------------


@login_required
@require_POST
def titles_decide(request, pk):
    round_ = _leader(request, pk)
    form = DecisionForm(request.POST, round_=round_)
    if form.is_valid():
        try:
            awarded = services.decide_titles(
                round_,
                by=request.user,
                number=form.cleaned_data["decision_number"],
                date=form.cleaned_data["decision_date"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Đã quyết định công nhận {len(awarded)} danh hiệu thi đua.")
            return _back(round_, "quyet-dinh")
    messages.error(request, "Chưa quyết định công nhận danh hiệu: xem các lỗi bên dưới.")
    return _page(request, round_, decision_form=form)


@login_required
@require_POST
def titles_reopen(request, pk):
    round_ = _leader(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.reopen_titles(round_, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Đã mở lại danh hiệu thi đua của năm để sửa.")
            return _back(round_, "quyet-dinh")
    messages.error(request, "Chưa mở lại danh hiệu thi đua: " + _form_errors(form))
    return _page(request, round_, reopen_form=form)
