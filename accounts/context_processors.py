from accounts.access import heads_department, reads_province, works_in_agency


def rights(request):
    """What the signed-in user may reach, for the navigation: the very predicates the views check, so a
    menu never offers a page that answers 403 (rights on one object come from the view's context or
    from the app's template filters)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"rights": {}}
    return {
        "rights": {
            "works_in_agency": works_in_agency(user),
            "heads_department": heads_department(user),
            "reads_province": reads_province(user),
        }
    }
