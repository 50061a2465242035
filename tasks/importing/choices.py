"""The form the preview page shows the clerk's choices with."""

from django import forms


class ImportChoicesForm(forms.Form):
    """The clerk's choices on the preview, shown in place: for each name in the file that is not a
    department's own name, what it is (name-<n>: an outside body kept as written, every department, or
    one of the departments) and, for an outside body that leads, the department following it up
    (follow-<n>); for each section its own reform area (area-<n>); and the department following up
    every outside lead left without one (default_follow_up). The view reads the posted choices by
    these names (importing.import_choose checks them); the form only shows them in place."""

    def __init__(self, preview):
        super().__init__(auto_id="%s")
        departments = [(department.pk, department.name) for department in preview.departments]
        self.fields["default_follow_up"] = forms.ChoiceField(
            label="Đơn vị theo dõi, đôn đốc nhiệm vụ do cơ quan ngoài chủ trì",
            choices=[("", "— Chọn đơn vị —"), *departments],
            initial=preview.default_follow_up.pk if preview.default_follow_up else None,
            required=False,
            help_text="Áp dụng cho mọi cơ quan ngoài chưa chọn đơn vị theo dõi riêng ở dưới.",
        )
        for entry in preview.unknown_names:
            meanings = [("outside", "Cơ quan ngoài – giữ tên như trong tệp")]
            if not entry["as_lead"]:
                meanings.append(("all", "Tất cả phòng, đơn vị (trừ đơn vị chủ trì)"))
            name = f"name-{entry['index']}"
            initial = entry["target"].pk if entry["target"] is not None else entry["meaning"]
            self.fields[name] = forms.ChoiceField(
                label=f"“{entry['name']}”" + (" (chủ trì)" if entry["as_lead"] else ""),
                choices=[*meanings, ("Là đơn vị của cơ quan", departments)],
                initial=initial,
                help_text=self._hint(entry),
            )
            entry["field"] = self[name]
            if entry["as_lead"]:
                follow = f"follow-{entry['index']}"
                self.fields[follow] = forms.ChoiceField(
                    label="Đơn vị theo dõi",
                    choices=[("", "— Theo lựa chọn chung —"), *departments],
                    initial=entry["follow_up_department"].pk if entry["follow_up_department"] else None,
                    required=False,
                )
                entry["follow_field"] = self[follow]
        areas = [(area.pk, area.name) for area in preview.areas]
        for row in preview.group_rows:
            name = f"area-{row.section}"
            inherited = row.inherited_area
            self.fields[name] = forms.ChoiceField(
                label="Lĩnh vực CCHC",
                choices=[
                    ("", f"— Theo mục trên: {inherited} —" if inherited else "— Không thuộc lĩnh vực nào —"),
                    *areas,
                ],
                initial=row.area.pk if row.area else None,
                required=False,
            )
            row.area_field = self[name]

    @staticmethod
    def _hint(entry) -> str:
        if entry["how"] == "remembered":
            return "Theo lựa chọn ở lần nhập trước."
        if entry["suggested"]:
            return f"Gợi ý (tên gần giống): {entry['suggested']}"
        return ""
