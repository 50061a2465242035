from accounts.models import Role


def roles(request):
    """Role names for templates, so menus show what the user may do."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {"Role": Role, "user_role": role}
