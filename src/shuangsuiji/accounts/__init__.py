"""Users, their department, and the four roles (协调员, 部门管理员, 执法人员, 审计员)."""
