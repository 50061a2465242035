"""The agency administration pages (Quản lý), by feature: users, departments, agencies."""
