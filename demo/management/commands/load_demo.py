from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from demo.loading import load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Sở Kế hoạch và Đầu tư Vĩnh Phúc, Kế hoạch 14/KH-SKHĐT và một tài khoản cho mỗi vai trò."

    def handle(self, *args, **options):
        if not settings.DEMO_ALLOWED:
            raise CommandError(
                "Dữ liệu mẫu chỉ được nạp khi DEBUG=true hoặc DEMO_ALLOWED=true; "
                "môi trường sản xuất không có tài khoản mẫu."
            )
        result = load_demo()
        users = User.objects.filter(username__in=result.usernames).select_related("agency")
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu. Tài khoản đăng nhập:"))
        for user in sorted(users, key=lambda u: result.usernames.index(u.username)):
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<24} {user.agency.short_name}")
        self.stdout.write(f"  Mật khẩu chung: {result.password}")
